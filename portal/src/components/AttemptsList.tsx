import { useState } from 'react';
import { Link } from 'react-router';
import { PAGE_SIZE, useAttempts, useDestinations, useEvents, useTopics, type AttemptFilters } from '../queries.js';
import { ErrorNotice, Pager, StatusBadge, when } from './common.js';

type Cursor = AttemptFilters['cursor'];

function Filters(props: { status: string; topic: string; onStatus?: (s: string) => void; onTopic: (t: string) => void }) {
  const topics = useTopics();
  return (
    <div className="filters">
      {props.onStatus ? (
        <label>Status
          <select value={props.status} onChange={(e) => props.onStatus?.(e.target.value)}>
            <option value="">Any</option>
            <option value="success">Successful</option>
            <option value="failed">Failed</option>
          </select>
        </label>
      ) : null}
      <label>Topic
        <select value={props.topic} onChange={(e) => props.onTopic(e.target.value)}>
          <option value="">Any</option>
          {(topics.data ?? []).map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
    </div>
  );
}

/** Attempts, newest first, filtered by status and topic, a page at a time; of one destination or all. */
export function AttemptsList({ destinationId }: { destinationId?: string }) {
  const [status, setStatus] = useState('');
  const [topic, setTopic] = useState('');
  const [cursor, setCursor] = useState<Cursor>(undefined);
  const attempts = useAttempts({ destinationId, status: status === '' ? undefined : (status as 'success' | 'failed'), topic, cursor });
  const destinations = useDestinations();
  const targetOf = (id: string) => destinations.data?.find((d) => d.id === id)?.target ?? id;
  const models = attempts.data?.models ?? [];
  return (
    <section aria-label="Attempts" className="card">
      <Filters status={status} topic={topic} onStatus={(s) => { setStatus(s); setCursor(undefined); }} onTopic={(t) => { setTopic(t); setCursor(undefined); }} />
      {attempts.error ? <ErrorNotice error={attempts.error} /> : null}
      {attempts.isPending ? <p role="status">Loading attempts…</p> : null}
      {attempts.data && models.length === 0 ? <p className="empty">No attempts match.</p> : null}
      <ul className="rows" aria-label="Attempt list">
        {models.map((a) => (
          <li key={a.id}>
            <Link to={`/destinations/${encodeURIComponent(a.destination_id)}/attempts/${encodeURIComponent(a.id)}`} className="row-link">
              <StatusBadge status={a.status} />
              <span className="code">{a.code}</span>
              <span className="grow">
                <span className="topic">{a.event?.topic ?? a.event_id}</span>
                <span className="meta"> · attempt {a.attempt_number}{a.manual ? ' (manual)' : ''}{destinationId ? '' : ` · ${targetOf(a.destination_id)}`}</span>
              </span>
              <time dateTime={a.time ?? undefined}>{when(a.time)}</time>
            </Link>
          </li>
        ))}
      </ul>
      {models.length >= PAGE_SIZE || cursor ? <Pager next={attempts.data?.pagination.next} prev={attempts.data?.pagination.prev} onPage={setCursor} /> : null}
    </section>
  );
}

/** Events, newest first, by topic, a page at a time. */
export function EventsList() {
  const [topic, setTopic] = useState('');
  const [cursor, setCursor] = useState<Cursor>(undefined);
  const events = useEvents({ topic, cursor });
  const models = events.data?.models ?? [];
  return (
    <section aria-label="Events" className="card">
      <Filters status="" topic={topic} onTopic={(t) => { setTopic(t); setCursor(undefined); }} />
      {events.error ? <ErrorNotice error={events.error} /> : null}
      {events.data && models.length === 0 ? <p className="empty">No events match.</p> : null}
      <ul className="rows" aria-label="Event list">
        {models.map((e) => (
          <li key={e.id} className="row">
            <span className="grow"><span className="topic">{e.topic || '(no topic)'}</span> <code className="meta">{e.id}</code></span>
            <span className="meta">{e.matched_destination_ids.length} destination(s)</span>
            <time dateTime={e.time ?? undefined}>{when(e.time)}</time>
          </li>
        ))}
      </ul>
      {models.length >= PAGE_SIZE || cursor ? <Pager next={events.data?.pagination.next} prev={events.data?.pagination.prev} onPage={setCursor} /> : null}
    </section>
  );
}
