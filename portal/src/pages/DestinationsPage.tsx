import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { ErrorNotice, EnabledBadge, Topics, TypeIcon } from '../components/common.js';
import { useAttemptMetrics, useDestinations, useDestinationTypes } from '../queries.js';

const MiniChart = lazy(() => import('../components/charts.js').then((m) => ({ default: m.MiniChart })));

export function DestinationsPage() {
  const destinations = useDestinations();
  const types = useDestinationTypes();
  const metrics = useAttemptMetrics({ dimension: 'destination_id', granularity: '1d' });
  const typeOf = (name: string) => types.data?.find((t) => t.type === name);
  return (
    <>
      <div className="page-head">
        <h1>Destinations</h1>
        <Link to="/new" className="button primary">Add destination</Link>
      </div>
      {destinations.error ? <ErrorNotice error={destinations.error} /> : null}
      {destinations.isPending ? <p role="status">Loading destinations…</p> : null}
      {destinations.data?.length === 0 ? (
        <div className="empty"><p>No destinations yet. Add one to start receiving events.</p></div>
      ) : null}
      <ul className="destination-list" aria-label="Destinations">
        {destinations.data?.map((d) => (
          <li key={d.id} className="destination-row">
            <TypeIcon type={typeOf(d.type)} />
            <div className="grow">
              <Link to={`/destinations/${encodeURIComponent(d.id)}`} className="target">{d.target || d.id}</Link>
              <div className="meta">
                <span>{typeOf(d.type)?.label ?? d.type}</span> · <Topics topics={d.topics} />
              </div>
            </div>
            <Suspense fallback={<span className="mini-chart" />}>
              <MiniChart rows={metrics.data?.data.filter((r) => r.dimensions.destination_id === d.id) ?? []} label={d.target || d.id} />
            </Suspense>
            <EnabledBadge destination={d} />
          </li>
        ))}
      </ul>
    </>
  );
}
