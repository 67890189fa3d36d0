/**
 * The delivery workflow's decisions, apart from its loop: where a run starts, what the next attempt
 * is, what its outcome makes of the state (and so when the next automatic attempt is due), and what
 * the loop does next. Pure and deterministic: the workflow passes in the clock and what the signals
 * asked for, and applies the answers.
 */
import type { AttemptOutcome, DeliverAttemptInput } from '../activities/index.js';
import { nextRetryDelayMs } from '../src/domain/retry-schedule.js';
import type {
  AttemptSummary,
  DeliveryInput,
  DeliveryResult,
  DeliveryState,
  DeliveryStatus,
  ManualRetryRequest,
} from './delivery-contract.js';

/** Attempts kept in workflow state for the query; the full log is in Postgres. */
export const RECENT_ATTEMPTS = 50;

/** Of those, the attempts a run carries into its continuation. */
export const CARRIED_ATTEMPTS = 10;

/**
 * In runs that predate `attemptMode`, attempts whose timeout fits comfortably inside one workflow
 * task run as local activities: a delivery then costs one workflow task and about half the
 * history events.
 */
export const LOCAL_ATTEMPT_MAX_TIMEOUT_MS = 30_000;

/** What the delivery remembers between attempts. */
export interface DeliveryProgress {
  readonly status: DeliveryStatus;
  /** Attempts made so far, by this run and earlier ones; a skipped turn is not one. */
  readonly attemptCount: number;
  /** When the next automatic attempt is due (epoch ms); null when none is scheduled. */
  readonly pendingRetryAt: number | null;
  /** The most recent attempts, oldest first, at most `RECENT_ATTEMPTS`. */
  readonly recent: readonly AttemptSummary[];
}

/** The part of the input that decides retries; frozen at start. */
export type RetrySchedule = Pick<DeliveryInput, 'eligibleForRetry' | 'retryDelaysSeconds'>;

/**
 * What the loop does next. `scheduled-attempt`: wait for `pendingRetryAt` (a manual retry asked
 * for meanwhile goes first), then attempt; `await-manual-retry`: retries are exhausted, wait a
 * while for a manual one; `finish`: the delivery is settled.
 */
export type DeliveryStep = 'continue-as-new' | 'manual-attempt' | 'scheduled-attempt' | 'await-manual-retry' | 'finish';

/**
 * Where a run starts: a publish attempts at once (`now`), a manual-retry start waits for its
 * signal, and a continued run resumes the carried state.
 */
export function initialProgress(input: DeliveryInput, now: number): DeliveryProgress {
  const { carried } = input;
  return {
    status: carried?.status ?? 'pending',
    attemptCount: input.previousAttempts ?? 0,
    pendingRetryAt: carried ? carried.pendingRetryAt : input.startedBy === 'publish' ? now : null,
    recent: carried?.recent ?? [],
  };
}

/**
 * Whether this run's attempts are local activities. `patchedRun`: the run started after local
 * attempts existed (it has a revision, or took the patch).
 */
export function attemptsRunLocally(input: DeliveryInput, patchedRun: boolean): boolean {
  if (input.attemptMode !== undefined) return input.attemptMode === 'local';
  return patchedRun && input.attemptTimeoutMs <= LOCAL_ATTEMPT_MAX_TIMEOUT_MS;
}

/**
 * The next attempt, as the activity is asked to make it. `finalIfFailed`: no automatic retry
 * would follow its failure; `alertIfExhausted`: that failure ends a retry budget the event was
 * given, so it raises the exhausted-retries alert.
 */
export function nextAttempt(input: DeliveryInput, workflowId: string, progress: DeliveryProgress, manual: boolean): DeliverAttemptInput {
  const attemptNumber = progress.attemptCount + 1;
  const retryAllowed = input.eligibleForRetry && nextRetryDelayMs(input.retryDelaysSeconds, attemptNumber) !== null;
  return {
    workflowId,
    tenantId: input.tenantId,
    eventId: input.eventId,
    destinationId: input.destinationId,
    destinationType: input.destinationType,
    attemptNumber,
    manual,
    finalIfFailed: !retryAllowed,
    alertIfExhausted: !retryAllowed && input.eligibleForRetry && input.retryDelaysSeconds.length > 0,
  };
}

/**
 * The state while `attempt` runs: already counted. An automatic attempt is no longer pending; a
 * manual one leaves the schedule as it is until its outcome replaces it.
 */
export function attempting(progress: DeliveryProgress, attempt: DeliverAttemptInput): DeliveryProgress {
  return { ...progress, attemptCount: attempt.attemptNumber, pendingRetryAt: attempt.manual ? progress.pendingRetryAt : null };
}

/**
 * The state after `attempt` ended with `outcome` at `now`. A success ends the delivery; a skip
 * (the destination was disabled or deleted) ends it without counting the attempt, as Outpost drops
 * the task; a failure schedules the next automatic attempt (postponed by Retry-After) or, with
 * none left, exhausts it. This replaces whatever was pending, so a manual attempt's outcome
 * decides the schedule from its number on.
 */
export function afterAttempt(
  progress: DeliveryProgress,
  attempt: DeliverAttemptInput,
  outcome: AttemptOutcome,
  schedule: RetrySchedule,
  now: number,
): DeliveryProgress {
  const { attemptNumber, manual } = attempt;
  const recent = withRecent(progress.recent, {
    attemptNumber, attemptId: outcome.attemptId, manual, status: outcome.status, code: outcome.code, time: outcome.time,
  });
  if (outcome.status === 'success') return { status: 'delivered', attemptCount: attemptNumber, pendingRetryAt: null, recent };
  if (outcome.status === 'skipped') return { status: 'skipped', attemptCount: attemptNumber - 1, pendingRetryAt: null, recent };
  const delay = schedule.eligibleForRetry
    ? nextRetryDelayMs(schedule.retryDelaysSeconds, attemptNumber, outcome.retryAfterMs)
    : null;
  return delay === null
    ? { status: 'exhausted', attemptCount: attemptNumber, pendingRetryAt: null, recent }
    : { status: 'retrying', attemptCount: attemptNumber, pendingRetryAt: now + delay, recent };
}

/** `recent` with `summary` appended, the oldest dropped past `RECENT_ATTEMPTS`. */
function withRecent(recent: readonly AttemptSummary[], summary: AttemptSummary): AttemptSummary[] {
  const kept = recent.slice(Math.max(0, recent.length - RECENT_ATTEMPTS + 1));
  kept.push(summary);
  return kept;
}

/**
 * What the loop does next. A manual retry goes before anything else, continue-as-new included, so
 * a run never continues with requests still queued.
 */
export function nextStep(
  progress: DeliveryProgress,
  input: Pick<DeliveryInput, 'awaitManualRetrySeconds'>,
  manualRequested: boolean,
  continueAsNewSuggested: boolean,
): DeliveryStep {
  if (manualRequested) return 'manual-attempt';
  if (continueAsNewSuggested) return 'continue-as-new';
  if (progress.pendingRetryAt !== null) return 'scheduled-attempt';
  if (progress.status === 'exhausted' && input.awaitManualRetrySeconds > 0) return 'await-manual-retry';
  return 'finish';
}

/** How long until the scheduled attempt is due; zero or less means now. */
export function retryWaitMs(progress: DeliveryProgress, now: number): number {
  return (progress.pendingRetryAt ?? now) - now;
}

/** The input of the run this one continues as: numbering, state and the last attempts carried over. */
export function continuedInput(
  input: DeliveryInput,
  progress: DeliveryProgress,
  manualQueue: readonly ManualRetryRequest[],
): DeliveryInput {
  return {
    ...input,
    startedBy: 'publish',
    previousAttempts: progress.attemptCount,
    carried: {
      status: progress.status,
      pendingRetryAt: progress.pendingRetryAt,
      manualQueue,
      recent: progress.recent.slice(-CARRIED_ATTEMPTS),
    },
  };
}

/** The `attempts` query's answer. */
export function deliveryState(progress: DeliveryProgress): DeliveryState {
  return {
    status: progress.status,
    attemptCount: progress.attemptCount,
    nextRetryAt: progress.pendingRetryAt === null ? null : new Date(progress.pendingRetryAt).toISOString(),
    attempts: progress.recent,
  };
}

export function deliveryResult(progress: DeliveryProgress): DeliveryResult {
  return { status: progress.status, attemptCount: progress.attemptCount };
}
