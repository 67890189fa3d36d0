import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { destinationPath, type Destination, type DestinationType } from '../api.js';
import { ErrorNotice, TypeIcon } from '../components/common.js';
import { ConfigForm, Instructions } from '../components/ConfigForm.js';
import { usePortal } from '../portal-context.js';
import { useDestinationTypes } from '../queries.js';
import { destinationFormSchema, fromFormValues, type FormValues } from '../schema-form.js';
import { TopicPicker } from '../components/TopicPicker.js';

type Step = 'type' | 'topics' | 'config';
const STEPS: { step: Step; label: string }[] = [{ step: 'type', label: 'Type' }, { step: 'topics', label: 'Topics' }, { step: 'config', label: 'Configuration' }];

export default function CreateDestinationPage() {
  const { api, config } = usePortal();
  const types = useDestinationTypes();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>('type');
  const [typeName, setTypeName] = useState<string>('');
  const [topics, setTopics] = useState<string[]>(['*']);
  const type: DestinationType | undefined = types.data?.find((t) => t.type === typeName);
  const flags = { customHeaders: config.enableWebhookCustomHeaders };
  const create = useMutation({
    mutationFn: (values: Partial<FormValues>) => {
      const maps = fromFormValues(type!, flags, values);
      return api.send<Destination>('POST', destinationPath(api.tenantId), { type: typeName, topics, ...maps });
    },
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['destinations'] });
      void navigate(`/destinations/${encodeURIComponent(created.id)}`);
    },
  });

  return (
    <>
      <div className="page-head">
        <h1>Add a destination</h1>
        <Link to="/" className="button">Cancel</Link>
      </div>
      <ol className="steps" aria-label="Steps">
        {STEPS.map((s, i) => <li key={s.step} aria-current={s.step === step ? 'step' : undefined}>{i + 1}. {s.label}</li>)}
      </ol>
      {types.error ? <ErrorNotice error={types.error} /> : null}
      {step === 'type' ? (
        <form className="card" onSubmit={(e) => { e.preventDefault(); if (typeName) setStep('topics'); }}>
          <fieldset>
            <legend>Destination type</legend>
            <div className="type-grid">
              {types.data?.map((t) => (
                <label key={t.type} className="type-option">
                  <input type="radio" name="type" value={t.type} checked={typeName === t.type} onChange={() => setTypeName(t.type)} />
                  <TypeIcon type={t} />
                  <span><strong>{t.label}</strong><br /><small>{t.description}</small></span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="actions"><button type="submit" className="button primary" disabled={!typeName}>Next</button></div>
        </form>
      ) : null}
      {step === 'topics' ? (
        <form className="card" onSubmit={(e) => { e.preventDefault(); if (topics.length > 0) setStep('config'); }}>
          <TopicPicker value={topics} onChange={setTopics} />
          <div className="actions">
            <button type="button" className="button" onClick={() => setStep('type')}>Back</button>
            <button type="submit" className="button primary" disabled={topics.length === 0}>Next</button>
          </div>
        </form>
      ) : null}
      {step === 'config' && type ? (
        <div className="wizard-config">
          <section className="card" aria-label={`${type.label} configuration`}>
            {create.error ? <ErrorNotice error={create.error} /> : null}
            {(() => {
              const { schema, uiSchema } = destinationFormSchema(type, flags);
              return <ConfigForm schema={schema} uiSchema={uiSchema} initial={{}} idPrefix="new" submitLabel="Create destination" busy={create.isPending} onSubmit={(v) => create.mutate(v)} />;
            })()}
            <div className="actions"><button type="button" className="button" onClick={() => setStep('topics')}>Back</button></div>
          </section>
          {type.setup_link ? <p><a href={type.setup_link.href} target="_blank" rel="noreferrer">{type.setup_link.cta}</a></p> : null}
          {type.instructions ? <aside className="card" aria-label="Instructions"><Instructions markdown={type.instructions} /></aside> : null}
        </div>
      ) : null}
    </>
  );
}
