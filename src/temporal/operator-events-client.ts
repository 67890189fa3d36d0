import type { Client } from '@temporalio/client';
import type { Config } from '../config/config.js';
import type { OperatorTopic } from '../operator-events/types.js';
import { OPERATOR_EVENTS_WORKFLOW, operatorEventsSignal, operatorEventsWorkflowId } from '../../workflows/operator-events-contract.js';
import type { OperatorEventsWorkflow, RawOperatorEvent } from '../../workflows/operator-events-contract.js';
import { createSignalBatcher } from './signal-batcher.js';

/** Signals per second into the operator-event workflow stay near 1/flush interval per process. */
const FLUSH_MS = 100;
const MAX_EVENTS = 500;
/** Keep a signal well under Temporal's 2 MB payload limit. */
const MAX_BYTES = 1_000_000;

/**
 * The operator-events workflow's client: emits operator events to the deployment's workflow. Topics that are not
 * subscribed are dropped here, so they are never signalled. `emit` resolves once the event is
 * signalled (batched with others), so a caller that awaits it has at-least-once delivery.
 */
export function createOperatorEventsClient(deps: {
  client: Client;
  taskQueue: string;
  deploymentId: string;
  operatorEvents: Config['operatorEvents'];
}) {
  const subscribed = new Set<string>(deps.operatorEvents.topics);
  const workflowId = operatorEventsWorkflowId(deps.deploymentId);
  const batcher = createSignalBatcher<RawOperatorEvent>({
    flushIntervalMs: FLUSH_MS,
    maxItems: MAX_EVENTS,
    maxBytes: MAX_BYTES,
    sizeOf: (e) => JSON.stringify(e.data).length + 200,
    send: async (_key, events) => {
      await deps.client.workflow.signalWithStart<OperatorEventsWorkflow, [RawOperatorEvent[]]>(OPERATOR_EVENTS_WORKFLOW, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [{ deploymentId: deps.deploymentId }],
        signal: operatorEventsSignal,
        signalArgs: [events],
        staticSummary: `operator events of deployment ${deps.deploymentId || 'default'}`,
      });
    },
  });

  return {
    isSubscribed: (topic: OperatorTopic): boolean => subscribed.has(topic),
    async emit(topic: OperatorTopic, tenantId: string, data: Record<string, unknown>): Promise<void> {
      if (!subscribed.has(topic)) return;
      await batcher.add(workflowId, { topic, tenantId, time: new Date().toISOString(), data });
    },
    close: () => batcher.close(),
  };
}

export type OperatorEventsClient = ReturnType<typeof createOperatorEventsClient>;
