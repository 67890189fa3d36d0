import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { attemptsQuery } from '../../workflows/delivery-contract.js';
import { inject } from 'vitest';
import type { HeraldProcess } from '../../bench/herald-process.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { killSpawnedHeralds, spawnHerald } from '../harness/spawn-herald.js';
import { attemptsOf, deliveryHandle, eventually, publish, tenantWithWebhook } from './fixtures.js';

let herald: TestHerald;
let receiver: Receiver;
let child: HeraldProcess | undefined;

/** The real `herald worker` as its own (guarded) OS process, on this file's database and task queue. */
function spawnWorker(): HeraldProcess {
  return spawnHerald('worker', {
    DATABASE_URL: herald.databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: herald.taskQueue,
    RETRY_SCHEDULE: '3,1',
    LOG_LEVEL: 'warn',
  });
}

beforeAll(async () => {
  herald = await startTestHerald({ RETRY_SCHEDULE: '3,1' }, { worker: false });
  receiver = await startReceiver();
});
afterEach(async () => {
  await killSpawnedHeralds();
});
afterAll(async () => {
  await herald?.close();
  await receiver?.close();
});

async function killWorker(): Promise<void> {
  const proc = child!;
  proc.signal('SIGKILL');
  await proc.exited;
}

it('when the worker process is killed during the retry schedule and restarted, then the delivery still finishes', async () => {
  let calls = 0;
  receiver.setResponder((r) => (r.path === '/timer' && ++calls === 1 ? { status: 500 } : { status: 200 }));
  const { tenantId, destinationId } = await tenantWithWebhook(herald, `${receiver.url}/timer`);
  child = spawnWorker();
  const { id } = await publish(herald, { tenant_id: tenantId });
  // Wait until attempt 1 is complete (recorded, reported, activity done) and the retry timer runs.
  const handle = deliveryHandle(herald, tenantId, id, destinationId);
  await eventually(() => handle.query(attemptsQuery).catch(() => null), (s) => s?.status === 'retrying', 60_000);

  // Attempt 2 is 3 s away on a durable timer. Kill the worker hard, and let the timer fire with no worker.
  await killWorker();
  await eventually(async () => (await handle.fetchHistory()).events?.some((e) => e.timerFiredEventAttributes) ?? false, (fired) => fired, 60_000);
  expect(receiver.received.filter((r) => r.path === '/timer')).toHaveLength(1);

  child = spawnWorker();
  expect(await deliveryHandle(herald, tenantId, id, destinationId).result()).toEqual({ status: 'delivered', attemptCount: 2 });
  expect(receiver.received.filter((r) => r.path === '/timer')).toHaveLength(2);
  const attempts = await attemptsOf(herald, id);
  expect(attempts.map((a) => [a.attempt_number, a.status])).toEqual([[1, 'failed'], [2, 'success']]);
  await killWorker();
});

it('when the worker process dies in the middle of an attempt, then the log shows the interrupted send and the second send', async () => {
  let calls = 0;
  // The first request hangs long enough for the worker to be killed while it waits.
  receiver.setResponder((r) => (r.path === '/inflight' && ++calls === 1 ? { status: 200, delayMs: 1500 } : { status: 200 }));
  const { tenantId, destinationId } = await tenantWithWebhook(herald, `${receiver.url}/inflight`);
  child = spawnWorker();
  const { id } = await publish(herald, { tenant_id: tenantId });
  await eventually(async () => receiver.received.filter((r) => r.path === '/inflight').length, (n) => n === 1, 60_000);
  await killWorker();

  child = spawnWorker();
  // Temporal retries the attempt once the dead worker's heartbeat or workflow task times out; the
  // retry waits for the first send's lease, marks it interrupted, and sends again.
  expect(await deliveryHandle(herald, tenantId, id, destinationId).result()).toEqual({ status: 'delivered', attemptCount: 1 });
  const requests = receiver.received.filter((r) => r.path === '/inflight');
  expect(requests).toHaveLength(2);
  const attempts = await attemptsOf(herald, id);
  expect(attempts).toMatchObject([
    { attempt_number: 1, status: 'failed', code: 'interrupted' },
    { attempt_number: 1, status: 'success', code: '200' },
  ]);
  // Each request names its own row, so the duplicate is visible and attributable.
  expect(requests.map((r) => r.headers['x-outpost-attempt-id'])).toEqual(attempts.map((a) => a.id));
});
