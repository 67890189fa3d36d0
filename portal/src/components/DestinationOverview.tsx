import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useNavigate } from 'react-router';
import { destinationPath, type Destination, type DestinationType } from '../api.js';
import { usePortal } from '../portal-context.js';
import { destinationFormSchema, fromFormValues, toFormValues, type FormValues } from '../schema-form.js';
import { ErrorNotice, Section, Topics } from './common.js';
import { TopicPicker } from './TopicPicker.js';

const ConfigForm = lazy(() => import('./ConfigForm.js').then((m) => ({ default: m.ConfigForm })));

function useDestinationChange(destination: Destination) {
  const { api } = usePortal();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: { method: 'PATCH' | 'PUT' | 'DELETE'; rest?: string; body?: unknown }) =>
      api.send<Destination>(change.method, destinationPath(api.tenantId, destination.id, change.rest), change.body),
    onSuccess: async (updated, change) => {
      if (change.method !== 'DELETE') queryClient.setQueryData(['destinations', destination.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['destinations'], exact: true });
    },
  });
}

function StateActions({ destination }: { destination: Destination }) {
  const change = useDestinationChange(destination);
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const remove = useDestinationChange(destination);
  return (
    <Section title="State">
      {change.error ? <ErrorNotice error={change.error} /> : null}
      {remove.error ? <ErrorNotice error={remove.error} /> : null}
      <p>{destination.disabled_at ? `Disabled since ${new Date(destination.disabled_at).toLocaleString()}: no events are delivered.` : 'Enabled: matching events are delivered.'}</p>
      <div className="actions">
        {destination.disabled_at
          ? <button type="button" className="button" disabled={change.isPending} onClick={() => change.mutate({ method: 'PUT', rest: '/enable' })}>Enable</button>
          : <button type="button" className="button" disabled={change.isPending} onClick={() => change.mutate({ method: 'PUT', rest: '/disable' })}>Disable</button>}
        {confirming ? (
          <span role="group" aria-label="Confirm deletion" className="confirm">
            <span>Delete this destination for good?</span>
            <button type="button" className="button danger" autoFocus onClick={() => remove.mutate({ method: 'DELETE' }, { onSuccess: () => void navigate('/') })}>Delete destination</button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>Keep it</button>
          </span>
        ) : <button type="button" className="button danger" onClick={() => setConfirming(true)}>Delete</button>}
      </div>
    </Section>
  );
}

function SigningSecret({ destination }: { destination: Destination }) {
  const change = useDestinationChange(destination);
  const [shown, setShown] = useState<string | null>(null);
  return (
    <Section title="Signing secret">
      <p>Requests are signed with this destination's secret. Rotating it keeps the previous one signing for 24 hours.</p>
      {change.error ? <ErrorNotice error={change.error} /> : null}
      {shown ? (
        <div className="notice" role="status">
          <p>New signing secret (shown once; store it now):</p>
          <code className="secret">{shown}</code>
        </div>
      ) : null}
      <div className="actions">
        <button type="button" className="button" disabled={change.isPending}
          onClick={() => change.mutate({ method: 'PATCH', body: { credentials: { rotate_secret: true } } }, { onSuccess: (d) => setShown(d.credentials.secret ?? null) })}>
          Rotate secret
        </button>
      </div>
    </Section>
  );
}

function FilterEditor({ destination }: { destination: Destination }) {
  const change = useDestinationChange(destination);
  const [text, setText] = useState(JSON.stringify(destination.filter ?? {}, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const save = () => {
    try {
      const filter: unknown = JSON.parse(text || '{}');
      setProblem(null);
      change.mutate({ method: 'PATCH', body: { filter } });
    } catch {
      setProblem('The filter must be valid JSON.');
    }
  };
  return (
    <Section title="Filter">
      <label htmlFor="filter">Deliver only events whose payload matches this JSON filter (empty object: every event)</label>
      <textarea id="filter" rows={6} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      {problem ? <p className="notice error" role="alert">{problem}</p> : null}
      {change.error ? <ErrorNotice error={change.error} /> : null}
      <div className="actions"><button type="button" className="button" onClick={save} disabled={change.isPending}>Save filter</button></div>
    </Section>
  );
}

function Settings({ destination, type }: { destination: Destination; type: DestinationType }) {
  const { config } = usePortal();
  const change = useDestinationChange(destination);
  const [topics, setTopics] = useState<string[]>(destination.topics);
  const [saved, setSaved] = useState(false);
  const flags = { customHeaders: config.enableWebhookCustomHeaders };
  const { schema, uiSchema } = destinationFormSchema(type, flags, true);
  const submit = (values: Partial<FormValues>) => {
    setSaved(false);
    change.mutate({ method: 'PATCH', body: { topics, ...fromFormValues(type, flags, values, destination) } }, { onSuccess: () => setSaved(true) });
  };
  return (
    <Section title="Settings">
      <TopicPicker value={topics} onChange={setTopics} />
      {change.error ? <ErrorNotice error={change.error} /> : null}
      {saved ? <p className="notice" role="status">Saved.</p> : null}
      <Suspense fallback={<p role="status">Loading form…</p>}>
        <ConfigForm key={destination.updated_at} schema={schema} uiSchema={uiSchema} initial={toFormValues(type, flags, destination)}
          idPrefix="edit" submitLabel="Save changes" busy={change.isPending} onSubmit={submit} />
      </Suspense>
    </Section>
  );
}

export function DestinationOverview({ destination, type }: { destination: Destination; type: DestinationType | undefined }) {
  const { config } = usePortal();
  return (
    <div className="overview">
      <Section title="Subscribed">
        <p><Topics topics={destination.topics} /></p>
      </Section>
      <StateActions destination={destination} />
      {destination.type === 'webhook' ? <SigningSecret destination={destination} /> : null}
      {type ? <Settings destination={destination} type={type} /> : null}
      {config.enableDestinationFilter ? <FilterEditor destination={destination} /> : null}
    </div>
  );
}
