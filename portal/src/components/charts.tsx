/** Charts (Recharts), in a chunk of their own that pages load lazily. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Metrics } from '../api.js';

type Row = Metrics['data'][number];

/** Success/failure bars per day, small enough for a list row; a text summary for screen readers. */
export function MiniChart({ rows, label }: { rows: readonly Row[]; label: string }) {
  const data = rows.map((r) => ({ day: r.time_bucket?.slice(5, 10) ?? '', ok: r.metrics.successful_count ?? 0, failed: r.metrics.failed_count ?? 0 }));
  const ok = data.reduce((n, d) => n + d.ok, 0);
  const failed = data.reduce((n, d) => n + d.failed, 0);
  return (
    <figure className="mini-chart">
      <div aria-hidden="true" style={{ width: 120, height: 32 }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 0, right: 0, bottom: 0, left: 0 }}>
            <Bar dataKey="ok" stackId="a" fill="var(--ok)" isAnimationActive={false} />
            <Bar dataKey="failed" stackId="a" fill="var(--failed)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">{`${label}: ${ok} successful and ${failed} failed attempts in the last 7 days`}</figcaption>
    </figure>
  );
}

/** Attempts per bucket, stacked success over failure. */
export function AttemptsChart({ rows }: { rows: readonly Row[] }) {
  const data = rows.map((r) => ({ time: r.time_bucket?.slice(5, 13).replace('T', ' ') ?? '', Successful: r.metrics.successful_count ?? 0, Failed: r.metrics.failed_count ?? 0 }));
  return (
    <div className="chart" role="img" aria-label="Successful and failed attempts over the last 7 days">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--line)" />
          <XAxis dataKey="time" stroke="var(--muted)" fontSize={11} />
          <YAxis allowDecimals={false} stroke="var(--muted)" fontSize={11} width={32} />
          <Tooltip contentStyle={{ background: 'var(--surface)', border: '1px solid var(--line)', color: 'var(--text)' }} />
          <Legend />
          <Bar dataKey="Successful" stackId="a" fill="var(--ok)" isAnimationActive={false} />
          <Bar dataKey="Failed" stackId="a" fill="var(--failed)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
