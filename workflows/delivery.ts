/**
 * One delivery workflow per event+destination: attempt 1 at once, then the retry schedule as
 * durable timers, then (once exhausted) a wait for a manual `retry` signal. The decisions are in
 * `delivery-state.ts`; this file is the loop that waits, attempts and applies them.
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
import type { Activities, AttemptOutcome, DeliverAttemptInput } from '../activities/index.js';
import {
  attemptsQuery,
  retrySignal,
  type DeliveryInput,
  type DeliveryResult,
  type ManualRetryRequest,
} from './delivery-contract.js';
import { MANUAL_RETRY_WAIT_SUMMARY, attemptSummary, renderDeliveryDetails, retryTimerSummary } from './delivery-details.js';
import {
  afterAttempt,
  attempting,
  attemptsRunLocally,
  continuedInput,
  deliveryResult,
  deliveryState,
  initialProgress,
  nextAttempt,
  nextStep,
  retryWaitMs,
  type DeliveryProgress,
} from './delivery-state.js';
import { AttemptCountKey, DeliveryStatusKey } from './search-attributes.js';

export type { DeliveryResult } from './delivery-contract.js';

/** Versioning marker: runs started before local attempts keep scheduling normal activities. */
export const LOCAL_ATTEMPTS_PATCH = 'local-attempts-v1';

export async function deliveryWorkflow(input: DeliveryInput): Promise<DeliveryResult> {
  const { patchedRun, deliver } = attemptSender(input);
  const manualQueue: ManualRetryRequest[] = [...(input.carried?.manualQueue ?? [])];
  const manualRequested = () => manualQueue.length > 0;
  let progress = initialProgress(input, Date.now());
  setHandler(retrySignal, (request) => void manualQueue.push(request ?? {}), {
    description: 'Make one more attempt now (continues the numbering, marked manual).',
  });
  setHandler(attemptsQuery, () => deliveryState(progress), { description: 'Status and the most recent attempts of this delivery.' });

  const attempt = async (manual: boolean): Promise<void> => {
    const request = nextAttempt(input, workflowInfo().workflowId, progress, manual);
    progress = attempting(progress, request);
    const outcome = await deliver(request, attemptSummary(request, input.target));
    progress = afterAttempt(progress, request, outcome, input, Date.now());
    publishProgress(input, progress);
  };

  // The start already set DeliveryStatus=pending and AttemptCount; runs before the patch upserted them again.
  if (patchedRun) setCurrentDetails(renderDeliveryDetails(input, progress));
  else publishProgress(input, progress);
  // Signal-with-start delivers the `retry` signal with the start; wait for it to be handled.
  if (input.startedBy === 'manual-retry' && !input.carried) await condition(manualRequested, '1 minute');
  for (;;) {
    switch (nextStep(progress, input, manualRequested(), workflowInfo().continueAsNewSuggested)) {
      case 'continue-as-new':
        return await continueAsNew<typeof deliveryWorkflow>(continuedInput(input, progress, manualQueue));
      case 'manual-attempt':
        manualQueue.shift();
        await attempt(true);
        break;
      case 'scheduled-attempt': {
        const wait = retryWaitMs(progress, Date.now());
        const interrupted = wait > 0 && (await condition(manualRequested, wait, { summary: retryTimerSummary(progress, input) }));
        if (!interrupted) await attempt(false);
        break;
      }
      case 'await-manual-retry': {
        const asked = await condition(manualRequested, input.awaitManualRetrySeconds * 1000, { summary: MANUAL_RETRY_WAIT_SUMMARY });
        if (!asked && !manualRequested()) return deliveryResult(progress);
        break;
      }
      case 'finish':
        return deliveryResult(progress);
    }
  }
}

/** The delivery's status and attempt count as search attributes, and its current details. */
function publishProgress(input: DeliveryInput, progress: DeliveryProgress): void {
  upsertSearchAttributes([
    { key: DeliveryStatusKey, value: progress.status },
    { key: AttemptCountKey, value: progress.attemptCount },
  ]);
  setCurrentDetails(renderDeliveryDetails(input, progress));
}

/**
 * How this run makes its attempts: as local or as normal activities, fixed for the run. Takes the
 * patch decision, so call it before the workflow's first command.
 */
function attemptSender(input: DeliveryInput): {
  readonly patchedRun: boolean;
  readonly deliver: (request: DeliverAttemptInput, summary: string) => Promise<AttemptOutcome>;
} {
  // The attempt's own timeout is enforced inside the activity; the rest is room for waiting on an
  // earlier send of the same attempt (its lease: the timeout plus a margin) and for recording the
  // outcome while Postgres restarts. Only infrastructure errors throw (a destination failure is a
  // recorded outcome), so retry them until they clear: nothing accepted may be lost.
  const options = {
    startToCloseTimeout: 2 * input.attemptTimeoutMs + 40_000,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
  };
  // Runs that name their revision predate nothing this patch guards: no marker for them.
  const patchedRun = input.revision !== undefined || patched(LOCAL_ATTEMPTS_PATCH);
  if (attemptsRunLocally(input, patchedRun)) {
    const { deliverAttempt } = proxyLocalActivities<Activities>({ ...options, localRetryThreshold: '10s' });
    return { patchedRun, deliver: (request, summary) => deliverAttempt.executeWithOptions({ summary }, [request]) };
  }
  // A normal activity heartbeats while it runs, so a worker that died mid-attempt is noticed in
  // seconds rather than at the start-to-close timeout.
  const { deliverAttempt } = proxyActivities<Activities>({ ...options, heartbeatTimeout: '10s' });
  return { patchedRun, deliver: (request, summary) => deliverAttempt.executeWithOptions({ summary }, [request]) };
}
