/**
 * One delivery workflow per event+destination: attempt 1 at once, then the retry schedule as
 * durable timers, then (once exhausted) a wait for a manual `retry` signal.
 */
import {
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, AttemptOutcome } from '../activities/index.js';
import { nextRetryDelayMs } from '../src/domain/retry-schedule.js';
import {
  attemptsQuery,
  retrySignal,
  type AttemptSummary,
  type DeliveryInput,
  type DeliveryState,
  type DeliveryStatus,
  type ManualRetryRequest,
} from './delivery-contract.js';
import { renderDeliveryDetails } from './delivery-details.js';
import { AttemptCountKey, DeliveryStatusKey } from './search-attributes.js';

/** Attempts kept in workflow state for the query; the full log is in Postgres. */
const RECENT_ATTEMPTS = 50;

/**
 * In runs that predate `attemptMode`, attempts whose timeout fits comfortably inside one workflow
 * task run as local activities: a delivery then costs one workflow task and about half the
 * history events.
 */
const LOCAL_ATTEMPT_MAX_TIMEOUT_MS = 30_000;

/** Versioning marker: runs started before local attempts keep scheduling normal activities. */
export const LOCAL_ATTEMPTS_PATCH = 'local-attempts-v1';

export interface DeliveryResult {
  readonly status: DeliveryStatus;
  readonly attemptCount: number;
}

export async function deliveryWorkflow(input: DeliveryInput): Promise<DeliveryResult> {
  // The attempt's own timeout is enforced inside the activity; the rest is room for waiting on an
  // earlier send of the same attempt (its lease: the timeout plus a margin) and for recording the
  // outcome while Postgres restarts. Only infrastructure errors throw (a destination failure is a
  // recorded outcome), so retry them until they clear: nothing accepted may be lost.
  const attemptOptions = {
    startToCloseTimeout: 2 * input.attemptTimeoutMs + 40_000,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
  };
  // A normal activity heartbeats while it runs, so a worker that died mid-attempt is noticed in
  // seconds rather than at the start-to-close timeout.
  const { deliverAttempt } = proxyActivities<Activities>({ ...attemptOptions, heartbeatTimeout: '10s' });
  const local = proxyLocalActivities<Activities>({ ...attemptOptions, localRetryThreshold: '10s' });
  // Runs that name their revision predate nothing this patch guards: no marker for them.
  const patchedRun = input.revision !== undefined || patched(LOCAL_ATTEMPTS_PATCH);
  const useLocal = input.attemptMode === undefined
    ? patchedRun && input.attemptTimeoutMs <= LOCAL_ATTEMPT_MAX_TIMEOUT_MS
    : input.attemptMode === 'local';

  let status: DeliveryStatus = input.carried?.status ?? 'pending';
  let attemptCount = input.previousAttempts ?? 0;
  let pendingRetryAt: number | null =
    input.carried?.pendingRetryAt ?? (input.startedBy === 'publish' && !input.carried ? Date.now() : null);
  const manualQueue: ManualRetryRequest[] = [...(input.carried?.manualQueue ?? [])];
  const recent: AttemptSummary[] = [...(input.carried?.recent ?? [])];

  const state = (): DeliveryState => ({
    status,
    attemptCount,
    nextRetryAt: pendingRetryAt === null ? null : new Date(pendingRetryAt).toISOString(),
    attempts: recent,
  });
  setHandler(retrySignal, (request) => void manualQueue.push(request ?? {}), {
    description: 'Make one more attempt now (continues the numbering, marked manual).',
  });
  setHandler(attemptsQuery, state, { description: 'Status and the most recent attempts of this delivery.' });

  const publishState = (): void => {
    upsertSearchAttributes([
      { key: DeliveryStatusKey, value: status },
      { key: AttemptCountKey, value: attemptCount },
    ]);
    setCurrentDetails(renderDeliveryDetails(input, state()));
  };

  const attempt = async (manual: boolean): Promise<void> => {
    attemptCount += 1;
    const number = attemptCount;
    const retryAllowed = input.eligibleForRetry && nextRetryDelayMs(input.retryDelaysSeconds, number) !== null;
    const options = { ...attemptOptions, summary: `${manual ? 'manual ' : ''}attempt ${number} → ${input.target}` };
    const args = [{ workflowId: workflowInfo().workflowId, tenantId: input.tenantId, eventId: input.eventId,
        destinationId: input.destinationId, destinationType: input.destinationType, attemptNumber: number, manual, finalIfFailed: !retryAllowed,
        alertIfExhausted: !retryAllowed && input.eligibleForRetry && input.retryDelaysSeconds.length > 0 }] as const;
    const outcome: AttemptOutcome = useLocal
      ? await local.deliverAttempt.executeWithOptions({ ...options, localRetryThreshold: '10s' }, [...args])
      : await deliverAttempt.executeWithOptions({ ...options, heartbeatTimeout: '10s' }, [...args]);
    recent.push({ attemptNumber: number, attemptId: outcome.attemptId, manual, status: outcome.status,
      code: outcome.code, time: outcome.time });
    if (recent.length > RECENT_ATTEMPTS) recent.shift();

    if (outcome.status === 'success') {
      status = 'delivered';
      pendingRetryAt = null;
    } else if (outcome.status === 'skipped') {
      // Disabled or deleted destinations get no attempt and no further retries (as Outpost drops the task).
      attemptCount -= 1;
      status = 'skipped';
      pendingRetryAt = null;
    } else {
      const delay = input.eligibleForRetry
        ? nextRetryDelayMs(input.retryDelaysSeconds, number, outcome.retryAfterMs)
        : null;
      status = delay === null ? 'exhausted' : 'retrying';
      pendingRetryAt = delay === null ? null : Date.now() + delay;
    }
    publishState();
  };

  // The start already set DeliveryStatus=pending and AttemptCount; runs before the patch upserted them again.
  if (patchedRun) setCurrentDetails(renderDeliveryDetails(input, state()));
  else publishState();
  if (input.startedBy === 'manual-retry' && !input.carried) {
    // Signal-with-start delivers the `retry` signal with the start; wait for it to be handled.
    await condition(() => manualQueue.length > 0, '1 minute');
  }
  for (;;) {
    if (workflowInfo().continueAsNewSuggested && manualQueue.length === 0) {
      return await continueAsNew<typeof deliveryWorkflow>({
        ...input,
        startedBy: 'publish',
        previousAttempts: attemptCount,
        carried: { status, pendingRetryAt, manualQueue, recent: recent.slice(-10) },
      });
    }
    if (manualQueue.length > 0) {
      manualQueue.shift();
      // A manual attempt replaces any pending automatic one: success ends it, failure reschedules.
      await attempt(true);
      continue;
    }
    if (pendingRetryAt !== null) {
      const wait = pendingRetryAt - Date.now();
      if (wait > 0) {
        const interrupted = await condition(() => manualQueue.length > 0, wait, {
          summary: `retry ${attemptCount + 1} of ${input.retryDelaysSeconds.length + 1}`,
        });
        if (interrupted) continue;
      }
      pendingRetryAt = null;
      await attempt(false);
      continue;
    }
    if (status === 'exhausted' && input.awaitManualRetrySeconds > 0) {
      const asked = await condition(() => manualQueue.length > 0, input.awaitManualRetrySeconds * 1000, {
        summary: 'retries exhausted: waiting for a manual retry signal',
      });
      if (asked) continue;
    }
    if (manualQueue.length === 0) return { status, attemptCount };
  }
}
