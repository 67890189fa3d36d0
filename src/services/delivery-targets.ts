import type { DestinationRegistry } from '../destinations/registry.js';
import { matchFilter, toFilterTime } from '../domain/filter.js';
import { destinationMatchesTopic } from '../domain/topics.js';
import type { Destination, EventRecord } from '../domain/types.js';
import type { DeliveryTarget } from '../temporal/delivery-client.js';

/** Whether `event` goes to `destination`: its topic is among the destination's and its filter passes. */
export function matches(destination: Destination, event: Pick<EventRecord, 'id' | 'topic' | 'time' | 'metadata' | 'data'>): boolean {
  return (
    destinationMatchesTopic(destination.topics, event.topic) &&
    matchFilter(destination.filter, {
      id: event.id, topic: event.topic, time: toFilterTime(event.time), metadata: event.metadata, data: event.data,
    })
  );
}

export type DeliveryTargetOf = (
  event: Pick<EventRecord, 'tenantId' | 'id' | 'topic' | 'eligibleForRetry'>,
  destination: Destination,
) => DeliveryTarget;

/**
 * What a delivery workflow is started (or retried) with for an event and a destination, the
 * target shown being the provider's (the webhook URL, the queue) or else the destination type.
 * The shown target is kept per destination object: publish gets the same objects from the
 * destination cache every time, so it is worked out once per destination version.
 */
export function createDeliveryTargets(registry: Pick<DestinationRegistry, 'get'>): DeliveryTargetOf {
  const shown = new WeakMap<Destination, string>();
  const shownTarget = (d: Destination): string => {
    let target = shown.get(d);
    if (target === undefined) {
      target = registry.get(d.type)?.present(d, new Date()).target ?? d.type;
      shown.set(d, target);
    }
    return target;
  };
  return (event, destination) => ({
    tenantId: event.tenantId, eventId: event.id, topic: event.topic, eligibleForRetry: event.eligibleForRetry,
    destinationId: destination.id, destinationType: destination.type, target: shownTarget(destination),
  });
}
