/** Delays between attempts to reach a dependency that is not there yet (Postgres, Temporal). */

export interface BackoffPolicy {
  /** Delay after the first failed attempt. */
  readonly initialMs: number;
  /** No delay is longer than this, jitter included. */
  readonly maxMs: number;
  readonly factor: number;
  /** Each delay is spread by ± this fraction so that many processes do not retry in step. */
  readonly jitter: number;
}

/** 1 s, 2 s, 4 s, 8 s, then 15 s between attempts, ± 20 %. */
export const dependencyBackoff: BackoffPolicy = { initialMs: 1_000, maxMs: 15_000, factor: 2, jitter: 0.2 };

/** The delay after failed attempt number `attempt` (1-based). `random` returns [0, 1), like Math.random. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = dependencyBackoff, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** exponent);
  const spread = base * policy.jitter * (2 * random() - 1);
  return Math.round(Math.min(policy.maxMs, Math.max(0, base + spread)));
}
