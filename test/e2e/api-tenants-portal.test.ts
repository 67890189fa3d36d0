import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { uid } from './fixtures.js';

const API_KEY = 'admin-key-for-portal-tests';
const admin = { authorization: `Bearer ${API_KEY}` };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const ENV = { API_KEY, API_JWT_SECRET: 'jwt-secret-for-portal-tests' };
let herald: TestHerald;
let branded: TestHerald;

beforeAll(async () => {
  [herald, branded] = await Promise.all([
    startTestHerald(ENV, { worker: false }),
    startTestHerald({ ...ENV, PORTAL_URL: 'https://webhooks.acme.test/portal/' }, { worker: false }),
  ]);
});
afterAll(async () => {
  await herald?.close();
  await branded?.close();
});

async function createTenant(on: TestHerald): Promise<string> {
  const tenantId = uid('portal');
  expect((await on.call('PUT', `/tenants/${tenantId}`, {}, admin)).status).toBe(201);
  return tenantId;
}

describe('GET /tenants/{id}/portal', () => {
  it('when no portal URL is configured, then the link is the API origin + /portal with a working tenant token', async () => {
    const tenantId = await createTenant(herald);
    const res = await herald.call('GET', `/tenants/${tenantId}/portal?theme=dark`, undefined, admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ redirect_url: expect.any(String), tenant_id: tenantId });
    const link = new URL(res.body.redirect_url as string);
    expect(`${link.origin}${link.pathname}`).toBe(`${herald.api.url}/portal`);
    expect(link.searchParams.get('tenant_id')).toBe(tenantId);
    expect(link.searchParams.get('theme')).toBe('dark');
    const token = link.searchParams.get('token') ?? '';
    expect((await herald.call('GET', `/tenants/${tenantId}`, undefined, bearer(token))).status).toBe(200);
  });

  it('when PORTAL_URL is configured, then the link starts with it and has no theme unless asked', async () => {
    const tenantId = await createTenant(branded);
    const res = await branded.call('GET', `/tenants/${tenantId}/portal`, undefined, admin);
    const link = new URL(res.body.redirect_url as string);
    expect(`${link.origin}${link.pathname}`).toBe('https://webhooks.acme.test/portal/');
    expect([...link.searchParams.keys()].sort()).toEqual(['tenant_id', 'token']);
  });

  it('when the theme is neither light nor dark, then 400 naming it', async () => {
    const tenantId = await createTenant(herald);
    const res = await herald.call('GET', `/tenants/${tenantId}/portal?theme=blue`, undefined, admin);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 400, message: expect.stringMatching(/theme/) });
  });

  it('when the tenant does not exist, then 404 tenant not found', async () => {
    const res = await herald.call('GET', `/tenants/${uid('missing')}/portal`, undefined, admin);
    expect(res).toEqual({ status: 404, body: { status: 404, message: 'tenant not found' } });
  });

  it('when a tenant token or no token asks, then 403 or 401: the portal link is admin-only', async () => {
    const tenantId = await createTenant(herald);
    const token = (await herald.call('GET', `/tenants/${tenantId}/token`, undefined, admin)).body.token as string;
    expect((await herald.call('GET', `/tenants/${tenantId}/portal`, undefined, bearer(token))).status).toBe(403);
    expect((await herald.call('GET', `/tenants/${uid('other')}/portal`, undefined, bearer(token))).status).toBe(403);
    expect((await herald.call('GET', `/tenants/${tenantId}/portal`)).status).toBe(401);
  });
});
