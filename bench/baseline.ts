import { Pool } from 'undici';
import { now } from './clock.js';
import { closedLoop } from './load.js';
import type { Receiver } from './receiver.js';
import { summarize, type Summary } from './stats.js';

/**
 * The machine's own limit for this work: a raw undici POST loop, closed loop at the same
 * concurrency, against the same receiver (same handler, same recording, same configured latency),
 * with a body and headers shaped like a Herald webhook. Herald's deliveries/s divided by this is
 * the ratio the report leads with: it stays meaningful on a slow or noisy machine.
 */

export interface BaselineResult {
  readonly concurrency: number;
  readonly duration_s: number;
  readonly requests_per_s: number;
  readonly latency_ms: Summary;
  readonly errors: number;
}

export async function runBaseline(options: {
  receiver: Receiver;
  tag: string;
  concurrency: number;
  durationMs: number;
  payloadBytes: number;
  latencyMs: number;
}): Promise<BaselineResult> {
  const { receiver, tag } = options;
  const url = new URL(receiver.route(tag, { latencyMs: options.latencyMs, failureRate: 0 }));
  const pool = new Pool(url.origin, { connections: options.concurrency, keepAliveTimeout: 30_000 });
  const body = JSON.stringify({ seq: 'baseline-000000-0', t0: now(), padding: 'x'.repeat(Math.max(0, options.payloadBytes - 60)) });
  const latencies: number[] = [];
  let errors = 0;
  let seq = 0;
  const start = now();
  try {
    await closedLoop(options.concurrency, options.durationMs, async () => {
      const t = now();
      try {
        const res = await pool.request({
          method: 'POST', path: url.pathname, body,
          headers: {
            'content-type': 'application/json', 'user-agent': 'Herald-bench-baseline',
            'x-outpost-event-id': `b${seq++}`, 'x-outpost-topic': 'bench.event',
            'x-outpost-timestamp': new Date().toISOString(), 'x-outpost-signature': `v0=${'0'.repeat(64)}`,
          },
        });
        await res.body.dump();
        if (res.statusCode !== 200) errors += 1;
        latencies.push(now() - t);
      } catch {
        errors += 1;
      }
    });
  } finally {
    await pool.close();
    receiver.forget(tag);
  }
  const seconds = (now() - start) / 1000;
  return {
    concurrency: options.concurrency,
    duration_s: Number(seconds.toFixed(2)),
    requests_per_s: Number((latencies.length / seconds).toFixed(1)),
    latency_ms: summarize(latencies),
    errors,
  };
}
