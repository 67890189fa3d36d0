import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { startReceiver } from '../harness/receiver.js';
import { uid } from './fixtures.js';

/**
 * Fuzz-style: every kind of bad input, sent to every route that reads it, answers a 4xx in the
 * error envelope `{status, message, data?}`, never a 5xx.
 */

const API_KEY = 'admin-key-for-input-tests';
const JWT_SECRET = 'jwt-secret-for-input-tests';
const admin = { authorization: `Bearer ${API_KEY}` };

let herald: TestHerald;
let tenantId: string;
let destinationId: string;

type Res = { status: number; body: any };

function expectEnvelope(res: Res, status?: number): void {
  const shown = JSON.stringify(res.body)?.slice(0, 300);
  expect(res.status, shown).toBeGreaterThanOrEqual(400);
  expect(res.status, shown).toBeLessThan(500);
  if (status !== undefined) expect(res.status, shown).toBe(status);
  expect(res.body, shown).toMatchObject({ status: res.status, message: expect.any(String) });
  expect(Object.keys(res.body).every((k) => ['status', 'message', 'data'].includes(k)), shown).toBe(true);
}

function deep(levels: number, leaf: unknown = 1): string {
  return '{"a":'.repeat(levels) + JSON.stringify(leaf) + '}'.repeat(levels);
}

const NUL = 'a\u0000b';
const SURROGATE = 'a\ud800b';
const LONG_ID = 'x'.repeat(2000);

beforeAll(async () => {
  herald = await startTestHerald({ API_KEY, API_JWT_SECRET: JWT_SECRET, MAX_DESTINATIONS_PER_TENANT: '500' }, { worker: false });
  tenantId = uid('t');
  expect((await herald.call('PUT', `/tenants/${tenantId}`, {}, admin)).status).toBe(201);
  const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, {
    type: 'webhook', topics: '*', config: { url: 'http://127.0.0.1:9/hook' },
  }, admin);
  expect(created.status).toBe(201);
  destinationId = created.body.id;
});
afterAll(async () => herald?.close());

/** A body with `bad` placed in one field; `expected` is the status the contract gives that route. */
type BodyCase = readonly [label: string, method: string, path: () => string, body: (bad: unknown) => unknown, expected: number];

const bodyCases: BodyCase[] = [
  ['tenant metadata value', 'PUT', () => `/tenants/${uid('t')}`, (bad) => ({ metadata: { k: bad } }), 422],
  ['tenant metadata key', 'PUT', () => `/tenants/${uid('t')}`, (bad) => ({ metadata: { [String(bad)]: 'v' } }), 422],
  ...destinationBodyCases('POST', () => `/tenants/${tenantId}/destinations`),
  ['destination id', 'POST', () => `/tenants/${tenantId}/destinations`, (bad) => ({ id: bad, type: 'webhook', topics: '*', config: { url: 'http://127.0.0.1:9/' } }), 422],
  ['destination type', 'POST', () => `/tenants/${tenantId}/destinations`, (bad) => ({ type: bad, topics: '*' }), 422],
  ...destinationBodyCases('PATCH', () => `/tenants/${tenantId}/destinations/${destinationId}`),
  ['publish id', 'POST', () => '/publish', (bad) => ({ id: bad, tenant_id: tenantId, data: {} }), 422],
  ['publish tenant_id', 'POST', () => '/publish', (bad) => ({ tenant_id: bad, data: {} }), 422],
  ['publish destination_id', 'POST', () => '/publish', (bad) => ({ tenant_id: tenantId, destination_id: bad, data: {} }), 422],
  ['publish topic', 'POST', () => '/publish', (bad) => ({ tenant_id: tenantId, topic: bad, data: {} }), 422],
  ['publish metadata value', 'POST', () => '/publish', (bad) => ({ tenant_id: tenantId, metadata: { k: bad }, data: {} }), 422],
  ['publish metadata key', 'POST', () => '/publish', (bad) => ({ tenant_id: tenantId, metadata: { [String(bad)]: 'v' }, data: {} }), 422],
  ['publish data value', 'POST', () => '/publish', (bad) => ({ tenant_id: tenantId, data: { nested: [{ k: bad }] } }), 422],
  ['publish data key', 'POST', () => '/publish', (bad) => ({ tenant_id: tenantId, data: { [String(bad)]: 1 } }), 422],
  ['retry event_id', 'POST', () => '/retry', (bad) => ({ event_id: bad, destination_id: destinationId }), 400],
  ['retry destination_id', 'POST', () => '/retry', (bad) => ({ event_id: 'evt_1', destination_id: bad }), 400],
];

function destinationBodyCases(method: string, path: () => string): BodyCase[] {
  const base = method === 'POST' ? { type: 'webhook', topics: '*', config: { url: 'http://127.0.0.1:9/' } } : {};
  const cases: [string, (bad: unknown) => Record<string, unknown>][] = [
    ['topics entry', (bad) => ({ topics: ['a', bad] })],
    ['filter value', (bad) => ({ filter: { data: { x: bad } } })],
    ['filter key', (bad) => ({ filter: { data: { [String(bad)]: 1 } } })],
    ['config url', (bad) => ({ config: { url: `http://127.0.0.1:9/${String(bad)}` } })],
    ['config custom_headers', (bad) => ({ config: { url: 'http://127.0.0.1:9/', custom_headers: JSON.stringify({ 'x-k': bad }) } })],
    ['config key', (bad) => ({ config: { url: 'http://127.0.0.1:9/', [String(bad)]: 'v' } })],
    ['credentials secret', (bad) => ({ credentials: { secret: bad } })],
    ['delivery_metadata value', (bad) => ({ delivery_metadata: { k: bad } })],
    ['metadata value', (bad) => ({ metadata: { k: bad } })],
    ['metadata key', (bad) => ({ metadata: { [String(bad)]: 'v' } })],
  ];
  return cases.map(([label, body]) => [`${method} destination ${label}`, method, path, (bad) => ({ ...base, ...body(bad) }), 422]);
}

describe('bad text in a body answers 4xx', () => {
  // custom_headers is JSON text inside a string: the escaped NUL only appears once the provider
  // parses it, and the provider refuses it as a header value.
  const problemOf = (label: string, problem: string) => (label.endsWith('custom_headers') ? 'config.custom_headers.x-k is invalid' : problem);

  it.each(bodyCases)('when %s holds a NUL character, then the contract status', async (label, method, path, body, expected) => {
    const res = await herald.call(method, path(), body(NUL), admin);
    expectEnvelope(res, expected);
    expect(JSON.stringify(res.body.data)).toContain(problemOf(label, 'must not contain NUL characters'));
  });

  it.each(bodyCases)('when %s holds a lone surrogate, then the contract status', async (label, method, path, body, expected) => {
    const res = await herald.call(method, path(), body(SURROGATE), admin);
    expectEnvelope(res, expected);
    expect(JSON.stringify(res.body.data)).toContain(problemOf(label, 'must not contain unpaired UTF-16 surrogates'));
  });

  it('when a publish topic holds NUL, then 422 names the field', async () => {
    const res = await herald.call('POST', '/publish', { tenant_id: tenantId, topic: NUL, data: {} }, admin);
    expect(res.body).toEqual({ status: 422, message: 'validation error', data: ['topic must not contain NUL characters'] });
  });
});

describe('deeply nested JSON answers 422 naming the field', () => {
  const depths = [65, 10_000, 100_000];
  const deepCases: [string, string, () => string, (json: string) => string, string][] = [
    ['publish data', 'POST', () => '/publish', (json) => `{"tenant_id":"${tenantId}","data":${json}}`, 'data'],
    ['destination filter', 'POST', () => `/tenants/${tenantId}/destinations`,
      (json) => `{"type":"webhook","topics":"*","config":{"url":"http://127.0.0.1:9/"},"filter":${json}}`, 'filter'],
    ['patched filter', 'PATCH', () => `/tenants/${tenantId}/destinations/${destinationId}`, (json) => `{"filter":${json}}`, 'filter'],
    ['tenant metadata', 'PUT', () => `/tenants/${uid('t')}`, (json) => `{"metadata":${json}}`, 'metadata'],
    ['whole body', 'POST', () => '/publish', (json) => `[${json}]`, 'body'],
  ];

  for (const levels of depths) {
    it.each(deepCases)(`when %s is nested ${levels} levels, then 422`, async (_label, method, path, body, field) => {
      const res = await herald.call(method, path(), body(deep(levels)), admin);
      expectEnvelope(res, 422);
      expect(res.body.data).toContain(`${field} must not be nested more than 64 levels deep`);
    });
  }

  it('when data is nested 64 levels, then it is accepted', async () => {
    const res = await herald.call('POST', '/publish', `{"tenant_id":"${tenantId}","data":${deep(64)}}`, admin);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  });
});

describe('bad path parameters answer 4xx', () => {
  const tenantPaths = (seg: string) => [
    ['GET', `/tenants/${seg}`], ['DELETE', `/tenants/${seg}`], ['GET', `/tenants/${seg}/token`],
    ['GET', `/tenants/${seg}/destinations`], ['POST', `/tenants/${seg}/destinations`],
    ['GET', `/tenants/${seg}/destinations/d`], ['GET', `/tenants/${seg}/destinations/d/attempts`],
  ] as const;
  const destinationPaths = (seg: string) => [
    ['GET', `/tenants/${tenantId}/destinations/${seg}`], ['PATCH', `/tenants/${tenantId}/destinations/${seg}`],
    ['DELETE', `/tenants/${tenantId}/destinations/${seg}`], ['PUT', `/tenants/${tenantId}/destinations/${seg}/enable`],
    ['PUT', `/tenants/${tenantId}/destinations/${seg}/disable`], ['GET', `/tenants/${tenantId}/destinations/${seg}/attempts`],
    ['GET', `/tenants/${tenantId}/destinations/${seg}/attempts/a`],
  ] as const;
  const otherPaths = (seg: string) => [
    ['GET', `/events/${seg}`], ['GET', `/attempts/${seg}`], ['GET', `/destination-types/${seg}`],
    ['GET', `/tenants/${tenantId}/destinations/${destinationId}/attempts/${seg}`],
  ] as const;

  for (const [label, seg] of [['NUL', '%00'], ['a lone surrogate', '%ED%A0%80'], ['an over-long id', LONG_ID]] as const) {
    it(`when a path id is ${label}, then 400 or 404 in the envelope`, async () => {
      for (const [method, path] of [...tenantPaths(seg), ...destinationPaths(seg), ...otherPaths(seg)]) {
        const res = await herald.call(method, path, method === 'PATCH' ? { topics: '*' } : method === 'POST' ? {} : undefined, admin);
        expectEnvelope(res);
        expect([400, 404], `${method} ${path.slice(0, 80)}`).toContain(res.status);
      }
    });
  }

  it('when PUT /tenants/{id} has a NUL or an over-long id, then 422 names tenant_id', async () => {
    expectEnvelope(await herald.call('PUT', '/tenants/a%00b', {}, admin), 422);
    const long = await herald.call('PUT', `/tenants/${'t'.repeat(256)}`, {}, admin);
    expect(long.body).toEqual({ status: 422, message: 'validation error', data: ['tenant_id must be at most 255 characters'] });
  });
});

describe('bad query parameters answer 400', () => {
  const lists = (q: string) => [
    `/events?${q}`, `/attempts?${q}`, `/tenants/${tenantId}/destinations/${destinationId}/attempts?${q}`,
  ];
  const params = ['id', 'tenant_id', 'event_id', 'destination_id', 'topic', 'destination_type', 'include', 'next', 'prev', 'time[gte]', 'dir', 'status'];

  it.each(['%00', 'a%00b'])('when a query value is %s, then 400 on every list', async (value) => {
    for (const param of params) {
      for (const path of lists(`${param}=${value}`)) {
        const res = await herald.call('GET', path, undefined, admin);
        // Unknown parameters are ignored; every parameter a route reads refuses NUL.
        if (res.status !== 200) expectEnvelope(res, 400);
      }
    }
    for (const path of [`/events/e?tenant_id=${value}`, `/attempts/a?tenant_id=${value}`, `/tenants/${tenantId}/destinations?type=${value}`, `/tenants/${tenantId}/destinations?topics=${value}`]) {
      expectEnvelope(await herald.call('GET', path, undefined, admin), 400);
    }
  });

  it('when tenant_id holds NUL, then the message names the parameter', async () => {
    const res = await herald.call('GET', '/events?tenant_id=a%00b', undefined, admin);
    expect(res.body).toEqual({ status: 400, message: 'invalid query: tenant_id must not contain NUL characters' });
  });

  it('when limit is over the documented maximum, then 400 instead of clamping', async () => {
    for (const path of ['/events?limit=1001', '/attempts?limit=5000', `/tenants/${tenantId}/destinations/${destinationId}/attempts?limit=1001`]) {
      expect(await herald.call('GET', path, undefined, admin)).toEqual({ status: 400, body: { status: 400, message: 'invalid query: limit must be at most 1000' } });
    }
    expect((await herald.call('GET', '/events?limit=1000', undefined, admin)).status).toBe(200);
  });

  it('when a destination type filter names no destination type, then 400; a contract type Herald lacks lists nothing', async () => {
    const res = await herald.call('GET', `/tenants/${tenantId}/destinations?type=nope`, undefined, admin);
    expectEnvelope(res, 400);
    expect(res.body.message).toBe('invalid query: type must be one of webhook, hookdeck, aws_sqs, aws_kinesis, aws_s3, gcp_pubsub, azure_servicebus, rabbitmq, kafka');
    expectEnvelope(await herald.call('GET', '/attempts?destination_type=nope', undefined, admin), 400);
    expect(await herald.call('GET', `/tenants/${tenantId}/destinations?type=aws_kinesis`, undefined, admin)).toEqual({ status: 200, body: [] });
    expect((await herald.call('GET', `/tenants/${tenantId}/destinations?type[]=webhook`, undefined, admin)).body).toHaveLength(1);
  });
});

type LimitCase = readonly [label: string, path: () => string, body: () => unknown, message: string];

describe('ids have explicit length limits', () => {
  const webhook = { type: 'webhook', topics: '*', config: { url: 'http://127.0.0.1:9/' } };
  const cases: LimitCase[] = [
    ['a destination id of 256 characters', () => `/tenants/${tenantId}/destinations`, () => ({ ...webhook, id: 'd'.repeat(256) }), 'id must be at most 255 characters'],
    ['an event id of 256 bytes', () => '/publish', () => ({ id: 'e'.repeat(256), tenant_id: tenantId, data: {} }), 'id must be at most 255 bytes (UTF-8)'],
    ['an event id of 128 two-byte characters', () => '/publish', () => ({ id: 'é'.repeat(128), tenant_id: tenantId, data: {} }), 'id must be at most 255 bytes (UTF-8)'],
    ['a tenant_id of 256 characters', () => '/publish', () => ({ tenant_id: 't'.repeat(256), data: {} }), 'tenant_id must be at most 255 characters'],
    ['a destination_id of 256 characters', () => '/publish', () => ({ tenant_id: tenantId, destination_id: 'd'.repeat(256), data: {} }), 'destination_id must be at most 255 characters'],
  ];

  it.each(cases)('when a body has %s, then 422 says the limit', async (_label, path, body, message) => {
    const res = await herald.call('POST', path(), body(), admin);
    expectEnvelope(res, 422);
    expect(res.body.data).toContain(message);
  });

  it('when a retry names over-long ids, then 400', async () => {
    const res = await herald.call('POST', '/retry', { event_id: 'e'.repeat(256), destination_id: destinationId }, admin);
    expectEnvelope(res, 400);
    expect(res.body.data).toContain('event_id must be at most 255 bytes (UTF-8)');
  });

  it('when ids are at their limits, then the event is published and its delivery starts', async () => {
    const longTenant = 't'.repeat(255);
    expect((await herald.call('PUT', `/tenants/${longTenant}`, {}, admin)).status).toBe(201);
    const dest = await herald.call('POST', `/tenants/${longTenant}/destinations`, {
      id: 'd'.repeat(255), type: 'webhook', topics: '*', config: { url: 'http://127.0.0.1:9/' },
    }, admin);
    expect(dest.status, JSON.stringify(dest.body)).toBe(201);
    const res = await herald.call('POST', '/publish', { id: '€'.repeat(85), tenant_id: longTenant, data: {} }, admin);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.destination_ids).toEqual(['d'.repeat(255)]);
  });
});

describe('contract answers for values, bodies and retry', () => {
  const webhook = { type: 'webhook', topics: '*', config: { url: 'http://127.0.0.1:9/' } };
  const destinations = () => `/tenants/${tenantId}/destinations`;
  const destination = () => `/tenants/${tenantId}/destinations/${destinationId}`;
  const cases: (readonly [label: string, method: string, path: () => string, body: unknown, message: string])[] = [
    ['a tenant number', 'PUT', () => `/tenants/${uid('t')}`, { metadata: { x: 1 } }, 'metadata.x must be a string'],
    ['a tenant boolean', 'PUT', () => `/tenants/${uid('t')}`, { metadata: { x: true } }, 'metadata.x must be a string'],
    ['an event object', 'POST', () => '/publish', { tenant_id: 't', metadata: { x: { y: 'z' } }, data: {} }, 'metadata.x must be a string'],
    ['a destination number', 'POST', destinations, { ...webhook, metadata: { x: 2 } }, 'metadata.x must be a string'],
    ['a delivery_metadata boolean', 'POST', destinations, { ...webhook, delivery_metadata: { x: false } }, 'delivery_metadata.x must be a string'],
    ['a patched number', 'PATCH', destination, { metadata: { x: 3 } }, 'metadata.x must be a string or null'],
    ['a patched delivery_metadata array', 'PATCH', destination, { delivery_metadata: { x: [] } }, 'delivery_metadata.x must be a string or null'],
  ];

  it.each(cases)('when metadata holds %s, then 422', async (_label, method, path, body, message) => {
    const res = await herald.call(method, path(), body, admin);
    expect(res.body).toEqual({ status: 422, message: 'validation error', data: [message] });
  });

  it('when tenant metadata is null, then it is stored as empty', async () => {
    const res = await herald.call('PUT', `/tenants/${uid('t')}`, { metadata: null }, admin);
    expect(res.status).toBe(201);
    expect(res.body.metadata).toBeUndefined();
  });

  it('when credentials carry rotate_secret as a boolean, then it is still accepted as the contract types it', async () => {
    const res = await herald.call('PATCH', `/tenants/${tenantId}/destinations/${destinationId}`, { credentials: { rotate_secret: true } }, admin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  // express's JSON parser reads an absent or empty body as `{}`.
  it.each([
    ['no body', undefined, 'body must contain at least one field to update'],
    ['an empty body', '', 'body must contain at least one field to update'],
    ['only unknown fields', { nope: 1 }, 'body must contain at least one field to update'],
    ['null', 'null', 'body is required'],
    ['an empty object', {}, 'body must contain at least one field to update'],
    ['an array', [], 'body must be an object'],
  ] as const)('when PATCH has %s, then 422', async (_label, body, message) => {
    const res = await herald.call('PATCH', `/tenants/${tenantId}/destinations/${destinationId}`, body, admin);
    expect(res.body).toEqual({ status: 422, message: 'validation error', data: [message] });
  });

  it.each([
    ['no body', undefined, ['event_id is required', 'destination_id is required']],
    ['missing destination_id', { event_id: 'e' }, ['destination_id is required']],
    ['an empty event_id', { event_id: '', destination_id: 'd' }, ['event_id is required']],
    ['a number', { event_id: 1, destination_id: 'd' }, ['event_id must be a string']],
  ] as const)('when POST /retry has %s, then 400 lists the problems', async (_label, body, data) => {
    expect((await herald.call('POST', '/retry', body, admin)).body).toEqual({ status: 400, message: 'validation error', data });
  });

  it('when POST /retry has malformed JSON, then 400 invalid JSON', async () => {
    expect(await herald.call('POST', '/retry', '{"event_id":', admin)).toEqual({ status: 400, body: { status: 400, message: 'invalid JSON' } });
    expect((await herald.call('POST', '/publish', '{"tenant_id":', admin)).status).toBe(422);
  });
});

describe('tokens end with their tenant', () => {
  const key = new TextEncoder().encode(JWT_SECRET);
  const routes = (id: string) => [
    ['GET', `/tenants/${id}`], ['PUT', `/tenants/${id}`], ['DELETE', `/tenants/${id}`],
    ['GET', `/tenants/${id}/destinations`], ['POST', `/tenants/${id}/destinations`],
    ['GET', '/events'], ['GET', '/events/e'], ['GET', '/attempts'], ['GET', '/attempts/a'],
    ['POST', '/retry'], ['GET', '/destination-types'], ['GET', '/destination-types/webhook'], ['GET', '/topics'],
  ] as const;

  async function tokenFor(id: string): Promise<Record<string, string>> {
    const { body } = await herald.call('GET', `/tenants/${id}/token`, undefined, admin);
    return { authorization: `Bearer ${body.token}` };
  }

  it('when the tenant of a token is deleted, then every route answers 401', async () => {
    const id = uid('t');
    await herald.call('PUT', `/tenants/${id}`, {}, admin);
    const jwt = await tokenFor(id);
    expect((await herald.call('GET', '/events', undefined, jwt)).status).toBe(200);
    expect((await herald.call('DELETE', `/tenants/${id}`, undefined, jwt)).status).toBe(200);
    for (const [method, path] of routes(id)) {
      expect(await herald.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {}, jwt), `${method} ${path}`)
        .toEqual({ status: 401, body: { status: 401, message: 'unauthorized' } });
    }
    expect((await herald.call('GET', `/tenants/${id}`, undefined, admin)).status).toBe(404);
  });

  it('when a deleted tenant is re-created, then a token minted before cannot reach the new tenant', async () => {
    const id = uid('t');
    await herald.call('PUT', `/tenants/${id}`, {}, admin);
    const old = await tokenFor(id);
    await herald.call('DELETE', `/tenants/${id}`, undefined, admin);
    expect((await herald.call('PUT', `/tenants/${id}`, {}, admin)).status).toBe(201);
    expect((await herald.call('GET', `/tenants/${id}`, undefined, old)).status).toBe(401);
    expect((await herald.call('GET', `/tenants/${id}`, undefined, await tokenFor(id))).status).toBe(200);
  });

  it.each([
    ['without exp', (jwt: SignJWT) => jwt],
    ['expired', (jwt: SignJWT) => jwt.setExpirationTime(Math.floor(Date.now() / 1000) - 60)],
    ['with a NUL in sub', (jwt: SignJWT) => jwt.setSubject(NUL).setExpirationTime('1h')],
    ['with another issuer', (jwt: SignJWT) => jwt.setIssuer('someone').setExpirationTime('1h')],
  ])('when a token is %s, then 401', async (_label, shape) => {
    const jwt = shape(new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('outpost').setSubject(tenantId).setIssuedAt());
    const res = await herald.call('GET', `/tenants/${tenantId}`, undefined, { authorization: `Bearer ${await jwt.sign(key)}` });
    expect(res).toEqual({ status: 401, body: { status: 401, message: 'unauthorized' } });
  });

  it('when a token of a live tenant predates the tenant_created_at claim, then it is still accepted', async () => {
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('outpost').setSubject(tenantId)
      .setIssuedAt().setExpirationTime('1h').sign(key);
    expect((await herald.call('GET', `/tenants/${tenantId}`, undefined, { authorization: `Bearer ${jwt}` })).status).toBe(200);
  });

  it('when a live tenant token is used, then its own routes still answer', async () => {
    const jwt = await tokenFor(tenantId);
    expect((await herald.call('GET', `/tenants/${tenantId}`, undefined, jwt)).status).toBe(200);
    expect((await herald.call('GET', `/tenants/${tenantId}/destinations`, undefined, jwt)).status).toBe(200);
    expect((await herald.call('GET', '/attempts', undefined, jwt)).status).toBe(200);
    expect((await herald.call('PUT', `/tenants/${tenantId}`, {}, jwt)).status).toBe(200);
  });
});

describe('webhook custom headers are sealed at rest', () => {
  it('when a destination has custom headers, then the API shows them but the table does not hold them in clear', async () => {
    const headers = JSON.stringify({ 'x-api-key': 'plaintext-api-key-123' });
    const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, {
      type: 'webhook', topics: '*', config: { url: 'http://127.0.0.1:9/', custom_headers: headers },
    }, admin);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.config.custom_headers).toBe(headers);
    expect((await herald.call('GET', `/tenants/${tenantId}/destinations/${created.body.id}`, undefined, admin)).body.config)
      .toEqual({ url: 'http://127.0.0.1:9/', custom_headers: headers });
    const { rows } = await herald.ctx.pool.query<{ raw: string }>(
      `SELECT row_to_json(d)::text || encode(secrets, 'escape') AS raw FROM destinations d WHERE tenant_id = $1 AND id = $2`,
      [tenantId, created.body.id],
    );
    expect(rows[0]?.raw).toContain('http://127.0.0.1:9/');
    expect(rows[0]?.raw).not.toContain('plaintext-api-key-123');
  });

  it('when an event is delivered, then the sealed custom headers are still sent', async () => {
    const receiver = await startReceiver();
    try {
      await herald.startWorker();
      const id = uid('t');
      await herald.call('PUT', `/tenants/${id}`, {}, admin);
      const created = await herald.call('POST', `/tenants/${id}/destinations`, {
        type: 'webhook', topics: '*', config: { url: receiver.url, custom_headers: JSON.stringify({ 'x-api-key': 'sealed-key-456' }) },
      }, admin);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await herald.call('POST', '/publish', { tenant_id: id, data: { hello: 'world' } }, admin)).status).toBe(202);
      await receiver.waitFor(1);
      expect(receiver.received[0]?.headers['x-api-key']).toBe('sealed-key-456');
    } finally {
      await herald.stopWorker();
      await receiver.close();
    }
  });
});
