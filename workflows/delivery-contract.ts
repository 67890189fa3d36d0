/**
 * The delivery workflow's contract: its id, input and state shapes, the manual-retry signal, the
 * attempts query. Shared by the workflow, its client (the API) and the worker; the search attributes
 * it sets are in `search-attributes.ts`. Deterministic, no I/O.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * pending: first attempt not made yet · retrying: failed, an automatic retry is scheduled ·
 * delivered: an attempt succeeded · exhausted: failed and no automatic retry is left ·
 * skipped: the destination was disabled or deleted when its turn came.
 */
export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'exhausted' | 'skipped';

/** The workflow type, as the worker registers it. */
export const DELIVERY_WORKFLOW = 'deliveryWorkflow';

/** The workflow's signature, for typed starts without importing workflow code. */
export type DeliveryWorkflow = (input: DeliveryInput) => Promise<DeliveryResult>;

export interface DeliveryResult {
  readonly status: DeliveryStatus;
  readonly attemptCount: number;
}

export function deliveryWorkflowId(tenantId: string, eventId: string, destinationId: string): string {
  return `delivery/${tenantId}/${eventId}/${destinationId}`;
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
