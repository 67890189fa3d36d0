/**
 * Delivers one batch of operator events to the sink. `alert.*` and `attempt.*` are at least once:
 * the activity is retried with capped backoff until the sink accepts them. Other topics are best
 * effort: at most 3 attempts, then dropped (and logged).
 */
import { log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { OperatorEvent } from '../src/operator-events/types.js';

const atLeastOnce = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const bestEffort = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '100ms', backoffCoefficient: 2, maximumAttempts: 3 },
});

export const isAtLeastOnce = (topic: string): boolean => topic.startsWith('alert.') || topic.startsWith('attempt.');

export async function operatorEventDeliveryWorkflow(events: OperatorEvent[]): Promise<void> {
  const guaranteed = events.filter((e) => isAtLeastOnce(e.topic));
  const optional = events.filter((e) => !isAtLeastOnce(e.topic));
  await Promise.all([
    guaranteed.length > 0 ? atLeastOnce.sendOperatorEvents(guaranteed) : undefined,
    optional.length > 0
      ? bestEffort.sendOperatorEvents(optional).catch((err: unknown) => {
          log.warn('best-effort operator events dropped after 3 attempts', { count: optional.length, error: String(err) });
        })
      : undefined,
  ]);
}
