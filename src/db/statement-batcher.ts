/**
 * Group commit for one kind of statement. A call made while no batch of its kind is in the
 * database runs at once, alone; calls made while one is there queue, and go together as one
 * statement when it returns. So a lone caller waits no longer than before, and under load N
 * concurrent callers cost one round trip and one commit instead of N.
 *
 * `run` gets the queued inputs in order and must return one output per input, in the same order.
 * When it throws, every caller of that batch gets the error (each retries as it would have alone),
 * so `run` must not fail for a reason that belongs to one input only.
 */
export function createStatementBatcher<In, Out>(
  run: (inputs: readonly In[]) => Promise<readonly Out[]>,
  options: { readonly maxBatch: number },
): (input: In) => Promise<Out> {
  type Waiting = { readonly input: In; resolve(out: Out): void; reject(error: unknown): void };
  let queue: Waiting[] = [];
  let running = false;

  const pump = (): void => {
    if (running || queue.length === 0) return;
    const batch = queue.slice(0, options.maxBatch);
    queue = queue.slice(batch.length);
    running = true;
    run(batch.map((w) => w.input)).then(
      (outs) => {
        if (outs.length !== batch.length) throw new Error(`a batch of ${batch.length} returned ${outs.length} results`);
        batch.forEach((w, i) => w.resolve(outs[i]!));
      },
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    ).catch((error: unknown) => batch.forEach((w) => w.reject(error))).finally(() => {
      running = false;
      pump();
    });
  };

  return (input) => new Promise<Out>((resolve, reject) => {
    queue.push({ input, resolve, reject });
    pump();
  });
}
