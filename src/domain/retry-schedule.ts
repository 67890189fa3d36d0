/**
 * Retry schedule maths. Pure and dependency-free: imported by config and by workflow code.
 *
 * `delays[n-1]` is the wait after failed attempt n before attempt n+1, so there are
 * `delays.length` automatic retries and `delays.length + 1` attempts in all.
 */

export interface RetryScheduleInput {
  /** RETRY_SCHEDULE in seconds; when non-empty it overrides interval and limit. */
  readonly schedule: readonly number[];
  readonly intervalSeconds: number;
  readonly maxRetryLimit: number;
}

/** Outpost's rule: `RETRY_SCHEDULE` wins; else `interval × 2^(n-1)` for n = 1..MAX_RETRY_LIMIT. */
export function computeRetryDelays(input: RetryScheduleInput): number[] {
  if (input.schedule.length > 0) return [...input.schedule];
  return Array.from({ length: input.maxRetryLimit }, (_, i) => input.intervalSeconds * 2 ** i);
}

/**
 * Delay in ms before the automatic retry that follows failed attempt `attemptNumber`,
 * or null when that attempt was the last one the schedule allows.
 * A Retry-After hint from the destination can postpone (never hasten) the retry, capped at
 * `maxRetryAfterMs` so a hostile receiver cannot park a delivery for days.
 */
export function nextRetryDelayMs(
  delaysSeconds: readonly number[],
  attemptNumber: number,
  retryAfterMs?: number,
  maxRetryAfterMs = 3_600_000,
): number | null {
  if (attemptNumber < 1 || attemptNumber > delaysSeconds.length) return null;
  const scheduled = (delaysSeconds[attemptNumber - 1] ?? 0) * 1000;
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs)) return scheduled;
  return Math.max(scheduled, Math.min(retryAfterMs, maxRetryAfterMs));
}
