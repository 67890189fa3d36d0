import type { MetricsGroup, MetricsRepository } from '../db/metrics-repository.js';
import { bucketSeconds, bucketsCovering, type Granularity } from './metrics-granularity.js';

/**
 * The metrics API's use case: which measures and dimensions each subject has, the groups Postgres
 * aggregates, the rates derived from their counts, and the empty buckets filled in.
 */

export type MetricsSubject = 'events' | 'attempts';

/** Measures computed from a count: per second over the bucket (or, without granularity, the range). */
const RATE_OF: Readonly<Record<string, string>> = { rate: 'count', successful_rate: 'successful_count', failed_rate: 'failed_count' };

export const METRICS_VOCABULARY = {
  events: {
    measures: ['count', 'rate'],
    dimensions: ['tenant_id', 'topic', 'destination_id'],
  },
  attempts: {
    measures: [
      'count', 'successful_count', 'failed_count', 'error_rate', 'first_attempt_count', 'retry_count', 'manual_retry_count',
      'avg_attempt_number', 'rate', 'successful_rate', 'failed_rate',
    ],
    dimensions: ['tenant_id', 'destination_id', 'destination_type', 'topic', 'status', 'code', 'manual', 'attempt_number'],
  },
} as const satisfies Record<MetricsSubject, { measures: readonly string[]; dimensions: readonly string[] }>;

/** The contract's row limit: at most this many data points per answer. */
export const METRICS_ROW_LIMIT = 100_000;

export interface MetricsRequest {
  readonly subject: MetricsSubject;
  readonly start: Date;
  readonly end: Date;
  readonly granularity: Granularity | null;
  readonly measures: readonly string[];
  readonly dimensions: readonly string[];
  /** Dimension → accepted values; a tenant caller's own tenant is in `tenant_id`. */
  readonly filters: Readonly<Record<string, readonly string[]>>;
}

export interface MetricsPoint {
  /** Null without granularity. */
  readonly bucket: Date | null;
  readonly dimensions: Readonly<Record<string, string>>;
  /** The requested measures, in the order asked for. */
  readonly metrics: Readonly<Record<string, number>>;
}

export interface MetricsAnswer {
  readonly points: readonly MetricsPoint[];
  readonly queryTimeMs: number;
  readonly rowLimit: number;
  readonly truncated: boolean;
}

export interface MetricsService {
  query(request: MetricsRequest): Promise<MetricsAnswer>;
}

/** The measures Postgres must compute for `measures`: each rate needs its count. */
export function storedMeasures(measures: readonly string[]): string[] {
  return [...new Set(measures.map((m) => RATE_OF[m] ?? m))];
}

/**
 * Every bucket of [start, end) for each dimension combination that has a group, zeros where it has
 * none; without dimensions, every bucket. Groups come ordered by dimensions then bucket, and
 * combinations keep that order. At most `limit` points.
 */
export function fillBuckets(groups: readonly MetricsGroup[], buckets: readonly Date[], request: Pick<MetricsRequest, 'dimensions'>, measures: readonly string[], limit: number): MetricsGroup[] {
  const combinations = new Map<string, { dimensions: Record<string, string>; byBucket: Map<number, MetricsGroup> }>();
  const keyOf = (dimensions: Record<string, string>) => JSON.stringify(request.dimensions.map((d) => dimensions[d]));
  if (request.dimensions.length === 0) combinations.set(keyOf({}), { dimensions: {}, byBucket: new Map() });
  for (const group of groups) {
    const key = keyOf(group.dimensions);
    const combination = combinations.get(key) ?? { dimensions: group.dimensions, byBucket: new Map<number, MetricsGroup>() };
    combinations.set(key, combination);
    combination.byBucket.set(group.bucket!.getTime(), group);
  }
  const zero = Object.fromEntries(measures.map((m) => [m, 0]));
  const out: MetricsGroup[] = [];
  for (const { dimensions, byBucket } of combinations.values()) {
    for (const bucket of buckets) {
      if (out.length === limit) return out;
      out.push(byBucket.get(bucket.getTime()) ?? { bucket, dimensions, values: zero });
    }
  }
  return out;
}

/** The requested measures of a group, rates derived from their counts over the group's span. */
export function pointOf(group: MetricsGroup, request: MetricsRequest): MetricsPoint {
  const seconds = request.granularity && group.bucket
    ? bucketSeconds(group.bucket, request.granularity)
    : (request.end.getTime() - request.start.getTime()) / 1000;
  const metrics = Object.fromEntries(request.measures.map((m) => {
    const countOf = RATE_OF[m];
    return [m, countOf ? (group.values[countOf] ?? 0) / seconds : (group.values[m] ?? 0)];
  }));
  return { bucket: group.bucket, dimensions: group.dimensions, metrics };
}

export function createMetricsService(deps: { readonly repository: MetricsRepository; readonly rowLimit?: number }): MetricsService {
  const rowLimit = deps.rowLimit ?? METRICS_ROW_LIMIT;
  return {
    async query(request) {
      const began = performance.now();
      const measures = storedMeasures(request.measures);
      const selection = { ...request, measures, limit: rowLimit + 1 };
      const groups = await deps.repository[request.subject](selection);
      let truncated = groups.length > rowLimit;
      let kept = groups.slice(0, rowLimit);
      if (request.granularity) {
        // The route refuses a range with more buckets than the row limit, so this is never null.
        const buckets = bucketsCovering(request.start, request.end, request.granularity, rowLimit) ?? [];
        const filled = fillBuckets(kept, buckets, request, measures, rowLimit + 1);
        truncated ||= filled.length > rowLimit;
        kept = filled.slice(0, rowLimit);
      }
      return {
        points: kept.map((group) => pointOf(group, request)),
        queryTimeMs: Math.round(performance.now() - began),
        rowLimit,
        truncated,
      };
    },
  };
}
