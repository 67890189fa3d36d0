/**
 * The operator-events workflow's contract: its id, input, the raw event it receives and its signal.
 * Shared by the workflow and its client. Deterministic, no I/O.
 */
import { defineSignal } from '@temporalio/workflow';
import type { OperatorTopic } from '../src/operator-events/types.js';

/** An operator event before it is wrapped in the envelope (id and deployment are added by the workflow). */
export interface RawOperatorEvent {
  readonly topic: OperatorTopic;
  readonly tenantId: string;
  readonly time: string;
  readonly data: Record<string, unknown>;
}

/** The workflow type, as the worker registers it. */
export const OPERATOR_EVENTS_WORKFLOW = 'operatorEventsWorkflow';

/** The workflow's signature, for typed starts without importing workflow code. */
export type OperatorEventsWorkflow = (input: OperatorEventsInput) => Promise<void>;

export const operatorEventsSignal = defineSignal<[RawOperatorEvent[]]>('operator-events');

export function operatorEventsWorkflowId(deploymentId: string): string {
  return `operator-events/${deploymentId || 'default'}`;
}

export interface OperatorEventsInput {
  readonly deploymentId: string;
  readonly carried?: readonly RawOperatorEvent[];
}
