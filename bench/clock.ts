import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * The one clock of the harness: epoch-aligned milliseconds with sub-millisecond resolution,
 * monotonic within this process (timeOrigin is fixed at start, performance.now() never jumps).
 * The load generator and the receiver both live in this process, so t0…t3 are directly comparable.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves at `at` (a `now()` value) or right away when it has passed. Timer granularity is ~1 ms. */
export async function sleepUntil(at: number): Promise<void> {
  const wait = at - now();
  if (wait > 0) await delay(wait);
}

export function sleep(ms: number): Promise<void> {
  return delay(ms).then(() => undefined);
}

/** `mm:ss` since `start`, for progress lines. */
export function elapsed(start: number): string {
  const s = Math.max(0, Math.floor((now() - start) / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Starts measuring this process's event-loop delay; `stop` returns p99 and max in ms. The
 * receiver and the load generator share this loop, so a high value means the harness itself
 * was late to send or to take t3, and the latencies of that window are inflated by it.
 */
export function loopDelayProbe(): { stop(): { p99_ms: number; max_ms: number } } {
  const resolutionMs = 10;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      // The histogram records the whole interval between ticks; the delay is what exceeds the resolution.
      const ms = (ns: number) => Number(Math.max(0, ns / 1e6 - resolutionMs).toFixed(1));
      return { p99_ms: ms(histogram.percentile(99)), max_ms: ms(histogram.max) };
    },
  };
}
