import { lazy, Suspense } from 'react';
import { NavLink, useParams } from 'react-router';
import { EnabledBadge, ErrorNotice, NotFound, TypeIcon, isNotFound } from '../components/common.js';
import { AttemptsList } from '../components/AttemptsList.js';
import { DestinationOverview } from '../components/DestinationOverview.js';
import { useDestination, useDestinationTypes } from '../queries.js';

const MetricsPanel = lazy(() => import('../components/MetricsPanel.js'));

export function DestinationPage() {
  const { destinationId = '', tab = 'overview' } = useParams();
  const destination = useDestination(destinationId);
  const types = useDestinationTypes();
  if (destination.error) return isNotFound(destination.error) ? <NotFound what="Destination" /> : <ErrorNotice error={destination.error} />;
  if (!destination.data) return <p role="status">Loading destination…</p>;
  const d = destination.data;
  const type = types.data?.find((t) => t.type === d.type);
  const base = `/destinations/${encodeURIComponent(d.id)}`;
  return (
    <>
      <div className="page-head">
        <h1 className="with-icon"><TypeIcon type={type} /> {d.target || d.id}</h1>
        <EnabledBadge destination={d} />
      </div>
      <p className="meta">{type?.label ?? d.type} · <code>{d.id}</code></p>
      <nav className="tabs" aria-label="Destination">
        <NavLink to={base} end>Overview</NavLink>
        <NavLink to={`${base}/activity`}>Activity</NavLink>
        <NavLink to={`${base}/metrics`}>Metrics</NavLink>
      </nav>
      {tab === 'activity' ? <AttemptsList destinationId={d.id} /> : null}
      {tab === 'metrics' ? <Suspense fallback={<p role="status">Loading metrics…</p>}><MetricsPanel destinationId={d.id} /></Suspense> : null}
      {tab === 'overview' ? <DestinationOverview destination={d} type={type} /> : null}
    </>
  );
}
