import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { deliveryHandle, eventually, publish, uid } from './fixtures.js';

let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  herald = await startTestHerald({ MAX_DESTINATIONS_PER_TENANT: '3' });
  receiver = await startReceiver();
});
afterAll(async () => {
  await herald?.close();
  await receiver?.close();
});

describe('tenants and destinations', () => {
  it('when a tenant is put twice, then 201 then 200, and its summary follows its destinations', async () => {
    const id = uid('t');
    expect((await herald.call('PUT', `/tenants/${id}`, { metadata: { name: 'Acme' } })).status).toBe(201);
    const again = await herald.call('PUT', `/tenants/${id}`, { metadata: { name: 'Acme Inc' } });
    expect(again).toMatchObject({ status: 200, body: { id, destinations_count: 0, topics: [], metadata: { name: 'Acme Inc' } } });
    await herald.call('POST', `/tenants/${id}/destinations`, { type: 'webhook', topics: ['b', 'a'], config: { url: receiver.url } });
    await herald.call('POST', `/tenants/${id}/destinations`, { type: 'webhook', topics: '*', config: { url: receiver.url }, disabled_at: new Date().toISOString() });
    expect((await herald.call('GET', `/tenants/${id}`)).body).toMatchObject({ destinations_count: 2, topics: ['*'] });
    expect((await herald.call('DELETE', `/tenants/${id}`)).body).toEqual({ success: true });
    expect((await herald.call('GET', `/tenants/${id}`)).status).toBe(404);
  });

  it('when destinations are created, patched and listed, then Outpost semantics hold', async () => {
    const tenantId = uid('t');
    await herald.call('PUT', `/tenants/${tenantId}`, {});
    const base = `/tenants/${tenantId}/destinations`;
    const created = await herald.call('POST', base, {
      id: 'hooks', type: 'webhook', topics: ['order.created'], config: { url: `${receiver.url}/a` }, metadata: { team: 'core' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'hooks', tenant_id: tenantId, disabled_at: null, metadata: { team: 'core' } });
    expect(created.body.credentials.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect((await herald.call('POST', base, { id: 'hooks', type: 'webhook', topics: '*', config: { url: receiver.url } })).body)
      .toEqual({ status: 400, message: 'destination already exists' });

    const patched = await herald.call('PATCH', `${base}/hooks`, { topics: '*', metadata: { team: null, owner: 'ops' }, config: { url: `${receiver.url}/b` } });
    expect(patched.body).toMatchObject({ topics: ['*'], metadata: { owner: 'ops' }, config: { url: `${receiver.url}/b` } });
    expect(patched.body.metadata.team).toBeUndefined();
    expect((await herald.call('PATCH', `${base}/hooks`, { type: 'aws_sqs' })).status).toBe(422);

    const rotated = await herald.call('PATCH', `${base}/hooks`, { credentials: { rotate_secret: true } });
    expect(rotated.body.credentials.previous_secret).toBe(created.body.credentials.secret);
    expect(rotated.body.credentials.secret).not.toBe(created.body.credentials.secret);

    await herald.call('POST', base, { type: 'webhook', topics: '*', config: { url: receiver.url } });
    await herald.call('POST', base, { type: 'webhook', topics: '*', config: { url: receiver.url } });
    expect((await herald.call('POST', base, { type: 'webhook', topics: '*', config: { url: receiver.url } })).body.message)
      .toBe('maximum number of destinations per tenant reached');
    expect((await herald.call('GET', `${base}?type=webhook`)).body).toHaveLength(3);
    expect((await herald.call('DELETE', `${base}/hooks`)).body).toEqual({ success: true });
    expect((await herald.call('GET', `${base}/hooks`)).status).toBe(404);
    expect((await herald.call('GET', '/destination-types')).body.map((t: { type: string }) => t.type)).toEqual(['webhook', 'hookdeck', 'azure_servicebus']);
  });
});

describe('event and attempt logs', () => {
  it('when paging with limit 2, then next and prev walk the pages without gaps or repeats', async () => {
    const tenantId = uid('t');
    await herald.call('PUT', `/tenants/${tenantId}`, {});
    const dest = await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'webhook', topics: '*', config: { url: receiver.url } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { id } = await publish(herald, { tenant_id: tenantId, time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() });
      ids.push(id);
      await deliveryHandle(herald, tenantId, id, dest.body.id).result();
    }
    const seen: string[] = [];
    let page = await herald.call('GET', `/events?tenant_id=${tenantId}&limit=2`);
    expect(page.body.pagination).toMatchObject({ order_by: 'time', dir: 'desc', limit: 2, prev: null });
    for (;;) {
      seen.push(...page.body.models.map((e: { id: string }) => e.id));
      if (!page.body.pagination.next) break;
      page = await herald.call('GET', `/events?tenant_id=${tenantId}&limit=2&next=${page.body.pagination.next}`);
    }
    expect(seen).toEqual([...ids].reverse());
    const back = await herald.call('GET', `/events?tenant_id=${tenantId}&limit=2&prev=${page.body.pagination.prev}`);
    expect(back.body.models.map((e: { id: string }) => e.id)).toEqual(seen.slice(2, 4));

    const attempts = await eventually(
      () => herald.call('GET', `/tenants/${tenantId}/destinations/${dest.body.id}/attempts?limit=10&include=event`),
      (r) => r.body.models.length === 5,
    );
    expect(attempts.body.models[0].event).toMatchObject({ tenant_id: tenantId, topic: 'order.created' });
    expect(attempts.body.models[0].event.data).toBeUndefined();
    const one = await herald.call('GET', `/attempts/${attempts.body.models[0].id}?include=event.data&include=response_data`);
    expect(one.body).toMatchObject({ status: 'success', response_data: { status: 200 }, event: { data: { hello: 'world' } } });
    expect((await herald.call('GET', `/events?topic=order.created&tenant_id=${tenantId}&time[gte]=2026-01-01T00:00:03Z`)).body.models).toHaveLength(2);
  });
});
