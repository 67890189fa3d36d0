import { afterAll, beforeAll, expect, it } from 'vitest';
import { publish, tenantWithWebhook } from '../test/e2e/fixtures.js';
import { startTestHerald, type TestHerald } from '../test/harness/herald.js';
import { startReceiver, type Receiver } from '../test/harness/receiver.js';
import { deliveryWorkflowId } from '../workflows/delivery-contract.js';
import { createDeliverAttempt, type DeliverAttemptInput } from './deliver-attempt.js';

// The attempt activity against real Postgres and a real receiver, with no workflow around it: each
// `createDeliverAttempt` stands for one worker process (its own claimant id and in-process joins).
let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  // No worker: the delivery workflows that publish starts wait, so only these calls send.
  herald = await startTestHerald({}, { worker: false });
});

afterAll(async () => {
  await herald?.close();
  await receiver?.close();
});

async function anAttempt(path: string): Promise<DeliverAttemptInput> {
  const { tenantId, destinationId } = await tenantWithWebhook(herald, `${receiver.url}${path}`);
  const { id: eventId } = await publish(herald, { tenant_id: tenantId });
  return {
    workflowId: deliveryWorkflowId(tenantId, eventId, destinationId), tenantId, eventId, destinationId,
    destinationType: 'webhook', attemptNumber: 1, manual: false, finalIfFailed: false,
  };
}

const process = () => createDeliverAttempt({ ...herald.ctx });
const requestsTo = (path: string) => receiver.received.filter((r) => r.path === path);
const attemptsOf = async (input: DeliverAttemptInput) =>
  (await herald.ctx.attempts.list({ tenantIds: [input.tenantId], eventIds: [input.eventId], limit: 10, dir: 'asc' })).models;

it('when an attempt that was sent and recorded runs again, in this process or another, then it returns the record without sending', async () => {
  receiver.setResponder((r) => (r.path === '/again' ? { status: 500 } : { status: 200 }));
  const input = await anAttempt('/again');
  const first = process();

  const outcome = await first(input);
  const rerunHere = await first(input);
  const rerunElsewhere = await process()(input);

  expect(outcome).toMatchObject({ status: 'failed', code: '500' });
  expect(rerunHere).toEqual(outcome);
  expect(rerunElsewhere).toEqual(outcome);
  expect(requestsTo('/again')).toHaveLength(1);
  expect(await attemptsOf(input)).toMatchObject([{ id: outcome.attemptId, status: 'failed', code: '500' }]);
});

it('when two processes run the same attempt at once, then one sends and the other waits for its outcome', async () => {
  receiver.setResponder((r) => (r.path === '/race' ? { status: 200, delayMs: 800 } : { status: 200 }));
  const input = await anAttempt('/race');

  const [a, b, c] = await Promise.all([process()(input), process()(input), process()(input)]);

  expect(requestsTo('/race')).toHaveLength(1);
  expect(b).toEqual(a);
  expect(c).toEqual(a);
  expect(await attemptsOf(input)).toHaveLength(1);
});

it('when a re-run starts while the same process is still sending, then it joins that send', async () => {
  receiver.setResponder((r) => (r.path === '/join' ? { status: 200, delayMs: 500 } : { status: 200 }));
  const input = await anAttempt('/join');
  const worker = process();

  const [first, rerun] = await Promise.all([worker(input), worker(input)]);

  expect(rerun).toEqual(first);
  expect(requestsTo('/join')).toHaveLength(1);
});

it('when an earlier send of the attempt lost its worker, then it is logged as interrupted and the attempt is sent again', async () => {
  receiver.setResponder(() => ({ status: 200 }));
  const input = await anAttempt('/orphan');
  // What a worker killed mid-send leaves: a claimed send whose lease has run out.
  const orphan = await herald.ctx.attempts.claimSend({
    id: 'orphan-send', tenantId: input.tenantId, eventId: input.eventId, destinationId: input.destinationId,
    destinationType: 'webhook', attemptNumber: 1, sendSeq: 1, manual: false, leaseMs: 0, claimedBy: 'a-dead-worker',
  });
  expect(orphan).toBe(true);

  const outcome = await process()(input);

  expect(outcome).toMatchObject({ status: 'success', code: '200' });
  const attempts = await attemptsOf(input);
  expect(attempts.map((a) => [a.id, a.attemptNumber, a.sendSeq, a.code])).toEqual([
    ['orphan-send', 1, 1, 'interrupted'],
    [outcome.attemptId, 1, 2, '200'],
  ]);
  expect(requestsTo('/orphan').map((r) => r.headers['x-outpost-attempt-id'])).toEqual([outcome.attemptId]);
});

it('when the destination is disabled before its turn, then the claim is released and no attempt is logged', async () => {
  const input = await anAttempt('/disabled');
  await herald.call('PUT', `/tenants/${input.tenantId}/destinations/${input.destinationId}/disable`);

  expect(await process()(input)).toMatchObject({ status: 'skipped', code: 'destination_disabled', attemptId: null });
  expect(await herald.ctx.attempts.sendsOf(input.tenantId, input.eventId, input.destinationId, 1)).toEqual([]);
  expect(requestsTo('/disabled')).toHaveLength(0);
});
