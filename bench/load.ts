import { randomBytes } from 'node:crypto';
import type { HeraldApi } from './api-client.js';
import { now, sleep, sleepUntil } from './clock.js';
import type { Ledger } from './ledger.js';

/**
 * Load shapes. Closed loop: N clients, each sends, waits for its whole result, sends again; the
 * system's speed sets the rate. Open loop: sends are scheduled at a fixed arrival rate whatever
 * happens, and each event's t0 is its SCHEDULED time, so a generator or API that falls behind
 * shows up as latency (no coordinated omission).
 */

/** Stops early (after each client's current round) when `signal` aborts: Ctrl-C still gets a report. */
export async function closedLoop(
  concurrency: number, durationMs: number, once: (client: number) => Promise<void>, signal?: AbortSignal,
): Promise<void> {
  const end = now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      while (now() < end && !signal?.aborted) await once(client);
    }),
  );
}

export interface OpenLoopOptions {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** Sends in flight at most; beyond it the generator waits, and the wait shows up as t1 − t0. */
  readonly maxOutstanding: number;
  /** Stops scheduling when aborted. */
  readonly signal?: AbortSignal;
}

/** Calls `send(t0)` for every scheduled slot; resolves when every send has settled. */
export async function openLoop(options: OpenLoopOptions, send: (t0: number) => Promise<void>): Promise<void> {
  const start = now();
  const interval = 1000 / options.ratePerSecond;
  const total = Math.floor((options.durationMs / 1000) * options.ratePerSecond);
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total && !options.signal?.aborted; i++) {
    const t0 = start + i * interval;
    await sleepUntil(t0);
    while (inFlight.size >= options.maxOutstanding) await Promise.race(inFlight);
    const p: Promise<void> = send(t0).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

/** Event ids unique per run: `<prefix>-<seq>-<random>` (random so reruns against one deployment never collide). */
export function eventIds(prefix: string): () => string {
  const run = randomBytes(3).toString('hex');
  let seq = 0;
  return () => `${prefix}-${run}-${(seq++).toString(36)}`;
}

export interface Publisher {
  /**
   * Publishes one event stamped with t0, records it in the ledger, and resolves once the
   * publish is answered. `delivered` resolves when every destination has it (closed loop waits on it).
   */
  publish(t0: number): Promise<{ delivered: Promise<void> }>;
}

export function publisher(options: {
  api: HeraldApi;
  ledger: Ledger;
  tenantId: string;
  topic: string;
  /** destination id → receiver tag, for this tenant */
  tags: ReadonlyMap<string, string>;
  payloadBytes: number;
  nextId: () => string;
}): Publisher {
  const padding = 'x'.repeat(Math.max(0, options.payloadBytes - 60));
  const allTags = [...options.tags.values()];
  return {
    async publish(t0) {
      const id = options.nextId();
      const res = await options.api.publish({
        id, tenant_id: options.tenantId, topic: options.topic, data: { seq: id, t0, padding },
      });
      if (res.error !== undefined) {
        options.ledger.rejectPublish(res.error);
        // A refused publisher waits as told before it sends again, as a well-behaved client does;
        // one that retried at once would measure the cost of refusing, not of delivering.
        const wait = res.retryAfterS === undefined ? 0 : Math.min(res.retryAfterS, 5) * 1000;
        return { delivered: wait > 0 ? sleep(wait) : Promise.resolve() };
      }
      // Expect the event at every destination of the tenant, not just those the 202 lists: a
      // destination Herald forgot to match is a missing delivery, not a smaller denominator.
      const delivered = options.ledger.accept({ id, t0, t1: res.t1, t2: res.t2, tags: allTags });
      return { delivered };
    },
  };
}
