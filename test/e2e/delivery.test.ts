import { createHmac } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptsQuery, retrySignal } from '../../workflows/delivery-contract.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { attemptsOf, deliveryHandle, eventually, publish, tenantWithWebhook, uid } from './fixtures.js';

let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  // Retry schedule 1 s, 2 s, 1 s: four attempts at most.
  herald = await startTestHerald({ RETRY_SCHEDULE: '1,2,1' });
  receiver = await startReceiver();
});
afterAll(async () => {
  await herald?.close();
  await receiver?.close();
});

describe('delivery through the API to a real webhook receiver', () => {
  it('when an event is published, then the webhook arrives signed and the attempt is logged', async () => {
    const path = `/${uid('ok')}`;
    receiver.setResponder(() => ({ status: 200, body: 'thanks' }));
    const { tenantId, destinationId, secret } = await tenantWithWebhook(herald, receiver.url + path);

    const published = await publish(herald, { tenant_id: tenantId, data: { order: 42 }, metadata: { region: 'eu' } });
    expect(published.destination_ids).toEqual([destinationId]);
    expect(published.duplicate).toBe(false);

    const result = await deliveryHandle(herald, tenantId, published.id, destinationId).result();
    expect(result).toEqual({ status: 'delivered', attemptCount: 1 });
    const req = receiver.received.find((r) => r.path === path)!;
    expect(JSON.parse(req.body)).toEqual({ order: 42 });
    expect(req.headers['x-outpost-event-id']).toBe(published.id);
    expect(req.headers['x-outpost-topic']).toBe('order.created');
    expect(req.headers['x-outpost-region']).toBe('eu');
    const expected = createHmac('sha256', secret).update(req.body).digest('hex');
    expect(req.headers['x-outpost-signature']).toBe(`v0=${expected}`);

    const attempts = await attemptsOf(herald, published.id);
    expect(attempts).toMatchObject([{ attempt_number: 1, status: 'success', code: '200', manual: false }]);
    expect(attempts[0]!.response_data).toEqual({ status: 200, body: 'thanks' });
    const event = await herald.call('GET', `/events/${published.id}`);
    expect(event.body).toMatchObject({ id: published.id, tenant_id: tenantId, matched_destination_ids: [destinationId], data: { order: 42 } });
  });

  it('when the receiver fails twice, then attempts follow the schedule and the third succeeds', async () => {
    const path = `/${uid('flaky')}`;
    let calls = 0;
    receiver.setResponder((r) => (r.path === path && ++calls <= 2 ? { status: 503 } : { status: 200 }));
    const { tenantId, destinationId } = await tenantWithWebhook(herald, receiver.url + path);
    const { id } = await publish(herald, { tenant_id: tenantId });

    expect(await deliveryHandle(herald, tenantId, id, destinationId).result()).toEqual({ status: 'delivered', attemptCount: 3 });
    const times = receiver.received.filter((r) => r.path === path).map((r) => r.at);
    expect(times).toHaveLength(3);
    // Delays 1 s then 2 s (durable timers; a little slack below for clock granularity).
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1900);
    const attempts = await attemptsOf(herald, id);
    expect(attempts.map((a) => [a.attempt_number, a.status, a.code])).toEqual([
      [1, 'failed', '503'], [2, 'failed', '503'], [3, 'success', '200'],
    ]);
  });

  it('when every attempt fails, then the delivery is exhausted, and a manual retry via the API continues the numbering', async () => {
    const path = `/${uid('down')}`;
    let up = false;
    receiver.setResponder((r) => (r.path === path && !up ? { status: 500, body: 'boom' } : { status: 200 }));
    const { tenantId, destinationId } = await tenantWithWebhook(herald, receiver.url + path);
    const { id } = await publish(herald, { tenant_id: tenantId });
    const handle = deliveryHandle(herald, tenantId, id, destinationId);

    const exhausted = await eventually(() => handle.query(attemptsQuery), (s) => s.status === 'exhausted');
    expect(exhausted.attemptCount).toBe(4);
    const attempts = await attemptsOf(herald, id);
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    const stored = await herald.ctx.attempts.latestFor(tenantId, id, destinationId);
    expect(stored?.exhaustedRetries).toBe(true);
    const listed: string[] = [];
    for await (const wf of herald.ctx.client.workflow.list({ query: `DeliveryStatus="exhausted" AND TenantId="${tenantId}"` })) {
      listed.push(wf.workflowId);
    }
    expect(listed).toEqual([handle.workflowId]);

    up = true;
    const retried = await herald.call('POST', '/retry', { event_id: id, destination_id: destinationId });
    expect(retried).toEqual({ status: 202, body: { success: true } });
    expect(await handle.result()).toEqual({ status: 'delivered', attemptCount: 5 });
    const after = await attemptsOf(herald, id);
    expect(after.at(-1)).toMatchObject({ attempt_number: 5, status: 'success', manual: true });
  });

  it('when a delivered run has closed, then a retry via the API starts a new run that continues the numbering', async () => {
    const path = `/${uid('again')}`;
    receiver.setResponder(() => ({ status: 200 }));
    const { tenantId, destinationId } = await tenantWithWebhook(herald, receiver.url + path);
    const { id } = await publish(herald, { tenant_id: tenantId });
    const handle = deliveryHandle(herald, tenantId, id, destinationId);
    await handle.result();

    expect((await herald.call('POST', '/retry', { event_id: id, destination_id: destinationId })).status).toBe(202);
    await eventually(() => attemptsOf(herald, id), (a) => a.length === 2);
    const attempts = await attemptsOf(herald, id);
    expect(attempts.map((a) => [a.attempt_number, a.manual])).toEqual([[1, false], [2, true]]);
    expect(receiver.received.filter((r) => r.path === path)).toHaveLength(2);
  });

  it('when an operator sends the raw `retry` signal to an exhausted delivery, then it makes one more attempt', async () => {
    const path = `/${uid('signal')}`;
    let up = false;
    receiver.setResponder((r) => (r.path === path && !up ? { status: 502 } : { status: 200 }));
    const { tenantId, destinationId } = await tenantWithWebhook(herald, receiver.url + path);
    const { id } = await publish(herald, { tenant_id: tenantId });
    const handle = deliveryHandle(herald, tenantId, id, destinationId);
    await eventually(() => handle.query(attemptsQuery), (s) => s.status === 'exhausted');

    up = true;
    await handle.signal(retrySignal); // what `temporal workflow signal --name retry` sends
    expect(await handle.result()).toEqual({ status: 'delivered', attemptCount: 5 });
  });

  it('when the same event id is published twice, then it is delivered once and the second answer says duplicate', async () => {
    const path = `/${uid('dup')}`;
    receiver.setResponder(() => ({ status: 200 }));
    const { tenantId, destinationId } = await tenantWithWebhook(herald, receiver.url + path);
    const eventId = uid('evt');
    const first = await publish(herald, { tenant_id: tenantId, id: eventId });
    const second = await publish(herald, { tenant_id: tenantId, id: eventId });
    expect(first).toEqual({ id: eventId, duplicate: false, destination_ids: [destinationId] });
    expect(second).toEqual({ id: eventId, duplicate: true, destination_ids: [destinationId] });
    // The one delivery of the event has closed, so what it sent is final.
    const handle = deliveryHandle(herald, tenantId, eventId, destinationId);
    expect(await handle.result()).toEqual({ status: 'delivered', attemptCount: 1 });
    expect((await handle.query(attemptsQuery)).attempts).toHaveLength(1);
    expect(await attemptsOf(herald, eventId)).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path === path)).toHaveLength(1);
  });

  it('when a destination is disabled, then publishing matches nothing and it receives nothing', async () => {
    const path = `/${uid('off')}`;
    const { tenantId, destinationId } = await tenantWithWebhook(herald, receiver.url + path);
    const disabled = await herald.call('PUT', `/tenants/${tenantId}/destinations/${destinationId}/disable`);
    expect(disabled.body.disabled_at).toBeTruthy();
    const res = await publish(herald, { tenant_id: tenantId });
    expect(res.destination_ids).toEqual([]);
    expect((await herald.call('POST', '/retry', { event_id: res.id, destination_id: destinationId })).status).toBe(404);
    // Matching nothing, the event was not stored and no delivery started; none can start later.
    expect((await herald.call('GET', `/events/${res.id}`)).status).toBe(404);
    await expect(deliveryHandle(herald, tenantId, res.id, destinationId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(receiver.received.filter((r) => r.path === path)).toHaveLength(0);
  });

  it('when a destination is disabled while a retry is pending, then the delivery is skipped with no further attempt', async () => {
    const path = `/${uid('mid')}`;
    receiver.setResponder((r) => (r.path === path ? { status: 500 } : { status: 200 }));
    const { tenantId, destinationId } = await tenantWithWebhook(herald, receiver.url + path);
    const { id } = await publish(herald, { tenant_id: tenantId });
    await receiver.waitFor(receiver.received.length + 1);
    await herald.call('PUT', `/tenants/${tenantId}/destinations/${destinationId}/disable`);
    expect(await deliveryHandle(herald, tenantId, id, destinationId).result()).toEqual({ status: 'skipped', attemptCount: 1 });
    expect(receiver.received.filter((r) => r.path === path)).toHaveLength(1);
    const retry = await herald.call('POST', '/retry', { event_id: id, destination_id: destinationId });
    expect(retry.status).toBe(400);
    expect(retry.body).toEqual({ status: 400, message: 'Destination is disabled', data: { error: 'destination_disabled' } });
  });
});
