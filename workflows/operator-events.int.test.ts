import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Activities } from '../activities/index.js';
import type { OperatorEvent } from '../src/operator-events/types.js';
import { workflowBundle } from '../src/temporal/worker.js';
import { eventually } from '../test/harness/eventually.js';
import { connectTestTemporal } from '../test/harness/temporal.js';
import { operatorEventsSignal, type RawOperatorEvent } from './operator-events-contract.js';
import type { operatorEventsWorkflow } from './operator-events.js';

let connection: NativeConnection;
let client: Client;

beforeAll(async () => {
  ({ connection, client } = await connectTestTemporal(inject('temporalAddress')));
});
afterAll(async () => connection?.close());


describe('operator-events workflow', () => {
  it('when events arrive in a steady stream past the continue-as-new suggestion, then it continues as new and every event is sent once', async () => {
    const taskQueue = `ops-${randomUUID()}`;
    const sent: number[] = [];
    const activities = {
      async sendOperatorEvents(events: OperatorEvent[]) {
        sent.push(...events.map((e) => (e.data as { n: number }).n));
      },
    } satisfies Partial<Activities>;
    const worker = await Worker.create({ connection, namespace: 'herald', taskQueue, workflowBundle: await workflowBundle(), activities });
    await worker.runUntil(async () => {
      const handle = await client.workflow.start<typeof operatorEventsWorkflow>('operatorEventsWorkflow', {
        taskQueue, workflowId: `operator-events/test-${randomUUID()}`, args: [{ deploymentId: 'test' }],
      });
      // Eight senders, each signalling again as soon as its last signal was accepted: new events
      // arrive while every child is being started, so the queue never drains, which is the load a
      // busy deployment puts on it. The test server suggests continue-as-new at 300 history events.
      const total = 800;
      let next = 0;
      const sender = async () => {
        for (let n = next++; n < total; n = next++) {
          const event: RawOperatorEvent = { topic: 'attempt.success', tenantId: 't', time: new Date().toISOString(), data: { n } };
          await client.workflow.getHandle(handle.workflowId).signal(operatorEventsSignal, [event]);
        }
      };
      await Promise.all(Array.from({ length: 8 }, sender));
      await eventually(async () => sent.length, (count) => count >= total, 120_000);
      const latest = await client.workflow.getHandle(handle.workflowId).describe();
      expect(latest.runId).not.toBe(handle.firstExecutionRunId);
      expect([...sent].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, n) => n));
      await client.workflow.getHandle(handle.workflowId).terminate('test over');
    });
  });
});
