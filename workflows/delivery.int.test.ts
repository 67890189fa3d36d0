import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Activities, AttemptOutcome, DeliverAttemptInput } from '../activities/index.js';
import { workflowBundle } from '../src/temporal/worker.js';
import { connectTestTemporal } from '../test/harness/temporal.js';
import { attemptsQuery, retrySignal, type DeliveryInput } from './delivery-contract.js';
import type { deliveryWorkflow } from './delivery.js';

let connection: NativeConnection;
let client: Client;

beforeAll(async () => {
  ({ connection, client } = await connectTestTemporal(inject('temporalAddress')));
});
afterAll(async () => connection?.close());

type Script = (input: DeliverAttemptInput) => Partial<AttemptOutcome> & { status: AttemptOutcome['status'] };

/** Runs one delivery workflow on a fresh worker whose deliverAttempt follows `script`. */
async function runDelivery(
  name: string,
  script: Script,
  overrides: Partial<DeliveryInput>,
  during?: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
) {
  const taskQueue = `wf-${randomUUID()}`;
  const calls: DeliverAttemptInput[] = [];
  const activities = {
    async deliverAttempt(input: DeliverAttemptInput): Promise<AttemptOutcome> {
      calls.push(input);
      const out = script(input);
      return { code: out.status === 'success' ? '200' : '500', attemptId: `a${input.attemptNumber}`, time: new Date().toISOString(), ...out };
    },
  } satisfies Partial<Activities>;
  const worker = await Worker.create({ connection, namespace: 'herald', taskQueue, workflowBundle: await workflowBundle(), activities });
  const input: DeliveryInput = {
    tenantId: 't', eventId: randomUUID(), destinationId: 'd', destinationType: 'webhook', topic: 'x', target: 'https://example.test',
    eligibleForRetry: true, retryDelaysSeconds: [0.2, 0.2, 0.2], attemptTimeoutMs: 1000, awaitManualRetrySeconds: 0,
    startedBy: 'publish', ...overrides,
  };
  const result = await worker.runUntil(async () => {
    const handle = await client.workflow.start<typeof deliveryWorkflow>('deliveryWorkflow', {
      taskQueue, workflowId: `test/${randomUUID()}`, args: [input],
    });
    if (during) await during(handle);
    const result = await handle.result();
    // `RECORD_HISTORIES=1` refreshes the histories the replay test checks determinism against.
    if (process.env.RECORD_HISTORIES) {
      const history = await client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
      writeFileSync(new URL(`./testdata/histories/${name}.json`, import.meta.url), historyToJSON(history));
    }
    return { result, workflowId: handle.workflowId };
  });
  return { ...result, calls };
}

describe('delivery workflow', () => {
  it('when the event is not eligible for retry, then one failed attempt ends it as exhausted', async () => {
    const { result, calls } = await runDelivery('not-eligible', () => ({ status: 'failed' }), { eligibleForRetry: false });
    expect(result).toEqual({ status: 'exhausted', attemptCount: 1 });
    expect(calls.map((c) => c.finalIfFailed)).toEqual([true]);
  });

  it('when started as the API starts it (revision 2, local attempts), then one attempt delivers and no patch marker is recorded', async () => {
    const { result, calls, workflowId } = await runDelivery('revision-2-one-retry', (i) => ({ status: i.attemptNumber === 1 ? 'failed' : 'success' }),
      { attemptMode: 'local', revision: 2 });
    expect(result).toEqual({ status: 'delivered', attemptCount: 2 });
    expect(calls).toHaveLength(2);
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const markers = (history.events ?? []).map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
    expect(markers).toEqual(['core_local_activity', 'core_local_activity']);
  });

  it('when every attempt fails, then 1 + retries attempts run and only the last is final', async () => {
    const { result, calls } = await runDelivery('exhausted', () => ({ status: 'failed' }), {});
    expect(result).toEqual({ status: 'exhausted', attemptCount: 4 });
    expect(calls.map((c) => [c.attemptNumber, c.manual, c.finalIfFailed])).toEqual([
      [1, false, false], [2, false, false], [3, false, false], [4, false, true],
    ]);
  });

  it('when the destination asks to wait (Retry-After), then the retry is postponed', async () => {
    const started = Date.now();
    const { result } = await runDelivery('retry-after', (i) => (i.attemptNumber === 1 ? { status: 'failed', retryAfterMs: 1500 } : { status: 'success' }), {});
    expect(result).toEqual({ status: 'delivered', attemptCount: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it('when a manual retry fails while automatic retries are pending, then the schedule continues from its number', async () => {
    const { result, calls } = await runDelivery('manual-failure-reschedules', 
      (i) => (i.attemptNumber < 4 ? { status: 'failed' } : { status: 'success' }),
      { retryDelaysSeconds: [2, 0.2, 0.2, 0.2] },
      async (h) => {
        await waitFor(async () => (await h.query(attemptsQuery)).attemptCount === 1);
        await h.signal(retrySignal, { requestedBy: 'test' });
      },
    );
    expect(result).toEqual({ status: 'delivered', attemptCount: 4 });
    expect(calls.map((c) => [c.attemptNumber, c.manual])).toEqual([[1, false], [2, true], [3, false], [4, false]]);
  });

  it('when a manual retry succeeds while a retry is pending, then no automatic attempt follows', async () => {
    const { result, calls } = await runDelivery('manual-success-cancels', 
      (i) => (i.manual ? { status: 'success' } : { status: 'failed' }),
      { retryDelaysSeconds: [30] },
      async (h) => {
        await waitFor(async () => (await h.query(attemptsQuery)).status === 'retrying');
        await h.signal(retrySignal);
      },
    );
    expect(result).toEqual({ status: 'delivered', attemptCount: 2 });
    expect(calls).toHaveLength(2);
  });

  it('when the destination is gone at its turn, then the delivery ends skipped without counting an attempt', async () => {
    const { result } = await runDelivery('skipped', () => ({ status: 'skipped', code: 'destination_deleted', attemptId: null }), {});
    expect(result).toEqual({ status: 'skipped', attemptCount: 0 });
  });

  it('when history grows past the continue-as-new suggestion, then numbering and state carry over', async () => {
    // The test server suggests continue-as-new at 300 events; 60 attempts of ~7 events each cross it.
    // Zero delays: no timers, so this runs at activity speed.
    const delays = Array.from({ length: 59 }, () => 0);
    const { result, calls } = await runDelivery('continue-as-new', (i) => (i.attemptNumber < 60 ? { status: 'failed' } : { status: 'success' }), {
      retryDelaysSeconds: delays,
    });
    expect(result).toEqual({ status: 'delivered', attemptCount: 60 });
    expect(calls.map((c) => c.attemptNumber)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 100));
  }
}
