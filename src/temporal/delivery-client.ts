import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../config/config.js';
import { DependencyUnavailableError, asDependencyUnavailable } from '../services/unavailable.js';
import {
  DELIVERY_WORKFLOW,
  attemptsQuery,
  deliveryWorkflowId,
  retrySignal,
  type DeliveryInput,
  type DeliveryState,
  type DeliveryWorkflow,
} from '../../workflows/delivery-contract.js';
import {
  AttemptCountKey,
  DeliveryStatusKey,
  DestinationIdKey,
  DestinationTypeKey,
  EventIdKey,
  TenantIdKey,
  TopicKey,
} from '../../workflows/search-attributes.js';

export interface DeliveryTarget {
  readonly tenantId: string;
  readonly eventId: string;
  readonly topic: string;
  readonly eligibleForRetry: boolean;
  readonly destinationId: string;
  readonly destinationType: string;
  /** Human-readable target, e.g. the webhook URL. */
  readonly target: string;
}

/** Slots taken ahead of the calls that will use them (see `reserve`). */
export interface StartReservation {
  unused: number;
  release(): void;
}

/**
 * The delivery workflow's client: starts delivery workflows and sends manual retries. Used by the
 * API; safe to call repeatedly.
 */
export function createDeliveryClient(deps: {
  client: Client;
  taskQueue: string;
  delivery: Config['delivery'];
  /**
   * A worker for `taskQueue` runs in this process on the client's NativeConnection: ask for eager
   * start, so the server hands the first workflow task straight back in the start response.
   */
  eagerStart?: boolean;
  /** Deadline of each call to Temporal: past it the caller is answered "unavailable" instead of waiting. */
  callTimeoutMs: number;
  /**
   * Calls to Temporal this process may have under way at once (a call that timed out counts until
   * it ends); the bound applied adapts below it while Temporal is slow.
   */
  maxInFlight: number;
}) {
  const { client, taskQueue, delivery } = deps;
  let inFlight = 0;
  /**
   * The in-flight bound actually applied: additive increase, multiplicative decrease. A call that
   * is slow (over half the deadline) or unavailable halves it; each prompt one raises it by about
   * one per round of calls, up to `maxInFlight`. So when Temporal slows down the API refuses new
   * publishes before it stores them, instead of storing events whose starts then time out.
   */
  let limit = deps.maxInFlight;
  const slowMs = deps.callTimeoutMs / 2;
  /**
   * When the bound was last halved. One congestion event halves it once: calls that were already
   * under way then were slowed by the same event, so only calls started after it may halve it again
   * (as TCP halves its window once per round trip, not once per lost packet).
   */
  let decreasedAt = -Infinity;
  const settled = (startedAt: number, ok: boolean) => {
    inFlight -= 1;
    if (ok && Date.now() - startedAt <= slowMs) limit = Math.min(deps.maxInFlight, limit + 1 / Math.max(1, limit));
    else if (startedAt >= decreasedAt) {
      limit = Math.max(1, limit / 2);
      decreasedAt = Date.now();
    }
  };

  /**
   * Runs one Temporal call under the deadline; gRPC unavailability becomes DependencyUnavailableError.
   * The native client keeps retrying a refused connection past a gRPC deadline, so the caller is
   * released by a timer of its own; the call itself still counts against `maxInFlight` until it
   * ends, which is what bounds the work a Temporal outage can pile up.
   */
  const call = async <T>(fn: () => Promise<T>, reservation?: StartReservation): Promise<T> => {
    // A call made under a reservation takes over one of its already-counted slots.
    if (reservation && reservation.unused > 0) reservation.unused -= 1;
    else inFlight += 1;
    const startedAt = Date.now();
    const work = client.withDeadline(startedAt + deps.callTimeoutMs, fn);
    void work.then(
      () => settled(startedAt, true),
      (error: unknown) => settled(startedAt, error instanceof WorkflowExecutionAlreadyStartedError),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DependencyUnavailableError('temporal', 2, 'Temporal did not answer in time')), deps.callTimeoutMs + 250);
    });
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      throw asDependencyUnavailable(error) ?? error;
    } finally {
      clearTimeout(timer);
    }
  };

  const input = (t: DeliveryTarget, startedBy: DeliveryInput['startedBy'], previousAttempts = 0): DeliveryInput => ({
    tenantId: t.tenantId,
    eventId: t.eventId,
    destinationId: t.destinationId,
    destinationType: t.destinationType,
    topic: t.topic,
    target: t.target,
    eligibleForRetry: t.eligibleForRetry,
    retryDelaysSeconds: delivery.retryDelaysSeconds,
    attemptTimeoutMs: delivery.timeoutMs,
    attemptMode: delivery.attemptMode,
    revision: 2,
    awaitManualRetrySeconds: delivery.awaitManualRetrySeconds,
    startedBy,
    previousAttempts,
  });

  const common = (t: DeliveryTarget) => ({
    taskQueue,
    workflowId: deliveryWorkflowId(t.tenantId, t.eventId, t.destinationId),
    staticSummary: `${t.topic || '(no topic)'} → ${t.destinationType} ${t.target}`.slice(0, 200),
    typedSearchAttributes: [
      { key: TenantIdKey, value: t.tenantId },
      { key: DestinationIdKey, value: t.destinationId },
      { key: EventIdKey, value: t.eventId },
      { key: TopicKey, value: t.topic },
      { key: DestinationTypeKey, value: t.destinationType },
      { key: DeliveryStatusKey, value: 'pending' },
      { key: AttemptCountKey, value: 0 },
    ],
  });

  return {
    /**
     * Takes `calls` slots under `maxInFlight` at once, or returns null when they do not fit: publish
     * reserves before it stores an event, so concurrent publishes cannot all pass the check.
     * Release the reservation when done; slots its calls took stay counted until those calls end.
     */
    reserve(calls: number): StartReservation | null {
      // One publish always fits when nothing is in flight, however small the bound has become.
      if (inFlight > 0 && inFlight + calls > Math.floor(limit)) return null;
      inFlight += calls;
      const reservation: StartReservation = {
        unused: calls,
        release() {
          inFlight -= reservation.unused;
          reservation.unused = 0;
        },
      };
      return reservation;
    },

    /** Whether `calls` more calls fit under the bound now. */
    hasCapacity: (calls: number): boolean => inFlight === 0 || inFlight + calls <= Math.floor(limit),

    /**
     * Starts the delivery unless it was ever started: the workflow id is the idempotency key,
     * and REJECT_DUPLICATE keeps a re-publish from delivering twice even after the run closed.
     * Returns false when it already existed.
     */
    async start(t: DeliveryTarget, reservation?: StartReservation): Promise<boolean> {
      try {
        await call(() => client.workflow.start<DeliveryWorkflow>(DELIVERY_WORKFLOW, {
          ...common(t),
          args: [input(t, 'publish')],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          ...(deps.eagerStart ? { requestEagerStart: true } : {}),
        }), reservation);
        return true;
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
        throw error;
      }
    },

    /**
     * The delivery's `attempts` query, or null when Temporal no longer keeps the run (retention) or
     * does not answer within the call deadline (no worker to run the query, Temporal down). Not
     * counted against the start bound: a slow query must not make publishes refused.
     */
    async state(tenantId: string, eventId: string, destinationId: string): Promise<DeliveryState | null> {
      const handle = client.workflow.getHandle(deliveryWorkflowId(tenantId, eventId, destinationId));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), deps.callTimeoutMs + 250); });
      // Not found, a query timeout and an unavailable Temporal all leave the caller the attempt log.
      const query = client.withDeadline(Date.now() + deps.callTimeoutMs, () => handle.query(attemptsQuery)).catch(() => null);
      try {
        return await Promise.race([query, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    /** Manual retry: signal the running delivery, or start a new run of it that makes the attempt. */
    async retry(t: DeliveryTarget, previousAttempts: number): Promise<void> {
      await call(() => client.workflow.signalWithStart<DeliveryWorkflow, [ { requestedBy?: string }? ]>(DELIVERY_WORKFLOW, {
        ...common(t),
        args: [input(t, 'manual-retry', previousAttempts)],
        signal: retrySignal,
        signalArgs: [{ requestedBy: 'api' }],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        workflowIdConflictPolicy: 'USE_EXISTING',
      }));
    },
  };
}

export type DeliveryClient = ReturnType<typeof createDeliveryClient>;
