import type pg from 'pg';
import { bucketOrigin, stepSeconds, type Granularity } from '../services/metrics-granularity.js';
import { QueryParams, whereClause } from './query-params.js';

/**
 * Aggregates over the event and attempt logs for the metrics API, computed by Postgres. Only names
 * from the fixed tables below become SQL; every value (times, filters, the granularity) is a
 * parameter.
 */

export interface MetricsSelection {
  /** Inclusive. */
  readonly start: Date;
  /** Exclusive. */
  readonly end: Date;
  /** Null: one group per dimension combination over the whole range. */
  readonly granularity: Granularity | null;
  /** Names from the subject's dimension table; groups are ordered by them, then by bucket. */
  readonly dimensions: readonly string[];
  /** Dimension name → accepted values (any of them); names from the subject's filter table. */
  readonly filters: Readonly<Record<string, readonly string[]>>;
  /** Names from the subject's measure table. */
  readonly measures: readonly string[];
  /** Most groups returned. */
  readonly limit: number;
}

/** One non-empty group: its bucket (null without granularity), dimension values as text, and measures. */
export interface MetricsGroup {
  readonly bucket: Date | null;
  readonly dimensions: Record<string, string>;
  readonly values: Record<string, number>;
}

export interface MetricsRepository {
  events(selection: MetricsSelection): Promise<MetricsGroup[]>;
  attempts(selection: MetricsSelection): Promise<MetricsGroup[]>;
}

/** How a subject's table is read: its time column, dimension and measure expressions, and filters. */
interface Subject {
  readonly time: string;
  readonly from: (selection: MetricsSelection) => string;
  readonly conditions: readonly string[];
  readonly dimensions: Readonly<Record<string, string>>;
  readonly measures: Readonly<Record<string, string>>;
  readonly filter: (name: string, values: readonly string[], selection: MetricsSelection, params: QueryParams) => string;
}

/**
 * A single value as plain equality: the planner carries `a.tenant_id = $1` over the join to
 * `e.tenant_id`, so a tenant's topic query reads only that tenant's events.
 */
const anyOf = (column: string, values: readonly string[], params: QueryParams, type = 'text') =>
  values.length === 1 ? `${column} = ${params.add(values[0])}::${type}` : `${column} = ANY (${params.add(values)}::${type}[])`;

const failed = `count(*) FILTER (WHERE a.status = 'failed')`;

const ATTEMPTS: Subject = {
  time: 'a.time',
  // The topic is the attempted event's: read only when asked for. An attempt whose event was
  // deleted by retention counts under topic ''.
  from: (s) => (s.dimensions.includes('topic') || s.filters.topic
    ? 'attempts a LEFT JOIN events e ON e.tenant_id = a.tenant_id AND e.id = a.event_id'
    : 'attempts a'),
  // A send in flight is not an attempt yet.
  conditions: [`a.status <> 'sending'`],
  dimensions: {
    tenant_id: 'a.tenant_id', destination_id: 'a.destination_id', destination_type: 'a.destination_type',
    topic: `COALESCE(e.topic, '')`, status: 'a.status', code: 'a.code', manual: 'a.manual', attempt_number: 'a.attempt_number',
  },
  measures: {
    count: 'count(*)',
    successful_count: `count(*) FILTER (WHERE a.status = 'success')`,
    failed_count: failed,
    error_rate: `${failed}::float8 / NULLIF(count(*), 0)`,
    first_attempt_count: 'count(*) FILTER (WHERE a.attempt_number = 1)',
    retry_count: 'count(*) FILTER (WHERE a.attempt_number > 1)',
    manual_retry_count: 'count(*) FILTER (WHERE a.manual)',
    avg_attempt_number: 'avg(a.attempt_number)::float8',
  },
  filter(name, values, _selection, params) {
    if (name === 'manual') return anyOf('a.manual', values, params, 'boolean');
    if (name === 'attempt_number') return anyOf('a.attempt_number', values, params, 'integer');
    if (name === 'topic') return anyOf('e.topic', values, params);
    return anyOf(ATTEMPTS.dimensions[name]!, values, params);
  },
};

/**
 * With destination_id as a dimension an event counts once per destination it was matched to, and
 * an event that matched none counts under destination_id ''.
 */
const EVENTS: Subject = {
  time: 'e.time',
  from: (s) => (s.dimensions.includes('destination_id')
    ? `events e CROSS JOIN LATERAL unnest(CASE WHEN cardinality(e.matched_destination_ids) = 0 THEN ARRAY[''] ELSE e.matched_destination_ids END) AS d(destination_id)`
    : 'events e'),
  conditions: [],
  dimensions: { tenant_id: 'e.tenant_id', topic: 'e.topic', destination_id: 'd.destination_id' },
  measures: { count: 'count(*)' },
  filter(name, values, selection, params) {
    if (name !== 'destination_id') return anyOf(EVENTS.dimensions[name]!, values, params);
    return selection.dimensions.includes('destination_id')
      ? anyOf('d.destination_id', values, params)
      : `e.matched_destination_ids && ${params.add(values)}::text[]`;
  },
};

/** The bucket a row's time falls in, as `metrics-granularity` defines it (UTC, fixed origins). */
function bucketSql(column: string, g: Granularity, params: QueryParams): string {
  const step = stepSeconds(g);
  if (step !== null) {
    return `date_bin(${params.add(`${step} seconds`)}::interval, ${column}, ${params.add(bucketOrigin(g).toISOString())}::timestamptz)`;
  }
  const n = `${params.add(g.value)}::int`;
  const utc = `(${column} AT TIME ZONE 'UTC')`;
  const months = `((extract(year FROM ${utc}) - 1970) * 12 + extract(month FROM ${utc}) - 1)`;
  return `((timestamp '1970-01-01' + make_interval(months => (floor(${months} / ${n}) * ${n})::int)) AT TIME ZONE 'UTC')`;
}

type Row = Record<string, unknown>;

/** Names outside the subject's tables are a caller's bug (the API validates them first), never SQL. */
function assertKnown(subject: Subject, selection: MetricsSelection): void {
  const unknown = [
    ...[...selection.dimensions, ...Object.keys(selection.filters)].filter((name) => !(name in subject.dimensions)),
    ...selection.measures.filter((name) => !(name in subject.measures)),
  ];
  if (unknown.length > 0) throw new RangeError(`unknown metrics names: ${unknown.join(', ')}`);
}

async function aggregate(pool: pg.Pool, subject: Subject, selection: MetricsSelection): Promise<MetricsGroup[]> {
  assertKnown(subject, selection);
  const params = new QueryParams();
  const keys: string[] = [];
  const columns: string[] = [];
  if (selection.granularity) columns.push(`${bucketSql(subject.time, selection.granularity, params)} AS bucket`);
  selection.dimensions.forEach((name, i) => {
    keys.push(`d${i}`);
    columns.push(`${subject.dimensions[name]} AS d${i}`);
  });
  const grouped = columns.length;
  selection.measures.forEach((name, i) => columns.push(`${subject.measures[name]} AS m${i}`));
  const conditions = [
    ...subject.conditions,
    `${subject.time} >= ${params.add(selection.start)}`,
    `${subject.time} < ${params.add(selection.end)}`,
    ...Object.entries(selection.filters).map(([name, values]) => subject.filter(name, values, selection, params)),
  ];
  const positions = Array.from({ length: grouped }, (_, i) => String(i + 1));
  // HAVING: without GROUP BY an aggregate over no rows is still one row, and an empty range has no group.
  // Dimensions first, then the bucket: each combination's buckets come together, in time order.
  const order = selection.granularity ? [...positions.slice(1), '1'] : positions;
  const { rows } = await pool.query<Row>(
    `SELECT ${columns.join(', ')} FROM ${subject.from(selection)} ${whereClause(conditions)}
      ${grouped > 0 ? `GROUP BY ${positions.join(', ')}` : ''} HAVING count(*) > 0
      ${grouped > 0 ? `ORDER BY ${order.join(', ')}` : ''} LIMIT ${params.add(selection.limit)}`,
    params.values,
  );
  return rows.map((row) => ({
    bucket: selection.granularity ? (row.bucket as Date) : null,
    dimensions: Object.fromEntries(selection.dimensions.map((name, i) => [name, String(row[keys[i]!])])),
    values: Object.fromEntries(selection.measures.map((name, i) => [name, Number(row[`m${i}`] ?? 0)])),
  }));
}

export function createMetricsRepository(pool: pg.Pool): MetricsRepository {
  return {
    events: (selection) => aggregate(pool, EVENTS, selection),
    attempts: (selection) => aggregate(pool, ATTEMPTS, selection),
  };
}
