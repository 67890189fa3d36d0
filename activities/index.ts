import { createDeliverAttempt, type DeliverAttemptDeps } from './deliver-attempt.js';

export type { AttemptOutcome, DeliverAttemptInput } from './deliver-attempt.js';

export type ActivityDeps = DeliverAttemptDeps;

/** All activities, built from their dependencies (no module-level state). */
export function createActivities(deps: ActivityDeps) {
  return {
    deliverAttempt: createDeliverAttempt(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
