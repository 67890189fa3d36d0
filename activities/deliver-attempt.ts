import { Context } from '@temporalio/activity';
import type { DestinationRegistry } from '../src/destinations/registry.js';
import type { AttemptRepository } from '../src/db/attempt-repository.js';
import type { DestinationRepository } from '../src/db/destination-repository.js';
import type { EventRepository } from '../src/db/event-repository.js';
import { attemptId } from '../src/domain/ids.js';
import type { Logger } from '../src/logger.js';
import type { AlertRepository } from '../src/db/alert-repository.js';
import type { Attempt, Destination, EventRecord } from '../src/domain/types.js';
import type { OperatorEventEmitter } from '../src/operator-events/emitter.js';
import { attemptEventData } from '../src/operator-events/payloads.js';
import type { HealthReporter } from '../src/temporal/health-reporter.js';

export interface DeliverAttemptInput {
  readonly workflowId: string;
  readonly tenantId: string;
  readonly eventId: string;
  readonly destinationId: string;
  readonly attemptNumber: number;
  readonly manual: boolean;
  /** No automatic retry follows a failure of this attempt: record it as having exhausted retries. */
  readonly finalIfFailed: boolean;
  /** A failure of this attempt raises alert.attempt.exhausted_retries (eligible, with a retry budget). */
  readonly alertIfExhausted?: boolean;
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
  readonly health: HealthReporter;
  readonly emitter: OperatorEventEmitter;
  readonly alerts: AlertRepository;
  /** ALERT_EXHAUSTED_RETRIES_WINDOW_SECONDS; null = that alert is off. */
  readonly exhaustedRetriesWindowSeconds: number | null;
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
    const attempt: Attempt = {
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
    };
    await deps.attempts.upsert(attempt);
    // Awaited before the activity completes: a crash before here re-runs the attempt, so the
    // entity and the operator events hear of it at least once.
    await Promise.all(reportAttempt(deps, input, event, destination, attempt));
    return {
      status: result.ok ? 'success' : 'failed',
      code: result.code,
      attemptId: id,
      ...(!result.ok && result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
      time: time.toISOString(),
    };
  };
}

/** The side effects of a recorded attempt: entity outcome, attempt.* and exhausted-retries events. */
function reportAttempt(
  deps: DeliverAttemptDeps,
  input: DeliverAttemptInput,
  event: EventRecord,
  destination: Destination,
  attempt: Attempt,
): Promise<void>[] {
  const success = attempt.status === 'success';
  const effects: Promise<void>[] = [];
  // A healthy destination's success costs nothing: only failures and streak-ending successes signal.
  if (!success || destination.failing) {
    effects.push(deps.health.report(attempt.tenantId, attempt.destinationId, {
      attemptId: attempt.id, eventId: attempt.eventId, success, time: attempt.time.toISOString(),
    }));
  }
  const topic = success ? 'attempt.success' : 'attempt.failed';
  const exhausted = !success && input.alertIfExhausted === true && deps.exhaustedRetriesWindowSeconds !== null &&
    deps.emitter.isSubscribed('alert.attempt.exhausted_retries');
  if (!deps.emitter.isSubscribed(topic) && !exhausted) return effects;
  const data = attemptEventData(event, attempt, destination);
  if (deps.emitter.isSubscribed(topic)) effects.push(deps.emitter.emit(topic, attempt.tenantId, data));
  if (exhausted) {
    const key = `exhausted_retries/${attempt.tenantId}/${attempt.eventId}/${attempt.destinationId}`;
    effects.push((async () => {
      if (await deps.alerts.claim(key, deps.exhaustedRetriesWindowSeconds!, attempt.id)) {
        await deps.emitter.emit('alert.attempt.exhausted_retries', attempt.tenantId, data);
      }
    })());
  }
  return effects;
}

function safeCancellationSignal(): AbortSignal {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return new AbortController().signal; // called outside an activity (tests, tools)
  }
}
