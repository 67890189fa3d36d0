/**
 * The hookdeck destination through the public API, against a local server that behaves as
 * Hookdeck's token-verify and ingestion endpoints (the hosted API is never called).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHookdeck, type FakeHookdeck } from '../../src/destinations/testing/fake-hookdeck.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { attemptsOf, createTenant, eventually, publish, uid } from './fixtures.js';

let herald: TestHerald;
let hookdeck: FakeHookdeck;

beforeAll(async () => {
  hookdeck = await startFakeHookdeck();
  herald = await startTestHerald({ DESTINATIONS_HOOKDECK_API_URL: hookdeck.apiUrl, DESTINATIONS_HOOKDECK_EVENTS_URL: hookdeck.eventsUrl });
});
afterAll(async () => {
  await herald?.close();
  await hookdeck?.close();
});

describe('hookdeck destination through the API', () => {
  it('when created with a token Hookdeck issued, then it is verified, masked, and events arrive signed with attempt code 200', async () => {
    const tenantId = await createTenant(herald);
    const sourceId = uid('src');
    const token = hookdeck.issueToken(sourceId, 'Orders source');

    const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'hookdeck', topics: '*', credentials: { token } });

    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ type: 'hookdeck', config: { source_id: sourceId, source_name: 'Orders source' }, target: 'Orders source' });
    expect(created.body.credentials.token).not.toBe(token);
    expect(JSON.stringify(created.body)).not.toContain(token);
    expect(hookdeck.verifications.some((call) => call.sourceId === sourceId && call.token === token)).toBe(true);

    const published = await publish(herald, { tenant_id: tenantId, data: { order: 7 }, metadata: { region: 'eu' } });
    const deliveries = await hookdeck.waitForDeliveries(1, 30_000);
    const delivery = deliveries.find((d) => d.sourceId === sourceId)!;
    expect(JSON.parse(delivery.rawBody)).toEqual({ order: 7 });
    expect(delivery.headers).toMatchObject({ 'x-outpost-event-id': published.id, 'x-outpost-region': 'eu' });
    const attempts = await eventually(() => attemptsOf(herald, published.id), (list) => list.length > 0, 30_000);
    expect(attempts).toMatchObject([{ attempt_number: 1, status: 'success', code: '200' }]);

    const fetched = await herald.call('GET', `/tenants/${tenantId}/destinations/${created.body.id as string}`);
    expect(fetched.body.credentials.token).toBe(created.body.credentials.token);
  });

  it('when the token is one Hookdeck refuses, then creating the destination is a 422 naming the token', async () => {
    const tenantId = await createTenant(herald);
    const forged = Buffer.from(`${uid('src')}:guessed`).toString('base64');

    const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'hookdeck', topics: '*', credentials: { token: forged } });

    expect(created.status).toBe(422);
    expect(created.body.data).toEqual(['credentials.token is invalid']);
  });

  it('when Hookdeck is failing, then creating the destination is a 503 to retry later', async () => {
    const tenantId = await createTenant(herald);
    const token = hookdeck.issueToken(uid('src'));
    hookdeck.failWith(503);
    try {
      const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'hookdeck', topics: '*', credentials: { token } });

      expect(created.status).toBe(503);
      expect(created.body).toMatchObject({ data: { dependency: 'destination_verification' } });
    } finally {
      hookdeck.failWith(undefined);
    }
  });
});
