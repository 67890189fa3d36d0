import type { AlertRepository } from '../src/db/alert-repository.js';
import type { AttemptRepository } from '../src/db/attempt-repository.js';
import type { DestinationRepository } from '../src/db/destination-repository.js';
import type { EventRepository } from '../src/db/event-repository.js';
import type { ThresholdAlert } from '../src/destination-health/evaluator.js';
import type { Logger } from '../src/logger.js';
import type { OperatorEventsClient } from '../src/temporal/operator-events-client.js';
import { attemptEventData } from '../src/operator-events/payloads.js';

export interface HealthAlert extends ThresholdAlert {
  readonly eventId: string;
  readonly attemptId: string;
}

export interface ApplyDestinationHealthInput {
  readonly tenantId: string;
  readonly destinationId: string;
  readonly alerts: readonly HealthAlert[];
  /** Disable the destination; the attempt that reached 100 %. */
  readonly disable?: { readonly eventId: string; readonly attemptId: string } | undefined;
  /** Whether the destination has consecutive failures, mirrored on its row. */
  readonly failing: boolean;
}

export interface DestinationHealthDeps {
  readonly events: EventRepository;
  readonly destinations: DestinationRepository;
  readonly attempts: AttemptRepository;
  readonly alertsRepo?: AlertRepository;
  readonly operatorEvents: OperatorEventsClient;
  readonly logger: Logger;
}

/**
 * The destination-health workflow's effects, in order: disable (Postgres `disabled_at`, visible at once),
 * the consecutive-failure alerts, the disabled alert, then the failing flag. Safe to repeat: a
 * retry may re-send alerts (at least once), never un-disable.
 */
export function createApplyDestinationHealth(deps: DestinationHealthDeps) {
  const payload = async (tenantId: string, destinationId: string, eventId: string, attemptId: string) => {
    const [event, attempt, destination] = await Promise.all([
      deps.events.get(tenantId, eventId),
      deps.attempts.get(tenantId, attemptId),
      deps.destinations.get(tenantId, destinationId),
    ]);
    if (!event || !attempt || !destination) return null;
    return attemptEventData(event, attempt, destination);
  };

  return async function applyDestinationHealth(input: ApplyDestinationHealthInput): Promise<void> {
    const { tenantId, destinationId } = input;
    let disabledAt: Date | null = null;
    if (input.disable) {
      const existing = await deps.destinations.get(tenantId, destinationId);
      const updated = existing?.disabledAt ? existing : await deps.destinations.setDisabledAt(tenantId, destinationId, new Date());
      disabledAt = updated?.disabledAt ?? null;
      deps.logger.warn({ tenantId, destinationId, disabledAt }, 'destination disabled after consecutive failures');
    }
    // Concurrently: they share one signal batch, so a burst of alerts costs one flush, not one each.
    await Promise.all(input.alerts.map(async (alert) => {
      const data = await payload(tenantId, destinationId, alert.eventId, alert.attemptId);
      if (!data) return; // the destination or its log rows are gone: nothing meaningful to report
      await deps.operatorEvents.emit('alert.destination.consecutive_failure', tenantId, {
        ...data,
        consecutive_failures: { current: alert.current, max: alert.max, threshold: alert.threshold },
      });
    }));
    if (input.disable && disabledAt) {
      const data = await payload(tenantId, destinationId, input.disable.eventId, input.disable.attemptId);
      if (data) {
        await deps.operatorEvents.emit('alert.destination.disabled', tenantId, {
          ...data, disabled_at: disabledAt.toISOString(), reason: 'consecutive_failure',
        });
      }
    }
    await deps.destinations.setFailing(tenantId, destinationId, input.failing);
  };
}
