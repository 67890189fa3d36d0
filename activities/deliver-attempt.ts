import { Context } from '@temporalio/activity';
import type { DestinationRegistry } from '../src/destinations/registry.js';
import type { AttemptRepository } from '../src/db/attempt-repository.js';
import type { DestinationRepository } from '../src/db/destination-repository.js';
import type { EventRepository } from '../src/db/event-repository.js';
import { attemptId } from '../src/domain/ids.js';
import type { Logger } from '../src/logger.js';

export interface DeliverAttemptInput {
  readonly workflowId: string;
  readonly tenantId: string;
  readonly eventId: string;
  readonly destinationId: string;
  readonly attemptNumber: number;
  readonly manual: boolean;
  /** No automatic retry follows a failure of this attempt: record it as having exhausted retries. */
  readonly finalIfFailed: boolean;
}

export interface AttemptOutcome {
  readonly status: 'success' | 'failed' | 'skipped';
  /** HTTP status, `OK`, a failure class (`timeout`, …), or the skip reason. */
  readonly code: string;
  readonly attemptId: string | null;
  readonly retryAfterMs?: number;
  readonly time: string;
}

export interface DeliverAttemptDeps {
  readonly events: EventRepository;
  readonly destinations: DestinationRepository;
  readonly attempts: AttemptRepository;
  readonly registry: DestinationRegistry;
  readonly logger: Logger;
}

/**
 * One delivery attempt: load the destination (skip when disabled or deleted), send, record.
 * Destination-side failures are returned as outcomes; only infrastructure errors throw, and
 * Temporal retries those. The attempt row is an idempotent upsert keyed by a deterministic id.
 */
export function createDeliverAttempt(deps: DeliverAttemptDeps) {
  return async function deliverAttempt(input: DeliverAttemptInput): Promise<AttemptOutcome> {
    const [destination, event] = await Promise.all([
      deps.destinations.get(input.tenantId, input.destinationId),
      deps.events.get(input.tenantId, input.eventId),
    ]);
    const now = new Date();
    if (!destination || destination.disabledAt || !event) {
      const code = !event ? 'event_missing' : !destination ? 'destination_deleted' : 'destination_disabled';
      if (!event) deps.logger.error({ ...input }, 'delivery refers to an event that is not stored');
      return { status: 'skipped', code, attemptId: null, time: now.toISOString() };
    }

    const signal = safeCancellationSignal();
    const result = await deps.registry.publish({ event, destination, signal });
    const id = attemptId(input.workflowId, input.attemptNumber);
    const time = new Date();
    await deps.attempts.upsert({
      id,
      tenantId: input.tenantId,
      eventId: input.eventId,
      destinationId: input.destinationId,
      destinationType: destination.type,
      attemptNumber: input.attemptNumber,
      manual: input.manual,
      status: result.ok ? 'success' : 'failed',
      code: result.code,
      responseData: result.responseData,
      time,
      exhaustedRetries: !result.ok && input.finalIfFailed,
    });
    return {
      status: result.ok ? 'success' : 'failed',
      code: result.code,
      attemptId: id,
      ...(!result.ok && result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
      time: time.toISOString(),
    };
  };
}

function safeCancellationSignal(): AbortSignal {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return new AbortController().signal; // called outside an activity (tests, tools)
  }
}
