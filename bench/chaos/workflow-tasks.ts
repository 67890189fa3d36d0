import { Client, Connection } from '@temporalio/client';

/** How often the run's delivery workflows saw a workflow task time out, read from their histories. */
export interface WorkflowTaskTimeouts {
  readonly workflows: number;
  /** A worker took the task but did not complete it in time (overload, or a killed worker). */
  readonly start_to_close: number;
  /** A task waited on a worker's sticky queue past its timeout and went back to the shared queue. */
  readonly schedule_to_start: number;
  /** Workflows with at least one of either. */
  readonly workflows_affected: number;
}

const CONCURRENCY = 8;

/**
 * Walks the histories of every delivery workflow of the tenant. It is the server's own account, so
 * it counts what the worker's logs may not (a task that timed out while its worker was dead).
 */
export async function countWorkflowTaskTimeouts(address: string, tenantId: string): Promise<WorkflowTaskTimeouts> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: 'herald' });
    const ids: string[] = [];
    for await (const execution of client.workflow.list({ query: `TenantId = "${tenantId}"` })) ids.push(execution.workflowId);
    let startToClose = 0;
    let scheduleToStart = 0;
    let affected = 0;
    for (let i = 0; i < ids.length; i += CONCURRENCY) {
      await Promise.all(ids.slice(i, i + CONCURRENCY).map(async (workflowId) => {
        const history = await client.workflow.getHandle(workflowId).fetchHistory();
        let hit = false;
        for (const event of history.events ?? []) {
          const timedOut = event.workflowTaskTimedOutEventAttributes;
          if (!timedOut) continue;
          hit = true;
          // TimeoutType 1 = START_TO_CLOSE, 2 = SCHEDULE_TO_START.
          if (Number(timedOut.timeoutType) === 2) scheduleToStart += 1;
          else startToClose += 1;
        }
        if (hit) affected += 1;
      }));
    }
    return { workflows: ids.length, start_to_close: startToClose, schedule_to_start: scheduleToStart, workflows_affected: affected };
  } finally {
    await connection.close();
  }
}
