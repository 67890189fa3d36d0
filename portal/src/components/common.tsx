import DOMPurify from 'dompurify';
import type { ReactNode } from 'react';
import { ApiError, type Destination, type DestinationType } from '../api.js';

/** A type's icon: the SVG from /destination-types, sanitised before it is inserted. */
export function TypeIcon({ type }: { type: DestinationType | undefined }) {
  if (!type?.icon) return <span className="type-icon" aria-hidden="true" />;
  const svg = DOMPurify.sanitize(type.icon, { USE_PROFILES: { svg: true, svgFilters: true } });
  return <span className="type-icon" aria-hidden="true" dangerouslySetInnerHTML={{ __html: svg }} />;
}

export function ErrorNotice({ error }: { error: unknown }) {
  const details = error instanceof ApiError ? error.details : [String(error)];
  return (
    <div className="notice error" role="alert">
      {details.map((d) => <p key={d}>{d}</p>)}
    </div>
  );
}

export function NotFound({ what }: { what: string }) {
  return (
    <section className="empty" aria-labelledby="not-found">
      <h1 id="not-found">{what} not found</h1>
      <p>It does not exist, or it is not yours.</p>
    </section>
  );
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 403);
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status}`}>{status}</span>;
}

export function EnabledBadge({ destination }: { destination: Destination }) {
  return destination.disabled_at ? <span className="badge disabled">Disabled</span> : <span className="badge enabled">Enabled</span>;
}

export function Topics({ topics }: { topics: readonly string[] }) {
  return <span className="topics">{topics.includes('*') ? 'All topics' : topics.join(', ')}</span>;
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Pager({ next, prev, onPage }: { next: string | null | undefined; prev: string | null | undefined; onPage: (cursor: { next?: string; prev?: string }) => void }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={!prev} onClick={() => prev && onPage({ prev })}>Previous page</button>
      <button type="button" disabled={!next} onClick={() => next && onPage({ next })}>Next page</button>
    </nav>
  );
}
