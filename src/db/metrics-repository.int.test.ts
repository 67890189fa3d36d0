import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt } from '../domain/types.js';
import { bucketStart, parseGranularity, type Granularity } from '../services/metrics-granularity.js';
import { createMetricsService, type MetricsRequest } from '../services/metrics-service.js';
import { createAttemptRepository } from './attempt-repository.js';
import { createEventRepository } from './event-repository.js';
import { createMetricsRepository } from './metrics-repository.js';
import { anAttempt, anEvent, createTestPool } from './testing/fixtures.js';

/**
 * Hand-counted: the events and attempts below, and what each query must answer, are worked out
 * by hand in the comments. The range is 2026-03-02T10:00Z (inclusive) to 2026-03-03T00:00Z
 * (exclusive); E5, A10 sit exactly on its end and A11 is a send still in flight.
 */
const T1 = 'tnt_metrics_1';
const T2 = 'tnt_metrics_2';
const T3 = 'tnt_metrics_buckets';
const at = (hhmm: string, day = '2026-03-02') => new Date(`${day}T${hhmm}:00.000Z`);
const START = at('10:00');
const END = at('00:00', '2026-03-03');
const SPAN_S = 14 * 3600;

const EVENTS = [
  { id: 'E0', tenantId: T1, topic: 'user.created', time: at('10:00'), matched: ['d1'] },
  { id: 'E1', tenantId: T1, topic: 'user.created', time: at('10:15'), matched: ['d1', 'd2'] },
  { id: 'E2', tenantId: T1, topic: 'user.updated', time: at('11:45'), matched: ['d1'] },
  { id: 'E3', tenantId: T1, topic: 'user.created', time: at('12:00'), matched: [] },
  { id: 'E4', tenantId: T2, topic: 'user.created', time: at('10:30'), matched: ['d3'] },
  { id: 'E5', tenantId: T1, topic: 'user.created', time: END, matched: ['d1'] },
];

type Row = [id: string, tenant: string, event: string, destination: string, type: string, n: number, manual: boolean, status: 'success' | 'failed', code: string, time: Date];
const ATTEMPTS: Row[] = [
  ['A1', T1, 'E1', 'd1', 'webhook', 1, false, 'failed', '503', at('10:15')],
  ['A2', T1, 'E1', 'd1', 'webhook', 2, false, 'failed', 'timeout', at('10:16')],
  ['A3', T1, 'E1', 'd1', 'webhook', 3, false, 'success', '200', at('11:16')],
  ['A4', T1, 'E1', 'd2', 'aws_sqs', 1, false, 'success', '200', at('10:15')],
  ['A5', T1, 'E2', 'd1', 'webhook', 1, false, 'failed', '500', at('11:45')],
  ['A6', T1, 'E2', 'd1', 'webhook', 2, true, 'success', '200', at('12:30')],
  ['A7', T2, 'E4', 'd3', 'webhook', 1, false, 'failed', '503', at('10:30')],
  ['A8', T2, 'E4', 'd3', 'webhook', 2, false, 'success', '200', at('10:40')],
  ['A9', T1, 'E0', 'd1', 'webhook', 1, false, 'success', '200', at('10:00')],
  ['A10', T1, 'E5', 'd1', 'webhook', 1, false, 'success', '200', END],
];

/** Times that probe bucket edges, for comparing the SQL buckets with `bucketStart`. */
const EDGE_TIMES = [
  '2025-12-31T23:59:59.999Z', '2026-01-01T00:00:00.000Z', '2026-02-28T13:07:41.500Z', '2026-03-01T00:00:00.000Z',
  '2026-05-31T23:00:00.000Z', '2026-07-15T06:30:00.000Z', '2026-07-15T06:30:00.001Z',
].map((iso) => new Date(iso));

describe('metrics over the event and attempt logs', () => {
  let pool: pg.Pool;
  let query: (request: Partial<MetricsRequest>, rowLimit?: number) => ReturnType<ReturnType<typeof createMetricsService>['query']>;

  beforeAll(async () => {
    pool = await createTestPool();
    const events = createEventRepository(pool);
    const attempts = createAttemptRepository(pool);
    for (const e of EVENTS) {
      await events.insertIfAbsent(anEvent(e.tenantId, { id: e.id, topic: e.topic, time: e.time, matchedDestinationIds: e.matched }));
    }
    const attempt = ([id, tenantId, eventId, destinationId, destinationType, attemptNumber, manual, status, code, time]: Row): Attempt =>
      anAttempt(tenantId, { id, eventId, destinationId, destinationType, attemptNumber, manual, status, code, time });
    for (const row of ATTEMPTS) await attempts.insert(attempt(row));
    // A11: a send in flight inside the range is not an attempt yet.
    await pool.query(
      `INSERT INTO attempts (id, tenant_id, event_id, destination_id, destination_type, attempt_number, manual, status, code, time)
       VALUES ('A11', $1, 'E3', 'd1', 'webhook', 1, false, 'sending', '', $2)`,
      [T1, at('12:05')],
    );
    for (const [i, time] of EDGE_TIMES.entries()) {
      await attempts.insert(anAttempt(T3, { id: `B${i}`, eventId: `EB${i}`, time }));
    }
    const repository = createMetricsRepository(pool);
    query = (request, rowLimit) => createMetricsService({ repository, ...(rowLimit ? { rowLimit } : {}) }).query({
      subject: 'attempts', start: START, end: END, granularity: null, measures: ['count'], dimensions: [],
      filters: { tenant_id: [T1, T2] }, ...request,
    });
  });

  afterAll(async () => {
    await pool.end();
  });

  const table = async (request: Partial<MetricsRequest>) =>
    (await query(request)).points.map((p) => [...Object.values(p.dimensions), ...Object.values(p.metrics)]);

  it('when every attempt measure is asked for over the range, then each is hand-counted: A1-A9, not A10 (end) nor A11 (sending)', async () => {
    const answer = await query({
      measures: ['count', 'successful_count', 'failed_count', 'error_rate', 'first_attempt_count', 'retry_count',
        'manual_retry_count', 'avg_attempt_number', 'rate', 'successful_rate', 'failed_rate'],
    });
    expect(answer.points).toEqual([{
      bucket: null, dimensions: {},
      metrics: {
        count: 9, successful_count: 5, failed_count: 4, error_rate: 4 / 9, first_attempt_count: 5, retry_count: 4,
        manual_retry_count: 1, avg_attempt_number: 14 / 9, rate: 9 / SPAN_S, successful_rate: 5 / SPAN_S, failed_rate: 4 / SPAN_S,
      },
    }]);
    expect(answer).toMatchObject({ rowLimit: 100_000, truncated: false });
  });

  it.each([
    ['tenant_id', [[T1, 7], [T2, 2]]],
    ['destination_id', [['d1', 6], ['d2', 1], ['d3', 2]]],
    ['destination_type', [['aws_sqs', 1], ['webhook', 8]]],
    ['topic', [['user.created', 7], ['user.updated', 2]]],
    ['status', [['failed', 4], ['success', 5]]],
    ['code', [['200', 5], ['500', 1], ['503', 2], ['timeout', 1]]],
    ['manual', [['false', 8], ['true', 1]]],
    ['attempt_number', [['1', 5], ['2', 3], ['3', 1]]],
  ])('when attempts are grouped by %s, then each value has its hand count', async (dimension, expected) => {
    expect(await table({ dimensions: [dimension] })).toEqual(expected);
  });

  it('when attempts are grouped by two dimensions, then each combination is one row', async () => {
    expect(await table({ dimensions: ['topic', 'status'], filters: { tenant_id: [T1] } })).toEqual([
      ['user.created', 'failed', 2], ['user.created', 'success', 3], ['user.updated', 'failed', 1], ['user.updated', 'success', 1],
    ]);
  });

  it.each([
    ['destination_id', ['d1'], 6],
    ['destination_type', ['aws_sqs'], 1],
    ['topic', ['user.updated'], 2],
    ['status', ['failed'], 4],
    ['code', ['503', '500'], 3],
    ['manual', ['true'], 1],
    ['attempt_number', ['2', '3'], 4],
    ['tenant_id', [T2], 2],
  ])('when attempts are filtered by %s %j, then %i are counted', async (name, values, count) => {
    expect(await table({ filters: { tenant_id: [T1, T2], [name]: values } })).toEqual([[count]]);
  });

  it('when hourly buckets are asked for, then each tenant has every bucket of the range, empty ones as zero', async () => {
    const answer = await query({ granularity: { value: 1, unit: 'h' }, end: at('14:00'), dimensions: ['tenant_id'], measures: ['count', 'rate'] });
    expect(answer.points.map((p) => [p.dimensions.tenant_id, p.bucket?.toISOString(), p.metrics.count, p.metrics.rate])).toEqual([
      [T1, at('10:00').toISOString(), 4, 4 / 3600], [T1, at('11:00').toISOString(), 2, 2 / 3600],
      [T1, at('12:00').toISOString(), 1, 1 / 3600], [T1, at('13:00').toISOString(), 0, 0],
      [T2, at('10:00').toISOString(), 2, 2 / 3600], [T2, at('11:00').toISOString(), 0, 0],
      [T2, at('12:00').toISOString(), 0, 0], [T2, at('13:00').toISOString(), 0, 0],
    ]);
  });

  it('when the range starts and ends inside buckets, then the first bucket begins before it and only rows in range count', async () => {
    const answer = await query({ granularity: { value: 1, unit: 'h' }, start: new Date('2026-03-02T10:15:00Z'), end: new Date('2026-03-02T11:16:00Z') });
    // 10:15 is in (A1, A4) and 10:00 out (A9); 11:16 is out (A3): 10 h holds A1 A2 A4 A7 A8, 11 h nothing.
    expect(answer.points.map((p) => [p.bucket?.toISOString().slice(11, 16), p.metrics.count])).toEqual([['10:00', 5], ['11:00', 0]]);
  });

  it('when groups pass the row limit, then the answer keeps the first and says it is truncated', async () => {
    const answer = await query({ dimensions: ['code'] }, 2);
    expect(answer.points.map((p) => p.dimensions.code)).toEqual(['200', '500']);
    expect(answer).toMatchObject({ rowLimit: 2, truncated: true });
  });

  it('when events are counted, then E0-E4 count (E5 is at the end), by tenant, topic and matched destination', async () => {
    const events = (request: Partial<MetricsRequest>) => table({ subject: 'events', ...request });
    expect(await events({ measures: ['count', 'rate'] })).toEqual([[5, 5 / SPAN_S]]);
    expect(await events({ dimensions: ['tenant_id'] })).toEqual([[T1, 4], [T2, 1]]);
    expect(await events({ dimensions: ['topic'] })).toEqual([['user.created', 4], ['user.updated', 1]]);
    // E1 counts for d1 and d2; E3 matched nothing.
    expect(await events({ dimensions: ['destination_id'] })).toEqual([['', 1], ['d1', 3], ['d2', 1], ['d3', 1]]);
    expect(await events({ filters: { tenant_id: [T1, T2], destination_id: ['d1'] } })).toEqual([[3]]);
    expect(await events({ dimensions: ['destination_id'], filters: { tenant_id: [T1, T2], destination_id: ['d2'] } })).toEqual([['d2', 1]]);
    expect(await events({ filters: { tenant_id: [T1, T2], topic: ['user.updated'] } })).toEqual([[1]]);
    const hourly = await query({ subject: 'events', granularity: { value: 1, unit: 'h' }, end: at('14:00'), filters: { tenant_id: [T1] } });
    expect(hourly.points.map((p) => p.metrics.count)).toEqual([2, 1, 1, 0]);
  });

  it('when a name outside the vocabulary reaches the repository, then it refuses it rather than build SQL from it', async () => {
    const selection = { start: START, end: END, granularity: null, dimensions: [], filters: {}, measures: ['count'], limit: 10 };
    const repository = createMetricsRepository(pool);
    await expect(repository.attempts({ ...selection, dimensions: ['id; DROP TABLE attempts'] })).rejects.toThrow(RangeError);
    await expect(repository.events({ ...selection, filters: { status: ['failed'] } })).rejects.toThrow(RangeError);
    await expect(repository.events({ ...selection, measures: ['error_rate'] })).rejects.toThrow(RangeError);
  });

  it('when nothing is in the range and no granularity is asked for, then there are no points', async () => {
    expect((await query({ filters: { tenant_id: ['nobody'] } })).points).toEqual([]);
  });

  it.each(['1s', '7s', '1m', '45m', '1h', '5h', '1d', '3d', '1w', '2w', '1M', '3M', '5M', '12M'])(
    'when attempts are bucketed by %s in SQL, then each lands in the bucket bucketStart computes',
    async (text) => {
      const granularity = (parseGranularity(text) as { granularity: Granularity }).granularity;
      const repository = createMetricsRepository(pool);
      const groups = await repository.attempts({
        start: new Date('2025-12-01T00:00:00Z'), end: new Date('2026-08-01T00:00:00Z'), granularity, dimensions: [],
        filters: { tenant_id: [T3] }, measures: ['count'], limit: 100,
      });
      const expected = new Map<string, number>();
      for (const time of EDGE_TIMES) {
        const key = bucketStart(time, granularity).toISOString();
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      expect(new Map(groups.map((g) => [g.bucket!.toISOString(), g.values.count]))).toEqual(expected);
    },
  );
});
