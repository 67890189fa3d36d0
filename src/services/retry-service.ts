import type { AttemptRepository } from '../db/attempt-repository.js';
import type { DestinationRepository } from '../db/destination-repository.js';
import type { EventRepository } from '../db/event-repository.js';
import type { DestinationRegistry } from '../destinations/registry.js';
import type { DeliveryClient } from '../temporal/delivery-client.js';
import { badRequest, notFound } from '../api/errors.js';
import { matches } from './publish-service.js';

export interface RetryDeps {
  readonly events: EventRepository;
  readonly destinations: DestinationRepository;
  readonly attempts: AttemptRepository;
  readonly registry: DestinationRegistry;
  readonly deliveries: DeliveryClient;
}

/**
 * Manual retry (POST /retry): only for an event that already had an attempt to the destination,
 * which must exist, be enabled and still match. The delivery workflow makes the attempt: the
 * signal reaches a running delivery, or starts a new run of a closed one (signal-with-start).
 */
export function createRetryService(deps: RetryDeps) {
  return async function retry(input: { eventId: string; destinationId: string; tenantIds?: string[] | undefined }): Promise<void> {
    const event = await deps.events.get(input.tenantIds?.[0] ?? null, input.eventId);
    if (!event || (input.tenantIds && !input.tenantIds.includes(event.tenantId))) throw notFound('event not found');
    const latest = await deps.attempts.latestFor(event.tenantId, event.id, input.destinationId);
    if (!latest) throw notFound('event not found');
    const destination = await deps.destinations.get(event.tenantId, input.destinationId);
    if (!destination) throw notFound('destination not found');
    if (destination.disabledAt) {
      throw badRequest('Destination is disabled', { error: 'destination_disabled' });
    }
    if (!matches(destination, event)) throw badRequest('destination does not match event');
    await deps.deliveries.retry(
      {
        tenantId: event.tenantId, eventId: event.id, topic: event.topic, eligibleForRetry: event.eligibleForRetry,
        destinationId: destination.id, destinationType: destination.type,
        target: deps.registry.get(destination.type)?.present(destination, new Date()).target ?? destination.type,
      },
      latest.attemptNumber,
    );
  };
}

export type RetryService = ReturnType<typeof createRetryService>;
