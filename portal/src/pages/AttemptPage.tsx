import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Timeline } from '../api.js';
import { ErrorNotice, NotFound, Section, StatusBadge, isNotFound, when } from '../components/common.js';
import { usePortal } from '../portal-context.js';
import { useAttempt, useTimeline } from '../queries.js';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** Every attempt of this event to this destination, and the retry the workflow has scheduled. */
function DeliveryTimeline({ timeline, current }: { timeline: Timeline; current: string }) {
  return (
    <Section title="Delivery timeline">
      <p>Delivery status: <StatusBadge status={timeline.status} /></p>
      <ol className="timeline">
        {timeline.attempts.map((a) => (
          <li key={`${a.attempt_number}-${a.attempt_id ?? a.time}`} aria-current={a.attempt_id === current ? 'true' : undefined}>
            <StatusBadge status={a.status} /> Attempt {a.attempt_number}{a.manual ? ' (manual)' : ''} · {a.code} · <time dateTime={a.time}>{when(a.time)}</time>
          </li>
        ))}
        {timeline.next_attempt_at ? (
          <li className="scheduled">Next retry scheduled for <time dateTime={timeline.next_attempt_at}>{when(timeline.next_attempt_at)}</time></li>
        ) : null}
      </ol>
      {timeline.source === 'attempt_log' ? <p className="hint">From the attempt log: the delivery's workflow is no longer kept, so no retry is scheduled.</p> : null}
    </Section>
  );
}

function RetryResult({ timeline, after }: { timeline: Timeline | undefined; after: number }) {
  const landed = timeline?.attempts.find((a) => a.attempt_number > after && a.manual);
  if (!landed) return <p className="notice" role="status">Retry requested; waiting for the attempt…</p>;
  return (
    <p className={`notice ${landed.status === 'success' ? '' : 'error'}`} role="status">
      Retry {landed.status === 'success' ? 'succeeded' : 'failed'}: attempt {landed.attempt_number}, {landed.code}.
    </p>
  );
}

export function AttemptPage() {
  const { destinationId = '', attemptId = '' } = useParams();
  const { api } = usePortal();
  const attempt = useAttempt(destinationId, attemptId);
  const [retriedAfter, setRetriedAfter] = useState<number | null>(null);
  const timeline = useTimeline(destinationId, attempt.data?.event_id, retriedAfter !== null);
  const awaiting = retriedAfter !== null && !timeline.data?.attempts.some((a) => a.attempt_number > retriedAfter && a.manual);
  const retry = useMutation({
    mutationFn: () => api.send('POST', '/retry', { event_id: attempt.data?.event_id, destination_id: destinationId }),
    onMutate: () => setRetriedAfter(Math.max(0, ...(timeline.data?.attempts.map((a) => a.attempt_number) ?? [attempt.data?.attempt_number ?? 0]))),
    onError: () => setRetriedAfter(null),
  });
  if (attempt.error) return isNotFound(attempt.error) ? <NotFound what="Attempt" /> : <ErrorNotice error={attempt.error} />;
  if (!attempt.data) return <p role="status">Loading attempt…</p>;
  const a = attempt.data;
  const response = a.response_data as { status?: number; body?: unknown } | null | undefined;
  return (
    <>
      <p><Link to={`/destinations/${encodeURIComponent(destinationId)}/activity`}>← Destination activity</Link></p>
      <div className="page-head">
        <h1>Attempt {a.attempt_number}</h1>
        <StatusBadge status={a.status} />
      </div>
      <dl className="facts">
        <dt>Topic</dt><dd>{a.event?.topic ?? '—'}</dd>
        <dt>Code</dt><dd>{a.code}</dd>
        <dt>Attempt number</dt><dd>{a.attempt_number}</dd>
        <dt>Manual</dt><dd>{a.manual ? 'Yes' : 'No'}</dd>
        <dt>Time</dt><dd>{when(a.time)}</dd>
        <dt>Event</dt><dd><code>{a.event_id}</code></dd>
      </dl>
      <div className="actions">
        <button type="button" className="button primary" disabled={retry.isPending || awaiting} onClick={() => retry.mutate()}>Retry</button>
      </div>
      {retry.error ? <ErrorNotice error={retry.error} /> : null}
      {retriedAfter !== null && !retry.error ? <RetryResult timeline={timeline.data} after={retriedAfter} /> : null}
      {timeline.data ? <DeliveryTimeline timeline={timeline.data} current={a.id} /> : null}
      {timeline.error ? <ErrorNotice error={timeline.error} /> : null}
      <Section title="Response">
        <p>Status: {response?.status ?? '—'}</p>
        <pre className="code-block" tabIndex={0} aria-label="Response body">{typeof response?.body === 'string' ? response.body : pretty(response?.body ?? response ?? null)}</pre>
      </Section>
      <Section title="Event payload">
        <pre className="code-block" tabIndex={0} aria-label="Event payload">{pretty(a.event?.data ?? null)}</pre>
      </Section>
    </>
  );
}
