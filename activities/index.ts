import { createApplyDestinationHealth, type DestinationHealthDeps } from './destination-health.js';
import { createDeliverAttempt, type DeliverAttemptDeps } from './deliver-attempt.js';
import { createSendOperatorEvents } from './send-operator-events.js';
import type { OperatorEventSink } from '../src/operator-events/types.js';

export type { AttemptOutcome, DeliverAttemptInput } from './deliver-attempt.js';
export type { ApplyDestinationHealthInput, HealthAlert } from './destination-health.js';

export type ActivityDeps = DeliverAttemptDeps & Omit<DestinationHealthDeps, 'alertsRepo'> & {
  /** The operator-event sink; null when operator events are off. */
  readonly sink: OperatorEventSink | null;
};

/** All activities, built from their dependencies (no module-level state). */
export function createActivities(deps: ActivityDeps) {
  return {
    deliverAttempt: createDeliverAttempt(deps),
    applyDestinationHealth: createApplyDestinationHealth(deps),
    sendOperatorEvents: createSendOperatorEvents(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
