/**
 * Group commit for workflow signals. Temporal advises only a few signals per second into one
 * workflow, while a hot destination can produce hundreds of outcomes per second. Callers `add` an
 * item under a key (the target workflow) and wait; the batcher sends one signal per key carrying
 * everything that arrived within `flushIntervalMs` (or `maxItems`), one send in flight per key, and
 * settles every waiter with that send's result. A caller that awaits `add` therefore knows its item
 * was signalled (at-least-once: a failed send rejects, and the caller's retry re-adds it).
 */

export interface SignalBatcherOptions<T> {
  readonly flushIntervalMs: number;
  readonly maxItems: number;
  /** Upper bound of a batch's payload, against Temporal's per-payload limit (≈ 2 MB). */
  readonly maxBytes?: number;
  readonly sizeOf?: (item: T) => number;
  readonly send: (key: string, items: T[]) => Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface KeyQueue<T> {
  items: T[];
  bytes: number;
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
  inFlight: Promise<void> | undefined;
}

export function createSignalBatcher<T>(options: SignalBatcherOptions<T>) {
  const queues = new Map<string, KeyQueue<T>>();
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const sizeOf = options.sizeOf ?? (() => 0);
  let closed = false;

  const queueFor = (key: string): KeyQueue<T> => {
    let q = queues.get(key);
    if (!q) {
      q = { items: [], bytes: 0, waiters: [], timer: undefined, inFlight: undefined };
      queues.set(key, q);
    }
    return q;
  };

  function flush(key: string): void {
    const q = queues.get(key);
    if (!q || q.inFlight || q.items.length === 0) return;
    if (q.timer) clearTimeout(q.timer);
    q.timer = undefined;
    const items = q.items.splice(0, options.maxItems);
    const waiters = q.waiters.splice(0, items.length);
    q.bytes = q.items.reduce((n, item) => n + sizeOf(item), 0);
    q.inFlight = options.send(key, items).then(
      () => waiters.forEach((w) => w.resolve()),
      (error: unknown) => waiters.forEach((w) => w.reject(error)),
    ).finally(() => {
      q.inFlight = undefined;
      if (q.items.length >= options.maxItems || q.bytes >= maxBytes || closed) flush(key);
      else if (q.items.length > 0) schedule(key, q);
      else if (!q.timer) queues.delete(key);
    });
  }

  function schedule(key: string, q: KeyQueue<T>): void {
    q.timer ??= setTimeout(() => { q.timer = undefined; flush(key); }, options.flushIntervalMs);
  }

  return {
    add(key: string, item: T): Promise<void> {
      if (closed) return Promise.reject(new Error('signal batcher is closed'));
      const q = queueFor(key);
      const settled = new Promise<void>((resolve, reject) => q.waiters.push({ resolve, reject }));
      q.items.push(item);
      q.bytes += sizeOf(item);
      if (q.items.length >= options.maxItems || q.bytes >= maxBytes) flush(key);
      else schedule(key, q);
      return settled;
    },

    /** Sends what is queued and waits for every send in flight. */
    async close(): Promise<void> {
      closed = true;
      for (const key of [...queues.keys()]) flush(key);
      while (queues.size > 0) {
        await Promise.allSettled([...queues.values()].flatMap((q) => (q.inFlight ? [q.inFlight] : [])));
        for (const [key, q] of [...queues]) {
          if (!q.inFlight && q.items.length === 0) queues.delete(key);
          else flush(key);
        }
      }
    },
  };
}

export type SignalBatcher<T> = ReturnType<typeof createSignalBatcher<T>>;
