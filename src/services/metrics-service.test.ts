import { describe, expect, it } from 'vitest';
import type { MetricsGroup, MetricsRepository, MetricsSelection } from '../db/metrics-repository.js';
import { createMetricsService, storedMeasures, type MetricsRequest } from './metrics-service.js';

const at = (iso: string) => new Date(iso);
const hour = { value: 1, unit: 'h' } as const;

/** A repository answering fixed groups, recording the selection it was asked for. */
function fakeRepository(groups: MetricsGroup[]) {
  const asked: MetricsSelection[] = [];
  const answer = async (selection: MetricsSelection) => {
    asked.push(selection);
    return groups.slice(0, selection.limit);
  };
  return { asked, repository: { events: answer, attempts: answer } satisfies MetricsRepository };
}

const request = (overrides: Partial<MetricsRequest> = {}): MetricsRequest => ({
  subject: 'attempts', start: at('2026-03-02T10:00:00Z'), end: at('2026-03-02T13:00:00Z'), granularity: null,
  measures: ['count'], dimensions: [], filters: {}, ...overrides,
});

const group = (bucket: string | null, dimensions: Record<string, string>, values: Record<string, number>): MetricsGroup =>
  ({ bucket: bucket === null ? null : at(bucket), dimensions, values });

describe('storedMeasures', () => {
  it('when rates are asked for, then their counts are computed instead, once each', () => {
    expect(storedMeasures(['rate', 'count', 'failed_rate', 'error_rate', 'successful_rate'])).toEqual(['count', 'failed_count', 'error_rate', 'successful_count']);
  });
});

describe('the metrics service', () => {
  it('when no granularity is asked for, then rates are per second over the whole range and only requested measures are answered', async () => {
    const { repository, asked } = fakeRepository([group(null, { status: 'failed' }, { count: 36, failed_count: 36 })]);
    const answer = await createMetricsService({ repository }).query(request({ measures: ['failed_rate', 'rate'], dimensions: ['status'] }));
    expect(asked[0]).toMatchObject({ measures: ['failed_count', 'count'], limit: 100_001 });
    expect(answer.points).toEqual([{ bucket: null, dimensions: { status: 'failed' }, metrics: { failed_rate: 36 / 10_800, rate: 36 / 10_800 } }]);
    expect(answer).toMatchObject({ rowLimit: 100_000, truncated: false });
  });

  it('when a granularity is asked for, then every bucket of each combination is answered, empty ones as zeros', async () => {
    const { repository } = fakeRepository([
      group('2026-03-02T11:00:00Z', { code: '200' }, { count: 7 }),
      group('2026-03-02T10:00:00Z', { code: '503' }, { count: 2 }),
      group('2026-03-02T12:00:00Z', { code: '503' }, { count: 1 }),
    ]);
    const answer = await createMetricsService({ repository }).query(request({ granularity: hour, dimensions: ['code'], measures: ['count', 'rate'] }));
    expect(answer.points.map((p) => [p.bucket?.toISOString().slice(11, 13), p.dimensions.code, p.metrics.count, p.metrics.rate])).toEqual([
      ['10', '200', 0, 0], ['11', '200', 7, 7 / 3600], ['12', '200', 0, 0],
      ['10', '503', 2, 2 / 3600], ['11', '503', 0, 0], ['12', '503', 1, 1 / 3600],
    ]);
  });

  it('when a granularity is asked for without dimensions and nothing happened, then every bucket is answered with zeros', async () => {
    const { repository } = fakeRepository([]);
    const answer = await createMetricsService({ repository }).query(request({ granularity: hour, measures: ['count', 'error_rate'] }));
    expect(answer.points.map((p) => p.metrics)).toEqual([{ count: 0, error_rate: 0 }, { count: 0, error_rate: 0 }, { count: 0, error_rate: 0 }]);
  });

  it('when there are more groups than the row limit, then the first ones are answered and the answer says it is truncated', async () => {
    const groups = ['a', 'b', 'c', 'd'].map((code) => group(null, { code }, { count: 1 }));
    const answer = await createMetricsService({ repository: fakeRepository(groups).repository, rowLimit: 3 }).query(request({ dimensions: ['code'] }));
    expect(answer.points.map((p) => p.dimensions.code)).toEqual(['a', 'b', 'c']);
    expect(answer).toMatchObject({ rowLimit: 3, truncated: true });
  });

  it('when filling empty buckets passes the row limit, then the answer is cut there and truncated', async () => {
    const { repository } = fakeRepository([group('2026-03-02T10:00:00Z', { code: '200' }, { count: 1 }), group('2026-03-02T10:00:00Z', { code: '503' }, { count: 1 })]);
    const answer = await createMetricsService({ repository, rowLimit: 4 }).query(request({ granularity: hour, dimensions: ['code'] }));
    expect(answer.points.map((p) => `${p.dimensions.code}@${p.bucket?.toISOString().slice(11, 13)}`)).toEqual(['200@10', '200@11', '200@12', '503@10']);
    expect(answer.truncated).toBe(true);
  });

  it('when exactly the row limit is filled, then the answer is not truncated', async () => {
    const { repository } = fakeRepository([group('2026-03-02T10:00:00Z', {}, { count: 1 })]);
    const answer = await createMetricsService({ repository, rowLimit: 3 }).query(request({ granularity: hour }));
    expect(answer).toMatchObject({ truncated: false });
    expect(answer.points).toHaveLength(3);
  });
});
