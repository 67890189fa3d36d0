/**
 * Destination health: one long-lived workflow per destination counts consecutive failures (reset
 * by a success), raises the 50/70/90/100 % alerts and, with auto-disable, disables the destination.
 * Outcomes arrive in batches (one signal per worker process per flush window), each attempt is
 * counted once, and the history stays bounded through continue-as-new.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, HealthAlert } from '../activities/index.js';
import { applyOutcome, type HealthState } from '../src/destination-health/evaluator.js';
import { levelsReached } from '../src/destination-health/thresholds.js';
import {
  destinationHealthQuery,
  outcomesSignal,
  resetSignal,
  type DestinationHealthInput,
  type OutcomeReport,
} from './destination-health-contract.js';

/** Attempt ids remembered for deduplication; a re-reported outcome arrives within seconds. */
const SEEN_LIMIT = 5000;
/**
 * Outcomes applied per iteration: bounds the effects activity's input (one alert per failure past
 * 100 % without auto-disable) and so every workflow task's payload, whatever the arrival rate.
 */
const BATCH_LIMIT = 1000;
/** Continue-as-new carries at most this many unprocessed outcomes; above it, drain first. */
const CARRY_LIMIT = 2000;

const { applyDestinationHealth } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // Effects (disable, alerts, the failing flag) must happen: retry until they do.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function destinationHealthWorkflow(input: DestinationHealthInput): Promise<void> {
  const { policy, carried } = input;
  let state: HealthState = { count: carried?.count ?? 0, disabled: carried?.disabled ?? false };
  let failingFlag = carried?.failingFlag ?? false;
  let counted = carried?.counted ?? 0;
  const seenOrder: string[] = [...(carried?.seen ?? [])];
  const seen = new Set(seenOrder);
  const pending: OutcomeReport[] = [...(carried?.pending ?? [])];
  let reset: 'enabled' | 'deleted' | null = null;

  setHandler(outcomesSignal, (batch) => void pending.push(...batch));
  setHandler(resetSignal, ({ reason }) => void (reset = reason));
  setHandler(destinationHealthQuery, () => ({
    consecutiveFailures: state.count,
    max: policy.max,
    thresholdsReached: levelsReached(policy.max, state.count),
    disabledByHealth: state.disabled,
    outcomesCounted: counted,
  }), { description: 'Consecutive failures, thresholds reached, and whether destination health disabled the destination.' });

  const remember = (attemptId: string): boolean => {
    if (seen.has(attemptId)) return false;
    seen.add(attemptId);
    seenOrder.push(attemptId);
    if (seenOrder.length > SEEN_LIMIT) seen.delete(seenOrder.shift()!);
    return true;
  };

  for (;;) {
    await condition(() => pending.length > 0 || reset !== null || workflowInfo().continueAsNewSuggested);
    if (reset === 'deleted') return;
    if (reset === 'enabled') state = { count: 0, disabled: false };
    reset = null;

    const alerts: HealthAlert[] = [];
    let disable: { eventId: string; attemptId: string } | undefined;
    const batch = pending.splice(0, BATCH_LIMIT).sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    for (const outcome of batch) {
      if (!remember(outcome.attemptId)) continue;
      counted += 1;
      const step = applyOutcome(state, outcome.success, policy);
      state = step.state;
      if (step.alert) alerts.push({ ...step.alert, eventId: outcome.eventId, attemptId: outcome.attemptId });
      if (step.disable) disable = { eventId: outcome.eventId, attemptId: outcome.attemptId };
    }
    const failing = state.count > 0;
    if (alerts.length > 0 || disable || failing !== failingFlag) {
      await applyDestinationHealth({ tenantId: input.tenantId, destinationId: input.destinationId, alerts, disable, failing });
      failingFlag = failing;
    }

    // Under a steady flood `pending` is never empty, so carry what is left (bounded) rather than wait.
    if (workflowInfo().continueAsNewSuggested && pending.length <= CARRY_LIMIT && reset === null) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof destinationHealthWorkflow>({
        ...input,
        carried: { count: state.count, disabled: state.disabled, failingFlag, seen: seenOrder, pending, counted },
      });
    }
  }
}
