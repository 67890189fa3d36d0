/**
 * The destination-health workflow's contract: its id, input and state shapes, the outcome and
 * reset signals and the state query. Shared by the workflow, its client (the worker's delivery
 * activity and the API) and the tests. Deterministic, no I/O.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DestinationHealthPolicy } from '../src/destination-health/evaluator.js';

export type { DestinationHealthPolicy } from '../src/destination-health/evaluator.js';

/**
 * The workflow type new runs start as. Runs started under the earlier name `destinationEntityWorkflow`
 * keep it across continue-as-new, so the worker registers both.
 */
export const DESTINATION_HEALTH_WORKFLOW = 'destinationHealthWorkflow';

/** The workflow's signature, for typed starts without importing workflow code. */
export type DestinationHealthWorkflow = (input: DestinationHealthInput) => Promise<void>;

export function destinationHealthWorkflowId(tenantId: string, destinationId: string): string {
  return `destination/${tenantId}/${destinationId}`;
}

/** One delivery attempt's outcome, as reported to the destination's health workflow. */
export interface OutcomeReport {
  readonly attemptId: string;
  readonly eventId: string;
  readonly success: boolean;
  /** RFC 3339 time of the attempt; a batch is applied in this order. */
  readonly time: string;
}

export interface DestinationHealthInput {
  readonly tenantId: string;
  readonly destinationId: string;
  readonly policy: DestinationHealthPolicy;
  readonly carried?: {
    readonly count: number;
    readonly disabled: boolean;
    readonly failingFlag: boolean;
    readonly seen: readonly string[];
    readonly pending: readonly OutcomeReport[];
    readonly counted: number;
  };
}

export interface DestinationHealthSnapshot {
  readonly consecutiveFailures: number;
  readonly max: number;
  /** Levels (percent) the current run of failures has reached. */
  readonly thresholdsReached: readonly number[];
  /** Whether destination health disabled the destination (a reset by enabling clears it). */
  readonly disabledByHealth: boolean;
  /** Outcomes counted since this run of the workflow chain started (deduplicated by attempt id). */
  readonly outcomesCounted: number;
}

/** Outcomes from delivery attempts, batched per worker process (see signal-batcher). */
export const outcomesSignal = defineSignal<[OutcomeReport[]]>('outcomes');
/** `enabled`: the destination was re-enabled, the count starts again; `deleted`: the workflow ends. */
export const resetSignal = defineSignal<[{ reason: 'enabled' | 'deleted' }]>('reset');
export const destinationHealthQuery = defineQuery<DestinationHealthSnapshot>('state');
