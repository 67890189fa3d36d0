/**
 * Names shared by workflow code, the API and the worker: signals, queries, search attributes,
 * workflow ids and the delivery workflow's input/state shapes. Deterministic, no I/O.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { OperatorTopic } from '../src/operator-events/types.js';

export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const DestinationIdKey = defineSearchAttributeKey('DestinationId', SearchAttributeType.KEYWORD);
export const EventIdKey = defineSearchAttributeKey('EventId', SearchAttributeType.KEYWORD);
export const TopicKey = defineSearchAttributeKey('Topic', SearchAttributeType.KEYWORD);
export const DestinationTypeKey = defineSearchAttributeKey('DestinationType', SearchAttributeType.KEYWORD);
export const DeliveryStatusKey = defineSearchAttributeKey('DeliveryStatus', SearchAttributeType.KEYWORD);
export const AttemptCountKey = defineSearchAttributeKey('AttemptCount', SearchAttributeType.INT);

/** Every custom search attribute Herald registers in its namespace. */
export const heraldSearchAttributes = [
  TenantIdKey,
  DestinationIdKey,
  EventIdKey,
  TopicKey,
  DestinationTypeKey,
  DeliveryStatusKey,
  AttemptCountKey,
] as const;

/**
 * pending: first attempt not made yet · retrying: failed, an automatic retry is scheduled ·
 * delivered: an attempt succeeded · exhausted: failed and no automatic retry is left ·
 * skipped: the destination was disabled or deleted when its turn came.
 */
export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'exhausted' | 'skipped';

export function deliveryWorkflowId(tenantId: string, eventId: string, destinationId: string): string {
  return `delivery/${tenantId}/${eventId}/${destinationId}`;
}

export function destinationWorkflowId(tenantId: string, destinationId: string): string {
  return `destination/${tenantId}/${destinationId}`;
}

export interface DeliveryInput {
  readonly tenantId: string;
  readonly eventId: string;
  readonly destinationId: string;
  readonly destinationType: string;
  readonly topic: string;
  /** Human target for summaries, e.g. `https://example.com/hook`. */
  readonly target: string;
  readonly eligibleForRetry: boolean;
  /** Frozen at start so a config change never alters an in-flight schedule. */
  readonly retryDelaysSeconds: readonly number[];
  readonly attemptTimeoutMs: number;
  readonly awaitManualRetrySeconds: number;
  /**
   * `local`: attempts run as local activities inside the workflow task (one task per one-shot
   * delivery); `activity`: as normal activities (a lost workflow task never re-runs a send, and a
   * slow destination holds an activity slot rather than a workflow-task slot). Absent in runs
   * started before it existed: local when the timeout fits in a workflow task, behind a patch.
   */
  readonly attemptMode?: 'local' | 'activity';
  /**
   * Which behaviour of this workflow the starter asked for (absent in runs started before it
   * existed). 2: the run chooses its attempt mode from `attemptMode` alone and records no
   * `local-attempts-v1` patch marker, one history event less per delivery.
   */
  readonly revision?: 2;
  /** `manual-retry`: started by signal-with-start from POST /retry; the signal carries the attempt. */
  readonly startedBy: 'publish' | 'manual-retry';
  /** Attempts made by earlier runs of this delivery (a closed run retried by hand, or continue-as-new). */
  readonly previousAttempts?: number;
  /** Carried across continue-as-new. */
  readonly carried?: CarriedState;
}

export interface CarriedState {
  readonly status: DeliveryStatus;
  readonly pendingRetryAt: number | null;
  readonly manualQueue: readonly ManualRetryRequest[];
  readonly recent: readonly AttemptSummary[];
}

export interface ManualRetryRequest {
  /** Who asked, for the record: `api`, or anything an operator puts in a raw signal. */
  readonly requestedBy?: string;
}

export interface AttemptSummary {
  readonly attemptNumber: number;
  readonly attemptId: string | null;
  readonly manual: boolean;
  readonly status: 'success' | 'failed' | 'skipped';
  readonly code: string;
  readonly time: string;
}

export interface DeliveryState {
  readonly status: DeliveryStatus;
  readonly attemptCount: number;
  readonly nextRetryAt: string | null;
  readonly attempts: readonly AttemptSummary[];
}

/** Manual retry. Send from the UI or `temporal workflow signal --name retry`; the API uses signal-with-start. */
export const retrySignal = defineSignal<[ManualRetryRequest?]>('retry');
export const attemptsQuery = defineQuery<DeliveryState>('attempts');

// ---------------------------------------------------------------- destination entity

/** One delivery attempt's outcome, as reported to the destination's entity workflow. */
export interface OutcomeReport {
  readonly attemptId: string;
  readonly eventId: string;
  readonly success: boolean;
  /** RFC 3339 time of the attempt; a batch is applied in this order. */
  readonly time: string;
}

export interface HealthPolicy {
  /** ALERT_CONSECUTIVE_FAILURE_COUNT. */
  readonly max: number;
  readonly autoDisable: boolean;
}

export interface DestinationEntityInput {
  readonly tenantId: string;
  readonly destinationId: string;
  readonly policy: HealthPolicy;
  readonly carried?: {
    readonly count: number;
    readonly disabled: boolean;
    readonly failingFlag: boolean;
    readonly seen: readonly string[];
    readonly pending: readonly OutcomeReport[];
    readonly counted: number;
  };
}

export interface DestinationEntityState {
  readonly consecutiveFailures: number;
  readonly max: number;
  /** Levels (percent) the current streak has reached. */
  readonly thresholdsReached: readonly number[];
  readonly disabledByEntity: boolean;
  /** Outcomes counted by this entity since it started (deduplicated by attempt id). */
  readonly outcomesCounted: number;
}

/** Outcomes from delivery attempts, batched per worker process (see signal-batcher). */
export const outcomesSignal = defineSignal<[OutcomeReport[]]>('outcomes');
/** `enabled`: the destination was re-enabled, the count starts again; `deleted`: the entity ends. */
export const resetSignal = defineSignal<[{ reason: 'enabled' | 'deleted' }]>('reset');
export const destinationStateQuery = defineQuery<DestinationEntityState>('state');

// ---------------------------------------------------------------- operator events

/** An operator event before it is wrapped in the envelope (id and deployment are added by the workflow). */
export interface RawOperatorEvent {
  readonly topic: OperatorTopic;
  readonly tenantId: string;
  readonly time: string;
  readonly data: Record<string, unknown>;
}

export const operatorEventsSignal = defineSignal<[RawOperatorEvent[]]>('operator-events');

export function operatorEventsWorkflowId(deploymentId: string): string {
  return `operator-events/${deploymentId || 'default'}`;
}
