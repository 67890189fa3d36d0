import type { Client } from '@temporalio/client';
import type { destinationEntityWorkflow } from '../../workflows/destination-entity.js';
import {
  DestinationIdKey,
  TenantIdKey,
  destinationWorkflowId,
  outcomesSignal,
  resetSignal,
  type HealthPolicy,
  type OutcomeReport,
} from '../../workflows/definitions.js';
import { createSignalBatcher } from './signal-batcher.js';

/** At most ~4 signals per second per worker process into one destination's entity. */
const FLUSH_MS = 250;
const MAX_OUTCOMES = 1000;

/**
 * Reports delivery outcomes to each destination's entity workflow (started on demand with
 * signal-with-start). Outcomes for one destination are batched into one signal per flush window,
 * so a dead destination taking hundreds of failures per second costs a few signals per second.
 * `report` resolves once the outcome is signalled: the delivery activity awaits it.
 */
export function createHealthReporter(deps: { client: Client; taskQueue: string; policy: HealthPolicy | null }) {
  const { policy } = deps;
  const batcher = createSignalBatcher<OutcomeReport & { tenantId: string; destinationId: string }>({
    flushIntervalMs: FLUSH_MS,
    maxItems: MAX_OUTCOMES,
    send: async (workflowId, items) => {
      const { tenantId, destinationId } = items[0]!;
      await deps.client.workflow.signalWithStart<typeof destinationEntityWorkflow, [OutcomeReport[]]>('destinationEntityWorkflow', {
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
      await batcher.add(destinationWorkflowId(tenantId, destinationId), { ...outcome, tenantId, destinationId });
    },
    /** Tells a destination's entity that it was re-enabled (count resets) or deleted (entity ends). */
    async reset(tenantId: string, destinationId: string, reason: 'enabled' | 'deleted'): Promise<void> {
      if (!policy) return;
      try {
        await deps.client.workflow.getHandle(destinationWorkflowId(tenantId, destinationId)).signal(resetSignal, { reason });
      } catch (error) {
        // No entity yet (never failed) or already ended: nothing to reset.
        if ((error as Error).name !== 'WorkflowNotFoundError') throw error;
      }
    },
    close: () => batcher.close(),
  };
}

export type HealthReporter = ReturnType<typeof createHealthReporter>;
