/**
 * Polls `read` until `ok` holds for what it returned, and returns that value. Waiting for a state
 * instead of sleeping a fixed time: as fast as the system allows, and the deadline is generous
 * because the machine may be busy. With `tolerateErrors`, a read that throws (a query before the
 * workflow's first task, say) counts as "not yet".
 */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 60_000,
  options: { tolerateErrors?: boolean; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = options.tolerateErrors ? await read().catch(() => undefined) : await read();
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
