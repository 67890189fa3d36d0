import { presentAttempt, presentEvent } from '../wire/shapes.js';
import type { Attempt, Destination, EventRecord } from '../domain/types.js';

/** Outpost's destination projection in operator events: no credentials, no delivery metadata. */
export function destinationProjection(d: Destination) {
  return {
    id: d.id,
    tenant_id: d.tenantId,
    type: d.type,
    topics: d.topics,
    config: d.config,
    created_at: d.createdAt.toISOString(),
    disabled_at: d.disabledAt ? d.disabledAt.toISOString() : null,
  };
}

/** `data` of alert.* and attempt.* events: the tenant, the full event, the full attempt, the destination. */
export function attemptEventData(event: EventRecord, attempt: Attempt, destination: Destination) {
  return {
    tenant_id: event.tenantId,
    event: presentEvent(event),
    attempt: presentAttempt(attempt, { responseData: true, eventData: false }),
    destination: destinationProjection(destination),
  };
}
