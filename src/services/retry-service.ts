import type { AttemptRepository } from '../db/attempt-repository.js';
import type { DestinationRepository } from '../db/destination-repository.js';
import type { EventRepository } from '../db/event-repository.js';
import type { DestinationRegistry } from '../destinations/registry.js';
import type { DeliveryClient } from '../temporal/delivery-client.js';
import { createDeliveryTargets, matches } from './delivery-targets.js';
import { NotFoundError, RetryRefusedError } from './errors.js';

export interface RetryDeps {
  readonly events: Pick<EventRepository, 'get'>;
  readonly destinations: Pick<DestinationRepository, 'get'>;
  readonly attempts: Pick<AttemptRepository, 'latestFor'>;
  readonly registry: Pick<DestinationRegistry, 'get'>;
  readonly deliveries: Pick<DeliveryClient, 'retry'>;
}

/**
 * Manual retry (POST /retry): only for an event that already had an attempt to the destination,
 * which must exist, be enabled and still match. The delivery workflow makes the attempt: the
 * signal reaches a running delivery, or starts a new run of a closed one (signal-with-start).
 */
export function createRetryService(deps: RetryDeps) {
  const deliveryTarget = createDeliveryTargets(deps.registry);
  return async function retry(input: { eventId: string; destinationId: string; tenantIds?: string[] | undefined }): Promise<void> {
    const event = await deps.events.get(input.tenantIds?.[0] ?? null, input.eventId);
    if (!event || (input.tenantIds && !input.tenantIds.includes(event.tenantId))) throw new NotFoundError('event', input.eventId);
    const latest = await deps.attempts.latestFor(event.tenantId, event.id, input.destinationId);
    if (!latest) throw new NotFoundError('event', input.eventId);
    const destination = await deps.destinations.get(event.tenantId, input.destinationId);
    if (!destination) throw new NotFoundError('destination', input.destinationId);
    if (destination.disabledAt) throw new RetryRefusedError('destination_disabled', event.id, destination.id);
    if (!matches(destination, event)) throw new RetryRefusedError('destination_mismatch', event.id, destination.id);
    await deps.deliveries.retry(deliveryTarget(event, destination), latest.attemptNumber);
  };
}

export type RetryService = ReturnType<typeof createRetryService>;
