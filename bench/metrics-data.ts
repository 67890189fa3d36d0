import type pg from 'pg';

/**
 * The metrics scenario's data set, written straight into Postgres with `INSERT … SELECT
 * generate_series`): events spread evenly over `days` before `end`, over a few tenants and
 * destinations. The shape is fixed by the row number, so every run holds the same data: a third
 * of the events have one attempt, a third two, a third three; every attempt but an event's last
 * fails (code 503 or timeout), and the last succeeds (200) for four events in five; one retry in
 * 97 is manual; a fifth of the events are `order.updated`, the rest `order.created`; each
 * tenant's first destination is `aws_sqs`, the others `webhook`.
 */

export interface MetricsDataShape {
  /** Attempts to write (events: about half as many). */
  readonly attempts: number;
  readonly tenants: number;
  readonly destinationsPerTenant: number;
  readonly days: number;
  /** Exclusive end of the span; the data fills the `days` before it. */
  readonly end: Date;
  /** Prefix of tenant, destination, event and attempt ids, so runs in one database do not meet. */
  readonly prefix: string;
}

export interface MetricsDataSet extends MetricsDataShape {
  readonly start: Date;
  readonly events: number;
  readonly tenantIds: readonly string[];
  /** Destination ids of the first tenant. */
  readonly firstTenantDestinations: readonly string[];
  readonly load_s: number;
  readonly analyze_s: number;
}

export const tenantOf = (prefix: string, t: number) => `${prefix}-t${t}`;
export const destinationOf = (prefix: string, t: number, d: number) => `${prefix}-t${t}-d${d}`;

export async function loadMetricsData(pool: pg.Pool, shape: MetricsDataShape): Promise<MetricsDataSet> {
  const start = new Date(shape.end.getTime() - shape.days * 86_400_000);
  // Events average two attempts; one more makes sure the attempts reach the count.
  const events = Math.ceil(shape.attempts / 2) + 1;
  const spanMs = shape.end.getTime() - start.getTime();
  const values = [shape.prefix, events, shape.tenants, shape.destinationsPerTenant, start, spanMs / events, shape.attempts];
  const began = performance.now();
  // Event e: tenant e % T, destination (e / T) % D of that tenant, time start + e × spacing.
  const eventSql = `
    SELECT e, $1 || '-t' || (e % $3) AS tenant_id, $1 || '-t' || (e % $3) || '-d' || ((e / $3) % $4) AS destination_id,
           $5::timestamptz + (e * $6::float8) * interval '1 millisecond' AS time,
           CASE WHEN e % 5 = 0 THEN 'order.updated' ELSE 'order.created' END AS topic
      FROM generate_series(0, $2::int - 1) AS e`;
  await pool.query(
    `INSERT INTO events (tenant_id, id, topic, time, eligible_for_retry, data, matched_destination_ids, dispatched_at)
     SELECT tenant_id, $1 || '-e' || e, topic, time, true, '{}'::json, ARRAY[destination_id], time FROM (${eventSql}) ev`,
    values.slice(0, 6),
  );
  await pool.query(
    `INSERT INTO attempts (id, tenant_id, event_id, destination_id, destination_type, attempt_number, manual, status, code,
                           response_data, time)
     SELECT $1 || '-a' || i, ev.tenant_id, $1 || '-e' || ev.e, ev.destination_id,
            CASE WHEN (ev.e / $3) % $4 = 0 THEN 'aws_sqs' ELSE 'webhook' END, k, k > 1 AND i % 97 = 0,
            CASE WHEN k < last OR ev.e % 5 = 4 THEN 'failed' ELSE 'success' END,
            CASE WHEN k < last OR ev.e % 5 = 4 THEN (CASE WHEN i % 2 = 0 THEN '503' ELSE 'timeout' END) ELSE '200' END,
            '{"status":200,"body":"ok"}'::jsonb, ev.time + (k - 1) * interval '1 minute'
       FROM (${eventSql}) ev
       CROSS JOIN LATERAL (SELECT 1 + ev.e % 3 AS last) l
       CROSS JOIN LATERAL generate_series(1, l.last) AS k
       -- i: the attempt's 1-based position, counting every earlier event's attempts (6 per 3 events).
       CROSS JOIN LATERAL (SELECT 6 * (ev.e / 3) + (ARRAY[0, 1, 3])[ev.e % 3 + 1] + k AS i) n
      WHERE n.i <= $7`,
    values,
  );
  const loaded = performance.now();
  await pool.query('VACUUM (ANALYZE) events');
  await pool.query('VACUUM (ANALYZE) attempts');
  return {
    ...shape, start, events,
    tenantIds: Array.from({ length: shape.tenants }, (_, t) => tenantOf(shape.prefix, t)),
    firstTenantDestinations: Array.from({ length: shape.destinationsPerTenant }, (_, d) => destinationOf(shape.prefix, 0, d)),
    load_s: Number(((loaded - began) / 1000).toFixed(1)),
    analyze_s: Number(((performance.now() - loaded) / 1000).toFixed(1)),
  };
}
