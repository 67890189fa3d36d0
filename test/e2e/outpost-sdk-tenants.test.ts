import { Outpost } from '@hookdeck/outpost-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { uid } from './fixtures.js';

// Tenant listing and portal links through Outpost's published SDK, whose response schemas reject
// shapes that drift from the contract.

const API_KEY = 'admin-key-for-sdk-tenant-tests';
let herald: TestHerald;
let outpost: Outpost;

beforeAll(async () => {
  herald = await startTestHerald({ API_KEY, API_JWT_SECRET: 'jwt-secret-for-sdk-tenant-tests' }, { worker: false });
  outpost = new Outpost({ apiKey: API_KEY, serverURL: `${herald.api.url}/api/v1`, retryConfig: { strategy: 'none' } });
});
afterAll(async () => {
  await herald?.close();
});

describe('tenants through @hookdeck/outpost-sdk', () => {
  it('when tenants are listed page by page, then the SDK parses every page and walks back with prev', async () => {
    const ids = Array.from({ length: 12 }, () => uid('sdk'));
    for (const id of ids) await outpost.tenants.upsert(id, { metadata: { name: id } });
    await outpost.destinations.create(ids[0] as string, { type: 'webhook', topics: ['b', 'a'], config: { url: 'https://example.com/hook' } });

    const seen: string[] = [];
    let page = await outpost.tenants.list({ limit: 5, dir: 'asc' });
    expect(page.count).toBe(12);
    expect(page.pagination).toMatchObject({ orderBy: 'created_at', dir: 'asc', limit: 5, prev: null });
    seen.push(...(page.models ?? []).map((t) => t.id as string));
    while (page.pagination?.next) {
      page = await outpost.tenants.list({ limit: 5, dir: 'asc', next: page.pagination.next });
      seen.push(...(page.models ?? []).map((t) => t.id as string));
    }
    expect(seen).toEqual(ids);

    const previous = await outpost.tenants.list({ limit: 5, dir: 'asc', prev: page.pagination?.prev ?? '' });
    expect((previous.models ?? []).map((t) => t.id)).toEqual(ids.slice(5, 10));
    const first = (await outpost.tenants.list({ id: ids[0] })).models?.[0];
    expect(first).toMatchObject({ id: ids[0], destinationsCount: 1, topics: ['a', 'b'], metadata: { name: ids[0] } });
    expect(first?.createdAt).toBeInstanceOf(Date);
  });

  it('when a tenant token lists through the SDK, then it gets its own tenant alone', async () => {
    const id = uid('sdk_self');
    await outpost.tenants.upsert(id);
    const { token } = await outpost.tenants.getToken(id);
    const asTenant = new Outpost({ apiKey: token ?? '', serverURL: `${herald.api.url}/api/v1`, retryConfig: { strategy: 'none' } });
    const page = await asTenant.tenants.list({});
    expect(page).toMatchObject({ count: 1, models: [{ id }], pagination: { next: null, prev: null } });
  });

  it('when a portal link is asked for through the SDK, then it carries a tenant token for that tenant', async () => {
    const id = uid('sdk_portal');
    await outpost.tenants.upsert(id);
    const portal = await outpost.tenants.getPortalUrl(id, 'light');
    expect(portal.tenantId).toBe(id);
    const link = new URL(portal.redirectUrl ?? '');
    expect(link.pathname).toBe('/portal');
    expect(link.searchParams.get('theme')).toBe('light');
    const asTenant = new Outpost({ apiKey: link.searchParams.get('token') ?? '', serverURL: `${herald.api.url}/api/v1`, retryConfig: { strategy: 'none' } });
    expect((await asTenant.tenants.get(id)).id).toBe(id);
  });
});
