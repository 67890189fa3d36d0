import pg from 'pg';
import { loadMetricsData, type MetricsDataSet } from '../metrics-data.js';
import { percentile } from '../stats.js';
import { measured, type ScenarioContext, type ScenarioResult } from './context.js';

/**
 * (m) Metrics: a month of attempts (1 000 000 by default) written straight into Herald's Postgres
 * (`bench/metrics-data.ts`), ANALYZEd, then the metrics API's representative queries timed through
 * HTTP, each run `--metrics-repeats` times after one untimed run. The budget is 500 ms per query;
 * the data set is deleted at the end, so a given database is left as it was.
 */

/** Each query's p95 must stay under this, with at least a million attempts loaded. */
export const METRICS_BUDGET_MS = 500;
export const METRICS_BUDGET_ATTEMPTS = 1_000_000;

export interface MetricsQueryTiming {
  readonly name: string;
  readonly path: string;
  readonly rows: number;
  readonly median_ms: number | null;
  readonly p95_ms: number | null;
  readonly max_ms: number | null;
  /** The API's own `metadata.query_time_ms`, median. */
  readonly server_median_ms: number | null;
}

export interface MetricsDetails {
  readonly attempts: number;
  readonly events: number;
  readonly tenants: number;
  readonly destinations_per_tenant: number;
  readonly days: number;
  readonly load_s: number;
  readonly analyze_s: number;
  readonly repeats: number;
  readonly budget_ms: number;
  readonly queries: readonly MetricsQueryTiming[];
}

function queries(data: MetricsDataSet): { name: string; path: string }[] {
  const range = { 'time[start]': data.start.toISOString(), 'time[end]': data.end.toISOString() };
  const path = (subject: string, params: [string, string][]) =>
    `/metrics/${subject}?${new URLSearchParams([...Object.entries(range), ...params]).toString()}`;
  const tenant = data.tenantIds[0]!;
  return [
    { name: 'tenant daily by status', path: path('attempts', [['granularity', '1d'], ['measures[]', 'count'], ['dimensions[]', 'status'], ['filters[tenant_id][]', tenant]]) },
    {
      name: 'destination hourly by code',
      path: path('attempts', [['granularity', '1h'], ['measures[]', 'count'], ['measures[]', 'error_rate'], ['dimensions[]', 'code'],
        ['filters[tenant_id][]', tenant], ['filters[destination_id][]', data.firstTenantDestinations[1] ?? data.firstTenantDestinations[0]!]]),
    },
    {
      name: 'admin all-tenant totals',
      path: path('attempts', ['count', 'successful_count', 'failed_count', 'error_rate', 'avg_attempt_number', 'rate'].map((m) => ['measures[]', m])),
    },
    { name: 'tenant events daily by topic', path: path('events', [['granularity', '1d'], ['measures[]', 'count'], ['dimensions[]', 'topic'], ['filters[tenant_id][]', tenant]]) },
  ];
}

async function timeQuery(ctx: ScenarioContext, name: string, path: string, repeats: number): Promise<MetricsQueryTiming> {
  const samples: number[] = [];
  const server: number[] = [];
  let rows = 0;
  for (let i = 0; i <= repeats && !ctx.signal.aborted; i++) {
    const began = performance.now();
    const res = await ctx.stack.api.call('GET', path);
    const ms = performance.now() - began;
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    // The first run is untimed: it warms the plan and the pages it reads.
    if (i === 0) continue;
    samples.push(ms);
    server.push(Number(res.body.metadata.query_time_ms));
    rows = Number(res.body.metadata.row_count);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number | null) => (x === null ? null : Number(x.toFixed(1)));
  return {
    name, path, rows,
    median_ms: round(percentile(sorted, 50)), p95_ms: round(percentile(sorted, 95)), max_ms: round(sorted.at(-1) ?? null),
    server_median_ms: round(percentile([...server].sort((a, b) => a - b), 50)),
  };
}

export async function runMetrics(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options, stack } = ctx;
  if (!stack.databaseUrl) throw new Error('scenario m writes into Herald\'s Postgres: give --database-url with --api');
  // Its own pool, without the API's query timeout: loading a million rows takes a while.
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
  const prefix = `bench-${ctx.runId}-metrics`;
  try {
    return await measured(ctx, 'metrics', async () => {
      const dayMs = 86_400_000;
      const end = new Date(Math.ceil(Date.now() / dayMs) * dayMs);
      ctx.progress(`m metrics  loading ${options.metricsAttempts} attempts over 30 days`);
      const data = await loadMetricsData(pool, { attempts: options.metricsAttempts, tenants: 4, destinationsPerTenant: 5, days: 30, end, prefix });
      ctx.progress(`m metrics  loaded in ${data.load_s} s, analyzed in ${data.analyze_s} s`);
      const timings: MetricsQueryTiming[] = [];
      for (const { name, path } of queries(data)) {
        const timing = await timeQuery(ctx, name, path, options.metricsRepeats);
        timings.push(timing);
        ctx.progress(`m metrics  ${name}: median ${timing.median_ms} ms, p95 ${timing.p95_ms} ms, ${timing.rows} rows`);
      }
      const details: MetricsDetails = {
        attempts: data.attempts, events: data.events, tenants: data.tenants,
        destinations_per_tenant: data.destinationsPerTenant, days: data.days, load_s: data.load_s, analyze_s: data.analyze_s,
        repeats: options.metricsRepeats, budget_ms: METRICS_BUDGET_MS, queries: timings,
      };
      return { ledgers: {}, details: { ...details } };
    });
  } finally {
    await pool.query('DELETE FROM attempts WHERE tenant_id LIKE $1', [`${prefix}-%`]).catch(() => undefined);
    await pool.query('DELETE FROM events WHERE tenant_id LIKE $1', [`${prefix}-%`]).catch(() => undefined);
    await pool.end();
  }
}
