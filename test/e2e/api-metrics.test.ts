import { Outpost } from '@hookdeck/outpost-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anAttempt, anEvent } from '../../src/db/testing/fixtures.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { uid } from './fixtures.js';

// GET /metrics/events and /metrics/attempts over HTTP: who sees what, what is refused, and the
// same operations through Outpost's published SDK, whose schemas reject drifting answers. The
// measures themselves are hand-counted in src/db/metrics-repository.int.test.ts.

const API_KEY = 'admin-key-for-metrics-tests';
const START = '2026-03-02T00:00:00Z';
const END = '2026-03-03T00:00:00Z';
const RANGE = `time[start]=${START}&time[end]=${END}`;
let herald: TestHerald;
let own: string;
let other: string;
let ownToken: string;
let otherToken: string;

const admin = { authorization: `Bearer ${API_KEY}` };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  herald = await startTestHerald({ API_KEY, API_JWT_SECRET: 'jwt-secret-for-metrics-tests' }, { worker: false });
  [own, other] = [uid('metrics_own'), uid('metrics_other')];
  const tokens: string[] = [];
  for (const tenantId of [own, other]) {
    expect((await herald.call('PUT', `/tenants/${tenantId}`, {}, admin)).status).toBe(201);
    tokens.push((await herald.call('GET', `/tenants/${tenantId}/token`, undefined, admin)).body.token as string);
  }
  [ownToken, otherToken] = tokens as [string, string];
  // own: two events at 10:xx, three attempts (one failed); other: one event, one failed attempt.
  const { events, attempts } = herald.ctx;
  const rows = [
    { tenantId: own, event: 'e1', topic: 'order.created', destination: 'd_own', time: '2026-03-02T10:05:00Z', attempts: [['failed', '503'], ['success', '200']] },
    { tenantId: own, event: 'e2', topic: 'order.updated', destination: 'd_own', time: '2026-03-02T10:40:00Z', attempts: [['success', '200']] },
    { tenantId: other, event: 'e3', topic: 'order.created', destination: 'd_other', time: '2026-03-02T11:00:00Z', attempts: [['failed', 'timeout']] },
  ];
  for (const row of rows) {
    const time = new Date(row.time);
    await events.insertIfAbsent(anEvent(row.tenantId, { id: row.event, topic: row.topic, time, matchedDestinationIds: [row.destination] }));
    for (const [i, [status, code]] of row.attempts.entries()) {
      await attempts.insert(anAttempt(row.tenantId, {
        id: uid('atm'), eventId: row.event, destinationId: row.destination, attemptNumber: i + 1,
        status: status as 'success' | 'failed', code: code as string, time: new Date(time.getTime() + i * 60_000),
      }));
    }
  }
});
afterAll(async () => {
  await herald?.close();
});

const get = (path: string, headers: Record<string, string> = admin) => herald.call('GET', path, undefined, headers);
const counts = (body: { data: { dimensions: Record<string, string>; metrics: { count: number } }[] }) =>
  body.data.map((p) => [...Object.values(p.dimensions), p.metrics.count]);

describe('who sees which metrics', () => {
  it.each(['events', 'attempts'])('when /metrics/%s is called without a token, then 401', async (subject) => {
    const res = await get(`/metrics/${subject}?${RANGE}&measures[]=count`, {});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ status: 401, message: 'unauthorized' });
  });

  it('when the admin groups by tenant, then every tenant is counted', async () => {
    const attempts = await get(`/metrics/attempts?${RANGE}&measures[]=count&dimensions[]=tenant_id&filters[tenant_id][]=${own}&filters[tenant_id][]=${other}`);
    expect(attempts.status).toBe(200);
    expect(counts(attempts.body)).toEqual([[own, 3], [other, 1]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    const events = await get(`/metrics/events?${RANGE}&measures=count&dimensions=tenant_id&tenant_id=${own}`);
    expect(counts(events.body)).toEqual([[own, 2]]);
  });

  it('when a tenant token asks, then only its own tenant is counted, with or without naming it', async () => {
    for (const query of ['', `&tenant_id=${own}`]) {
      const attempts = await get(`/metrics/attempts?${RANGE}&measures[]=count&measures[]=failed_count&dimensions[]=destination_id${query}`, bearer(ownToken));
      expect(attempts.status).toBe(200);
      expect(attempts.body.data).toEqual([{ dimensions: { destination_id: 'd_own' }, metrics: { count: 3, failed_count: 1 } }]);
    }
    const events = await get(`/metrics/events?${RANGE}&measures[]=count`, bearer(ownToken));
    expect(counts(events.body)).toEqual([[2]]);
  });

  it('when another tenant\'s token asks for the first tenant\'s destination, then it sees nothing of it', async () => {
    const res = await get(`/metrics/attempts?${RANGE}&measures[]=count&filters[destination_id][]=d_own`, bearer(otherToken));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    const all = await get(`/metrics/attempts?${RANGE}&measures[]=count`, bearer(otherToken));
    expect(counts(all.body)).toEqual([[1]]);
  });

  it.each([
    ['the tenant_id dimension', 'dimensions[]=tenant_id', 'tenant_id dimension is not allowed for tenant-scoped requests'],
    ['the tenant_id filter, even of its own tenant', 'filters[tenant_id][]=OWN', 'tenant_id filter is not allowed for tenant-scoped requests'],
    ['another tenant by tenant_id', 'tenant_id=OTHER', 'forbidden'],
  ])('when a tenant token uses %s, then 403', async (_what, extra, message) => {
    for (const subject of ['events', 'attempts']) {
      const query = extra.replace('OWN', own).replace('OTHER', other);
      const res = await get(`/metrics/${subject}?${RANGE}&measures[]=count&${query}`, bearer(ownToken));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ status: 403, message });
    }
  });
});

describe('refused metrics queries', () => {
  it.each([
    ['an unknown measure', `/metrics/events?${RANGE}&measures[]=failed_count`, 'measures must be one of count, rate'],
    ['an unknown dimension', `/metrics/attempts?${RANGE}&measures[]=count&dimensions[]=event_id`, 'dimensions must be one of'],
    ['an unknown filter', `/metrics/events?${RANGE}&measures[]=count&filters[status][]=failed`, 'filters.status is not allowed'],
    ['a filter value outside the contract', `/metrics/attempts?${RANGE}&measures[]=count&filters[status]=sending`, 'filters.status must be one of success, failed'],
    ['a bad attempt number', `/metrics/attempts?${RANGE}&measures[]=count&filters[attempt_number]=0`, 'filters.attempt_number must be positive whole numbers'],
    ['no measures', `/metrics/attempts?${RANGE}`, 'measures is required'],
    ['no time range', '/metrics/attempts?measures[]=count', 'time is required'],
    ['no end', `/metrics/events?time[start]=${START}&measures[]=count`, 'time.end is required'],
    ['a time that is not RFC 3339', `/metrics/events?time[start]=2026-03-02&time[end]=${END}&measures[]=count`, 'time.start must be an RFC 3339 date-time'],
    ['an end before the start', `/metrics/events?time[start]=${END}&time[end]=${START}&measures[]=count`, 'time.end must be after time.start'],
    ['a granularity without unit', `/metrics/events?${RANGE}&measures[]=count&granularity=5`, 'granularity must be <number><unit>'],
    ['a granularity past its unit\'s range', `/metrics/events?${RANGE}&measures[]=count&granularity=25h`, 'granularity h takes 1 to 24'],
    ['more buckets than the row limit', `/metrics/events?time[start]=2026-01-01T00:00:00Z&time[end]=${END}&measures[]=count&granularity=1s`, 'granularity gives more than 100000 buckets'],
  ])('when a query has %s, then 400 says so', async (_what, path, message) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 400, message: expect.stringContaining(message) });
  });
});

describe('metrics through @hookdeck/outpost-sdk', () => {
  const time = { start: new Date(START), end: new Date(END) };
  const sdk = (apiKey: string) => new Outpost({ apiKey, serverURL: `${herald.api.url}/api/v1`, retryConfig: { strategy: 'none' } });

  it('when the admin asks for hourly attempt metrics by status, then the SDK parses buckets, dimensions and metadata', async () => {
    const answer = await sdk(API_KEY).metrics.getAttemptMetrics({
      time, granularity: '1h', measures: ['count', 'error_rate', 'rate'], dimensions: ['status'], filtersTenantId: [own, other],
      filtersCode: ['200', '503', 'timeout'],
    });
    expect(answer.metadata).toEqual({ granularity: '1h', queryTimeMs: expect.any(Number), rowCount: 48, rowLimit: 100_000, truncated: false });
    const nonEmpty = (answer.data ?? []).filter((p) => p.metrics?.count !== 0);
    expect(nonEmpty.map((p) => [p.timeBucket?.toISOString(), p.dimensions, p.metrics])).toEqual([
      ['2026-03-02T10:00:00.000Z', { status: 'failed' }, { count: 1, error_rate: 1, rate: 1 / 3600 }],
      ['2026-03-02T11:00:00.000Z', { status: 'failed' }, { count: 1, error_rate: 1, rate: 1 / 3600 }],
      ['2026-03-02T10:00:00.000Z', { status: 'success' }, { count: 2, error_rate: 0, rate: 2 / 3600 }],
    ]);
  });

  it('when a tenant asks for event metrics by topic without granularity, then the SDK parses one row per topic and no bucket', async () => {
    const answer = await sdk(ownToken).metrics.getEventMetrics({ time, measures: ['count', 'rate'], dimensions: ['topic'] });
    expect(answer.data).toEqual([
      { dimensions: { topic: 'order.created' }, metrics: { count: 1, rate: 1 / 86_400 } },
      { dimensions: { topic: 'order.updated' }, metrics: { count: 1, rate: 1 / 86_400 } },
    ]);
    expect(answer.metadata).toEqual({ queryTimeMs: expect.any(Number), rowCount: 2, rowLimit: 100_000, truncated: false });
  });

  it('when a tenant asks the SDK for the tenant_id dimension, then it gets the 403', async () => {
    await expect(sdk(ownToken).metrics.getAttemptMetrics({ time, measures: 'count', dimensions: 'tenant_id' })).rejects.toMatchObject({ statusCode: 403 });
  });
});
