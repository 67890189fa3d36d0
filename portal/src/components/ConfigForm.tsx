/** The config form generated from a destination type's schema (rjsf + Ajv); loaded lazily. */
import Form from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo, useState } from 'react';
import type { FormValues } from '../schema-form.js';

export interface ConfigFormProps {
  readonly schema: RJSFSchema;
  readonly uiSchema: UiSchema;
  readonly initial: Partial<FormValues>;
  readonly submitLabel: string;
  readonly busy: boolean;
  readonly idPrefix: string;
  readonly onSubmit: (values: Partial<FormValues>) => void;
}

export function ConfigForm(props: ConfigFormProps) {
  const [values, setValues] = useState<Partial<FormValues>>(props.initial);
  return (
    <Form
      schema={props.schema}
      uiSchema={{ ...props.uiSchema, 'ui:submitButtonOptions': { submitText: props.submitLabel, props: { disabled: props.busy, className: 'button primary' } } }}
      formData={values}
      validator={validator}
      idPrefix={props.idPrefix}
      showErrorList="top"
      noHtml5Validate
      onChange={(e) => setValues(e.formData as Partial<FormValues>)}
      onSubmit={(e) => props.onSubmit(e.formData as Partial<FormValues>)}
    />
  );
}

/** A type's instructions: markdown from /destination-types, sanitised after rendering. */
export function Instructions({ markdown }: { markdown: string }) {
  const html = useMemo(() => DOMPurify.sanitize(marked.parse(markdown, { async: false })), [markdown]);
  return <div className="instructions" dangerouslySetInnerHTML={{ __html: html }} />;
}
