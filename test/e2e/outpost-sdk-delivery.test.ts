import { Outpost } from '@hookdeck/outpost-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { eventually, uid } from './fixtures.js';

// The delivery side of the contract through Outpost's published TypeScript SDK, against a real
// worker and a real receiver: publish, the event and attempt logs (admin and tenant scoped),
// manual retry, one destination type's schema, health, tenant deletion, and the managed-only
// /config operations. Together with outpost-sdk.test.ts, outpost-sdk-tenants.test.ts and
// api-metrics.test.ts, every operation of the contract is called through the SDK.

const API_KEY = 'admin-key-for-sdk-delivery-tests';
let herald: TestHerald;
let receiver: Receiver;
let admin: Outpost;
const sdk = (bearer: string) => new Outpost({ apiKey: bearer, serverURL: `${herald.api.url}/api/v1`, retryConfig: { strategy: 'none' } });

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald({ API_KEY, API_JWT_SECRET: 'jwt-secret-for-sdk-delivery-tests' });
  admin = sdk(API_KEY);
});
afterAll(async () => {
  await herald?.close();
  await receiver?.close();
});

/** A tenant with one webhook destination at a path of the receiver that fails until `up()`. */
async function failingWebhook() {
  const tenantId = uid('tnt');
  const path = `/${uid('hook')}`;
  let healthy = false;
  receiver.setResponder((r) => (r.path === path && !healthy ? { status: 500, body: 'receiver down' } : { status: 200, body: 'ok' }));
  await admin.tenants.upsert(tenantId);
  const destination = await admin.destinations.create(tenantId, { type: 'webhook', topics: ['order.created'], config: { url: receiver.url + path } });
  return { tenantId, destinationId: destination.id, up: () => { healthy = true; } };
}

describe('Outpost SDK: publish, logs and retry against a running worker', () => {
  it('when an event fails every attempt and is retried by hand, then the SDK reads the event, each attempt and the manual success', async () => {
    const { tenantId, destinationId, up } = await failingWebhook();
    const published = await admin.publish({ tenantId, topic: 'order.created', data: { order: 42 }, metadata: { source: 'sdk' } });
    expect(published).toMatchObject({ duplicate: false, destinationIds: [destinationId] });

    // RETRY_SCHEDULE 1,1,1 in the test environment: four failed attempts, then the delivery waits for a retry.
    const failed = await eventually(
      () => admin.attempts.list({ tenantId, eventId: published.id, dir: 'asc' }),
      (page) => (page.models ?? []).length === 4,
    );
    expect(failed.models?.map((a) => [a.attemptNumber, a.status, a.code, a.manual])).toEqual([
      [1, 'failed', '500', false], [2, 'failed', '500', false], [3, 'failed', '500', false], [4, 'failed', '500', false],
    ]);

    up();
    expect(await admin.retry({ eventId: published.id, destinationId })).toMatchObject({ success: true });
    const perDestination = await eventually(
      () => admin.destinations.listAttempts({ tenantId, destinationId, status: 'success', include: ['response_data'] }),
      (page) => (page.models ?? []).length === 1,
    );
    const success = perDestination.models![0]!;
    expect(success).toMatchObject({ attemptNumber: 5, manual: true, code: '200', eventId: published.id, destinationId });

    const detail = await admin.destinations.getAttempt(tenantId, destinationId, success.id!, ['event.data', 'response_data']);
    expect(detail.event).toMatchObject({ id: published.id, topic: 'order.created', data: { order: 42 } });
    expect(detail.responseData).toMatchObject({ body: 'ok' });
    expect((await admin.attempts.get(success.id!, tenantId)).id).toBe(success.id);

    const event = await admin.events.get(published.id, tenantId);
    expect(event).toMatchObject({ id: published.id, tenantId, topic: 'order.created', metadata: { source: 'sdk' }, data: { order: 42 } });
    const events = await admin.events.list({ tenantId, topic: 'order.created' });
    expect(events.models?.map((e) => e.id)).toEqual([published.id]);
  });

  it('when a tenant token lists events and attempts, then it sees only its own tenant', async () => {
    const own = await failingWebhook();
    const other = await failingWebhook();
    own.up();
    other.up();
    const mine = await admin.publish({ tenantId: own.tenantId, topic: 'order.created', data: { n: 1 } });
    await admin.publish({ tenantId: other.tenantId, topic: 'order.created', data: { n: 2 } });
    const { token } = await admin.tenants.getToken(own.tenantId);
    const tenant = sdk(token!);

    const attempts = await eventually(() => tenant.attempts.list({}), (page) => (page.models ?? []).length === 1);
    expect(attempts.models?.map((a) => [a.eventId, a.tenantId])).toEqual([[mine.id, own.tenantId]]);
    expect((await tenant.events.list({})).models?.map((e) => e.id)).toEqual([mine.id]);
    await expect(tenant.events.list({ tenantId: other.tenantId })).rejects.toMatchObject({ statusCode: 403 });
  });

  it('when the SDK asks for health, one type schema, a tenant deletion and the managed /config, then each answers as the contract says', async () => {
    expect(await admin.health.check()).toBeDefined();
    const webhook = await admin.schemas.getDestinationType('webhook');
    expect(webhook).toMatchObject({ type: 'webhook' });
    expect(webhook.configFields?.map((f) => f.key)).toContain('url');

    const { tenantId } = await failingWebhook();
    expect(await admin.tenants.delete(tenantId)).toMatchObject({ success: true });
    await expect(admin.tenants.get(tenantId)).rejects.toMatchObject({ statusCode: 404 });

    // Only Outpost's managed service has /config: Herald says so with 501 rather than pretending.
    await expect(admin.configuration.getManagedConfig()).rejects.toMatchObject({ statusCode: 501 });
  });
});
