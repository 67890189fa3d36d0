import { Context } from '@temporalio/activity';
import type { DestinationRegistry } from '../src/destinations/registry.js';
import type { PublishResult } from '../src/destinations/types.js';
import { createSendLedger, type SendResolution } from './attempt-sends.js';
import type { AttemptRepository } from '../src/db/attempt-repository.js';
import type { DestinationCache } from '../src/db/destination-cache.js';
import type { Logger } from '../src/logger.js';
import type { AlertRepository } from '../src/db/alert-repository.js';
import type { Attempt, Destination, EventRecord } from '../src/domain/types.js';
import type { OperatorEventsClient } from '../src/temporal/operator-events-client.js';
import { attemptEventData } from '../src/operator-events/payloads.js';
import type { DestinationHealthClient } from '../src/temporal/destination-health-client.js';
import type { Telemetry } from '../src/telemetry/telemetry.js';

export interface DeliverAttemptInput {
  readonly workflowId: string;
  readonly tenantId: string;
  readonly eventId: string;
  readonly destinationId: string;
  /** The destination's type when the delivery started (the claim row needs one before the destination is read). */
  readonly destinationType?: string;
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
  readonly config: { readonly delivery: { readonly timeoutMs: number } };
  readonly destinationCache: DestinationCache;
  readonly attempts: AttemptRepository;
  readonly registry: DestinationRegistry;
  readonly logger: Logger;
  readonly destinationHealth: DestinationHealthClient;
  readonly operatorEvents: OperatorEventsClient;
  readonly alerts: AlertRepository;
  /** ALERT_EXHAUSTED_RETRIES_WINDOW_SECONDS; null = that alert is off. */
  readonly exhaustedRetriesWindowSeconds: number | null;
  /** Counts each send (`delivered_events`, `delivery_latency`) and labels the attempt's span. */
  readonly telemetry: Pick<Telemetry, 'attemptSent'>;
}

/**
 * Room above the per-attempt timeout before another process presumes a sender gone: a starved
 * process may be late to record its outcome, and presuming it gone too early sends twice.
 */
const LEASE_MARGIN_MS = 10_000;

/**
 * One delivery attempt: look up the destination (skip when disabled or deleted), send once, record.
 * Destination-side failures are returned as outcomes; only infrastructure errors throw, and
 * Temporal retries those. A retried or re-run execution never sends an attempt that was already
 * sent and recorded (see the send ledger); executions of the same attempt in one process share
 * one send.
 */
export function createDeliverAttempt(deps: DeliverAttemptDeps) {
  const ledger = createSendLedger({ attempts: deps.attempts, logger: deps.logger, leaseMs: deps.config.delivery.timeoutMs + LEASE_MARGIN_MS });
  const running = new Map<string, Promise<AttemptOutcome>>();

  async function execute(input: DeliverAttemptInput): Promise<AttemptOutcome> {
    const ref = {
      workflowId: input.workflowId, tenantId: input.tenantId, eventId: input.eventId, destinationId: input.destinationId,
      destinationType: input.destinationType ?? 'unknown', attemptNumber: input.attemptNumber, manual: input.manual,
    };
    const [destination, { claim: firstClaim, event }] = await Promise.all([
      deps.destinationCache.find(input.tenantId, input.destinationId),
      ledger.claimFirst(ref),
    ]);
    const resolution: SendResolution = firstClaim ? { kind: 'claimed', claim: firstClaim } : await ledger.settle(ref);
    if (resolution.kind === 'recorded') {
      // Sent and recorded by an earlier execution whose result was lost: report it, do not send again.
      const recorded = resolution.attempt;
      if (event && destination) await Promise.all(reportAttempt(deps, input, event, destination, recorded));
      return outcomeOf(recorded);
    }
    const { claim } = resolution;
    if (!destination || destination.disabledAt || !event) {
      await ledger.release(claim);
      const code = !event ? 'event_missing' : !destination ? 'destination_deleted' : 'destination_disabled';
      if (!event) deps.logger.error({ ...input }, 'delivery refers to an event that is not stored');
      return { status: 'skipped', code, attemptId: null, time: new Date().toISOString() };
    }

    let result: PublishResult;
    const sendStartedAt = performance.now();
    try {
      result = await deps.registry.publish({ event, destination, signal: safeCancellationSignal(), attemptId: claim.id });
    } catch (error) {
      // Shutdown or cancellation: the request may have gone out. Record that, then let Temporal retry.
      await ledger.interrupt(claim).catch(() => undefined);
      throw error;
    }
    const attempt: Attempt = {
      id: claim.id,
      tenantId: input.tenantId,
      eventId: input.eventId,
      destinationId: input.destinationId,
      destinationType: destination.type,
      attemptNumber: input.attemptNumber,
      sendSeq: claim.sendSeq,
      manual: input.manual,
      status: result.ok ? 'success' : 'failed',
      code: result.code,
      responseData: result.responseData,
      time: new Date(),
      exhaustedRetries: !result.ok && input.finalIfFailed,
    };
    await ledger.record(attempt);
    deps.telemetry.attemptSent(attempt, performance.now() - sendStartedAt);
    // Awaited before the activity completes: a crash before here re-runs the attempt, which finds
    // it recorded and reports it again, so destination health and the operator events hear of it at least once.
    await Promise.all(reportAttempt(deps, input, event, destination, attempt));
    return outcomeOf(attempt, result);
  }

  return async function deliverAttempt(input: DeliverAttemptInput): Promise<AttemptOutcome> {
    // A local activity re-run after its workflow task was lost can start while the first run is
    // still sending: join it rather than wait for its lease in the database.
    const key = `${input.workflowId}#${input.attemptNumber}`;
    const inFlight = running.get(key);
    if (inFlight) return inFlight;
    const stopHeartbeat = keepHeartbeating();
    const run = execute(input).finally(() => {
      running.delete(key);
      stopHeartbeat();
    });
    running.set(key, run);
    return run;
  };
}

function outcomeOf(attempt: Attempt, result?: PublishResult): AttemptOutcome {
  const retryAfterMs = result && !result.ok ? result.retryAfterMs : undefined;
  return {
    status: attempt.status,
    code: attempt.code,
    attemptId: attempt.id,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    time: attempt.time.toISOString(),
  };
}

/** The side effects of a recorded attempt: destination-health outcome, attempt.* and exhausted-retries events. */
function reportAttempt(
  deps: DeliverAttemptDeps,
  input: DeliverAttemptInput,
  event: EventRecord,
  destination: Destination,
  attempt: Attempt,
): Promise<void>[] {
  const success = attempt.status === 'success';
  const effects: Promise<void>[] = [];
  // A healthy destination's success costs nothing: only failures and successes that end a run of failures signal.
  if (!success || destination.failing) {
    effects.push(deps.destinationHealth.report(attempt.tenantId, attempt.destinationId, {
      attemptId: attempt.id, eventId: attempt.eventId, success, time: attempt.time.toISOString(),
    }));
  }
  const topic = success ? 'attempt.success' : 'attempt.failed';
  const exhausted = !success && input.alertIfExhausted === true && deps.exhaustedRetriesWindowSeconds !== null &&
    deps.operatorEvents.isSubscribed('alert.attempt.exhausted_retries');
  if (!deps.operatorEvents.isSubscribed(topic) && !exhausted) return effects;
  const data = attemptEventData(event, attempt, destination);
  if (deps.operatorEvents.isSubscribed(topic)) effects.push(deps.operatorEvents.emit(topic, attempt.tenantId, data));
  if (exhausted) {
    const key = `exhausted_retries/${attempt.tenantId}/${attempt.eventId}/${attempt.destinationId}`;
    effects.push((async () => {
      if (await deps.alerts.claim(key, deps.exhaustedRetriesWindowSeconds!, attempt.id)) {
        await deps.operatorEvents.emit('alert.attempt.exhausted_retries', attempt.tenantId, data);
      }
    })());
  }
  return effects;
}

/**
 * A normal activity heartbeats while it runs (the SDK throttles the calls), so the server notices
 * a dead worker within the heartbeat timeout; a local activity has no heartbeat.
 */
function keepHeartbeating(): () => void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return () => undefined; // called outside an activity (tests, tools)
  }
  if (context.info.isLocal) return () => undefined;
  const timer = setInterval(() => context.heartbeat(), 2_000);
  return () => clearInterval(timer);
}

function safeCancellationSignal(): AbortSignal {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return new AbortController().signal; // called outside an activity (tests, tools)
  }
}
