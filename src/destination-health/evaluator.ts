/**
 * Destination health: consecutive failures of one destination, reset by a success, raising an
 * alert at each level and, with auto-disable, disabling the destination at 100 %. Pure and
 * deterministic: the destination-health workflow applies outcomes one by one through it.
 */
import { levelAt } from './thresholds.js';

export interface DestinationHealthPolicy {
  /** ALERT_CONSECUTIVE_FAILURE_COUNT: the count that is 100 %. */
  readonly max: number;
  /** ALERT_AUTO_DISABLE_DESTINATION: disable the destination when 100 % is reached. */
  readonly autoDisable: boolean;
}

export interface HealthState {
  /** Consecutive failures so far. */
  readonly count: number;
  /** Set once destination health disabled the destination; cleared by a reset (enable). */
  readonly disabled: boolean;
}

export interface ThresholdAlert {
  /** Percent level: 50, 70, 90 or 100. */
  readonly threshold: number;
  readonly current: number;
  readonly max: number;
}

export interface HealthStep {
  readonly state: HealthState;
  readonly alert?: ThresholdAlert;
  /** The destination must be disabled now (100 % reached with auto-disable on). */
  readonly disable?: boolean;
}

export function applyOutcome(state: HealthState, success: boolean, policy: DestinationHealthPolicy): HealthStep {
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
