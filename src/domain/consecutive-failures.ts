/**
 * Consecutive-failure accounting for one destination. Pure and deterministic: the destination
 * entity workflow applies outcomes one by one through it.
 */

export const ALERT_LEVELS = [50, 70, 90, 100] as const;

export interface StreakPolicy {
  /** ALERT_CONSECUTIVE_FAILURE_COUNT: the count that is 100 %. */
  readonly max: number;
  readonly autoDisable: boolean;
}

export interface StreakState {
  readonly count: number;
  /** Set once this entity disabled the destination; cleared by a reset (enable). */
  readonly disabled: boolean;
}

export interface StreakAlert {
  /** Percent level: 50, 70, 90 or 100. */
  readonly threshold: number;
  readonly current: number;
  readonly max: number;
}

export interface StreakStep {
  readonly state: StreakState;
  readonly alert?: StreakAlert;
  /** The destination must be disabled now (100 % reached with auto-disable on). */
  readonly disable?: boolean;
}

/** The failure count at which a level fires: ceil(max × level / 100), as Outpost rounds (alert/threshold.go). */
export function levelCount(max: number, level: number): number {
  return Math.ceil((max * level) / 100);
}

/** The highest level that fires at exactly `count` failures (≥ 100 % fires at every count past it). */
export function levelAt(max: number, count: number): number | undefined {
  if (count >= max) return 100;
  return [...ALERT_LEVELS].reverse().find((level) => level < 100 && levelCount(max, level) === count);
}

export function applyOutcome(state: StreakState, success: boolean, policy: StreakPolicy): StreakStep {
  if (success) return { state: { count: 0, disabled: state.disabled } };
  const count = state.count + 1;
  // Once disabled, stragglers already in flight still count but raise nothing more.
  if (state.disabled) return { state: { count, disabled: true } };
  const level = levelAt(policy.max, count);
  if (level === undefined) return { state: { count, disabled: false } };
  const alert = { threshold: level, current: count, max: policy.max };
  if (level === 100 && policy.autoDisable) return { state: { count, disabled: true }, alert, disable: true };
  return { state: { count, disabled: false }, alert };
}
