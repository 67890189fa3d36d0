import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { uid } from './fixtures.js';

const API_KEY = 'admin-key-for-tests';
let herald: TestHerald;
const admin = { authorization: `Bearer ${API_KEY}` };

beforeAll(async () => {
  herald = await startTestHerald({ API_KEY, API_JWT_SECRET: 'jwt-secret-for-tests', API_MAX_REQUEST_BODY_BYTES: '4096' }, { worker: false });
});
afterAll(async () => herald?.close());

describe('bad input answers 4xx in the error envelope', () => {
  it('when no or a wrong bearer token is sent, then 401', async () => {
    expect(await herald.call('GET', '/topics')).toEqual({ status: 401, body: { status: 401, message: 'unauthorized' } });
    expect((await herald.call('GET', '/topics', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('when the JSON is malformed, then 422 invalid JSON', async () => {
    const res = await herald.call('POST', '/publish', '{"tenant_id": ', admin);
    expect(res).toEqual({ status: 422, body: { status: 422, message: 'invalid JSON' } });
  });

  it('when the body is larger than the limit, then 413', async () => {
    const res = await herald.call('POST', '/publish', { tenant_id: 't', data: { blob: 'x'.repeat(8000) } }, admin);
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
  });

  it.each([
    [{ tenant_id: 't' }, ['data is required']],
    [{ data: {} }, ['tenant_id is required']],
    [{ tenant_id: 't', data: [1, 2] }, ['data must be a valid JSON object']],
    [{ tenant_id: 't', data: {}, eligible_for_retry: 'yes' }, ['eligible_for_retry must be a boolean']],
  ])('when publishing %j, then 422 names the field', async (body, data) => {
    expect(await herald.call('POST', '/publish', body, admin)).toEqual({ status: 422, body: { status: 422, message: 'validation error', data } });
  });

  it('when the tenant does not exist, then destination routes answer 404 tenant not found', async () => {
    const res = await herald.call('GET', `/tenants/${uid('nobody')}/destinations`, undefined, admin);
    expect(res).toEqual({ status: 404, body: { status: 404, message: 'tenant not found' } });
  });

  it('when a destination is invalid, then 422 lists each problem', async () => {
    const tenantId = uid('t');
    await herald.call('PUT', `/tenants/${tenantId}`, {}, admin);
    const missing = await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'webhook', topics: '*' }, admin);
    expect(missing.status).toBe(422);
    expect(missing.body.data).toContain('config.url is required');
    const badType = await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'carrier_pigeon', topics: '*' }, admin);
    expect(badType.body).toEqual({ status: 422, message: 'validation error', data: ['type is invalid'] });
    const noTopics = await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'webhook', config: { url: 'https://example.com' } }, admin);
    expect(noTopics.body.data).toContain('topics is required');
  });

  it('when a cursor is garbage or limit is not a number, then 400', async () => {
    expect((await herald.call('GET', '/events?next=garbage', undefined, admin)).status).toBe(400);
    expect((await herald.call('GET', '/attempts?limit=abc', undefined, admin)).status).toBe(400);
  });

  it('when the route is unknown, then 404 in the envelope', async () => {
    expect(await herald.call('GET', '/nope', undefined, admin)).toEqual({ status: 404, body: { status: 404, message: 'not found' } });
  });

  it('when a tenant token is used, then it reaches only its own tenant and cannot publish', async () => {
    const mine = uid('t');
    const other = uid('t');
    await herald.call('PUT', `/tenants/${mine}`, {}, admin);
    await herald.call('PUT', `/tenants/${other}`, {}, admin);
    const { body } = await herald.call('GET', `/tenants/${mine}/token`, undefined, admin);
    const jwt = { authorization: `Bearer ${body.token}` };
    expect((await herald.call('GET', `/tenants/${mine}`, undefined, jwt)).status).toBe(200);
    expect((await herald.call('GET', `/tenants/${other}`, undefined, jwt)).status).toBe(403);
    expect((await herald.call('POST', '/publish', { tenant_id: mine, data: {} }, jwt)).status).toBe(403);
    expect((await herald.call('GET', `/events?tenant_id=${other}`, undefined, jwt)).status).toBe(403);
  });
});
