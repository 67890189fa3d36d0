/**
 * One operator-event workflow per deployment. Receives operator events as signals (batched per
 * worker process), wraps them in Outpost's envelope and hands each batch to a child workflow that
 * delivers it to the sink. Children are abandoned, so this workflow can continue-as-new at any time
 * and its history stays bounded even while the sink is down.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  startChild,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { OperatorEvent } from '../src/operator-events/types.js';
import { operatorEventsSignal, type OperatorEventsInput, type RawOperatorEvent } from './operator-events-contract.js';
import { operatorEventDeliveryWorkflow } from './operator-event-delivery.js';

/** Events per delivery child: bounds the child's payload and the sink activity's work. */
const CHUNK = 200;
/** Continue-as-new carries at most this many undelivered events (its input payload); above it, drain first. */
const CARRY_LIMIT = 400;
/**
 * Runs that record this marker stop draining once continue-as-new is suggested; earlier runs drained
 * until the queue was empty, which under a steady stream of signals was never.
 */
const CONTINUE_MID_STREAM_PATCH = 'operator-events-continue-mid-stream';

export async function operatorEventsWorkflow(input: OperatorEventsInput): Promise<void> {
  const queue: RawOperatorEvent[] = [...(input.carried ?? [])];
  setHandler(operatorEventsSignal, (batch) => void queue.push(...batch));

  const envelope = (e: RawOperatorEvent): OperatorEvent => ({
    id: uuid4(),
    topic: e.topic,
    time: e.time,
    ...(input.deploymentId ? { deployment_id: input.deploymentId } : {}),
    tenant_id: e.tenantId,
    data: e.data,
  });

  while (!workflowInfo().continueAsNewSuggested) {
    await condition(() => queue.length > 0 || workflowInfo().continueAsNewSuggested);
    while (queue.length > 0) {
      if (workflowInfo().continueAsNewSuggested && queue.length <= CARRY_LIMIT && patched(CONTINUE_MID_STREAM_PATCH)) break;
      const events = queue.splice(0, CHUNK).map(envelope);
      const topics = [...new Set(events.map((e) => e.topic))].join(', ');
      await startChild(operatorEventDeliveryWorkflow, {
        workflowId: `${workflowInfo().workflowId}/batch/${uuid4()}`,
        args: [events],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `${events.length} operator event(s): ${topics}`.slice(0, 200),
      });
    }
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof operatorEventsWorkflow>({ deploymentId: input.deploymentId, carried: queue });
}
