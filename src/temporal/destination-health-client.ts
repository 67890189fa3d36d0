import type { Client } from '@temporalio/client';
import {
  DESTINATION_HEALTH_WORKFLOW,
  destinationHealthWorkflowId,
  outcomesSignal,
  resetSignal,
  type DestinationHealthPolicy,
  type DestinationHealthWorkflow,
  type OutcomeReport,
} from '../../workflows/destination-health-contract.js';
import { DestinationIdKey, TenantIdKey } from '../../workflows/search-attributes.js';
import { createSignalBatcher } from './signal-batcher.js';

/** At most ~4 signals per second per worker process into one destination's health workflow. */
const FLUSH_MS = 250;
const MAX_OUTCOMES = 1000;

/**
 * The destination-health workflow's client: reports delivery outcomes to each destination's
 * health workflow (started on demand with signal-with-start). Outcomes for one destination are batched into one signal per flush window,
 * so a dead destination taking hundreds of failures per second costs a few signals per second.
 * `report` resolves once the outcome is signalled: the delivery activity awaits it.
 */
export function createDestinationHealthClient(deps: { client: Client; taskQueue: string; policy: DestinationHealthPolicy | null }) {
  const { policy } = deps;
  const batcher = createSignalBatcher<OutcomeReport & { tenantId: string; destinationId: string }>({
    flushIntervalMs: FLUSH_MS,
    maxItems: MAX_OUTCOMES,
    send: async (workflowId, items) => {
      const { tenantId, destinationId } = items[0]!;
      await deps.client.workflow.signalWithStart<DestinationHealthWorkflow, [OutcomeReport[]]>(DESTINATION_HEALTH_WORKFLOW, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [{ tenantId, destinationId, policy: policy! }],
        signal: outcomesSignal,
        signalArgs: [items.map(({ attemptId, eventId, success, time }) => ({ attemptId, eventId, success, time }))],
        staticSummary: `health of destination ${destinationId} (tenant ${tenantId})`,
        typedSearchAttributes: [
          { key: TenantIdKey, value: tenantId },
          { key: DestinationIdKey, value: destinationId },
        ],
      });
    },
  });

  return {
    /** False when consecutive-failure alerts are off (ALERT_CONSECUTIVE_FAILURE_COUNT empty). */
    enabled: policy !== null,
    async report(tenantId: string, destinationId: string, outcome: OutcomeReport): Promise<void> {
      if (!policy) return;
      await batcher.add(destinationHealthWorkflowId(tenantId, destinationId), { ...outcome, tenantId, destinationId });
    },
    /** Tells a destination's health workflow that it was re-enabled (count resets) or deleted (the workflow ends). */
    async reset(tenantId: string, destinationId: string, reason: 'enabled' | 'deleted'): Promise<void> {
      if (!policy) return;
      try {
        await deps.client.workflow.getHandle(destinationHealthWorkflowId(tenantId, destinationId)).signal(resetSignal, { reason });
      } catch (error) {
        // No health workflow yet (never failed) or already ended: nothing to reset.
        if ((error as Error).name !== 'WorkflowNotFoundError') throw error;
      }
    },
    close: () => batcher.close(),
  };
}

export type DestinationHealthClient = ReturnType<typeof createDestinationHealthClient>;
