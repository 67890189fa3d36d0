/** A destination's attempt metrics of the last week: totals, over time, by code and by topic. */
import type { Metrics } from '../api.js';
import { METRICS_WINDOW_DAYS, useAttemptMetrics } from '../queries.js';
import { AttemptsChart } from './charts.js';
import { ErrorNotice, Section } from './common.js';

function Breakdown({ title, dimension, metrics }: { title: string; dimension: string; metrics: Metrics | undefined }) {
  const rows = [...(metrics?.data ?? [])].sort((a, b) => (b.metrics.count ?? 0) - (a.metrics.count ?? 0));
  return (
    <Section title={title}>
      {rows.length === 0 ? <p className="empty">No attempts.</p> : (
        <table>
          <thead><tr><th scope="col">{dimension}</th><th scope="col">Attempts</th><th scope="col">Failed</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.dimensions[dimension] ?? ''}><td>{r.dimensions[dimension] || '—'}</td><td>{r.metrics.count ?? 0}</td><td>{r.metrics.failed_count ?? 0}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

export default function MetricsPanel({ destinationId }: { destinationId: string }) {
  const totals = useAttemptMetrics({ destinationId });
  const overTime = useAttemptMetrics({ destinationId, granularity: '6h' });
  const byCode = useAttemptMetrics({ destinationId, dimension: 'code' });
  const byTopic = useAttemptMetrics({ destinationId, dimension: 'topic' });
  const t = totals.data?.data[0]?.metrics ?? {};
  const error = totals.error ?? overTime.error ?? byCode.error ?? byTopic.error;
  return (
    <div className="metrics">
      {error ? <ErrorNotice error={error} /> : null}
      <Section title={`Last ${METRICS_WINDOW_DAYS} days`}>
        <dl className="stats">
          <div><dt>Attempts</dt><dd>{t.count ?? 0}</dd></div>
          <div><dt>Successful</dt><dd>{t.successful_count ?? 0}</dd></div>
          <div><dt>Failed</dt><dd>{t.failed_count ?? 0}</dd></div>
          <div><dt>Error rate</dt><dd>{`${((t.error_rate ?? 0) * 100).toFixed(1)} %`}</dd></div>
        </dl>
        <AttemptsChart rows={overTime.data?.data ?? []} />
      </Section>
      <Breakdown title="By response code" dimension="code" metrics={byCode.data} />
      <Breakdown title="By topic" dimension="topic" metrics={byTopic.data} />
    </div>
  );
}
