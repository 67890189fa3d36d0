import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryWorkflowId } from '../../workflows/delivery-contract.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { eventually, uid } from './fixtures.js';

const API_KEY = 'admin-key-for-timeline-tests';
const admin = { authorization: `Bearer ${API_KEY}` };
let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  // One automatic retry, a minute after the first attempt: long enough to read it as scheduled.
  herald = await startTestHerald({ API_KEY, API_JWT_SECRET: 'jwt-secret-for-timeline-tests', RETRY_SCHEDULE: '60' });
  receiver = await startReceiver();
});
afterAll(async () => {
  await herald?.close();
  await receiver?.close();
});

/** A tenant with a webhook destination at a path of its own on the receiver, and one event published to it. */
async function deliveredOnce(status: number) {
  const tenantId = uid('timeline');
  const path = `/${uid('hook')}`;
  receiver.setResponder((r) => (r.path === path ? { status, body: `answer ${status}` } : { status: 200 }));
  expect((await herald.call('PUT', `/tenants/${tenantId}`, {}, admin)).status).toBe(201);
  const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'webhook', topics: '*', config: { url: receiver.url + path } }, admin);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const destinationId = created.body.id as string;
  const published = await herald.call('POST', '/publish', { tenant_id: tenantId, topic: 'order.created', data: { n: 1 } }, admin);
  expect(published.status).toBe(202);
  const eventId = published.body.id as string;
  return { tenantId, destinationId, eventId, url: `/tenants/${tenantId}/destinations/${destinationId}/events/${eventId}/timeline` };
}

describe('GET /tenants/{tenant_id}/destinations/{destination_id}/events/{event_id}/timeline', () => {
  it('when the first attempt failed, then the timeline shows it and the scheduled retry from the live workflow', async () => {
    const d = await deliveredOnce(500);
    const res = await eventually(() => herald.call('GET', d.url, undefined, admin), (r) => r.body?.status === 'retrying');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tenant_id: d.tenantId, event_id: d.eventId, destination_id: d.destinationId, status: 'retrying', source: 'workflow',
      attempts: [{ attempt_number: 1, status: 'failed', code: '500', manual: false, attempt_id: expect.any(String) }],
    });
    const next = Date.parse(res.body.next_attempt_at as string);
    expect(next).toBeGreaterThan(Date.parse(res.body.attempts[0].time as string));
  });

  it('when the attempt succeeded, then the status is delivered and no retry is scheduled', async () => {
    const d = await deliveredOnce(200);
    const res = await eventually(() => herald.call('GET', d.url, undefined, admin), (r) => r.body?.status === 'delivered');
    expect(res.body).toMatchObject({ next_attempt_at: null, attempts: [{ attempt_number: 1, status: 'success', code: '200' }] });
  });

  it('when Temporal no longer keeps the workflow, then the timeline falls back to the attempt log', async () => {
    const d = await deliveredOnce(200);
    await eventually(() => herald.call('GET', d.url, undefined, admin), (r) => r.body?.status === 'delivered');
    const { client } = herald.ctx;
    await client.workflowService.deleteWorkflowExecution({
      namespace: client.options.namespace, workflowExecution: { workflowId: deliveryWorkflowId(d.tenantId, d.eventId, d.destinationId) },
    });
    const res = await eventually(() => herald.call('GET', d.url, undefined, admin), (r) => r.body?.source === 'attempt_log');
    expect(res.body).toMatchObject({ status: 'delivered', next_attempt_at: null, attempts: [{ attempt_number: 1, status: 'success' }] });
  });

  it('when another tenant\'s token asks, then 403; when the ids are unknown, then 404 naming what is missing', async () => {
    const d = await deliveredOnce(200);
    const other = uid('other');
    expect((await herald.call('PUT', `/tenants/${other}`, {}, admin)).status).toBe(201);
    const token = (await herald.call('GET', `/tenants/${other}/token`, undefined, admin)).body.token as string;
    const foreign = await herald.call('GET', d.url, undefined, { authorization: `Bearer ${token}` });
    expect(foreign.status).toBe(403);
    const asOther = await herald.call('GET', `/tenants/${other}/destinations/${d.destinationId}/events/${d.eventId}/timeline`, undefined, { authorization: `Bearer ${token}` });
    expect(asOther).toEqual({ status: 404, body: { status: 404, message: 'destination not found' } });
    const noEvent = await herald.call('GET', `/tenants/${d.tenantId}/destinations/${d.destinationId}/events/${uid('nope')}/timeline`, undefined, admin);
    expect(noEvent).toEqual({ status: 404, body: { status: 404, message: 'event not found' } });
  });
});
