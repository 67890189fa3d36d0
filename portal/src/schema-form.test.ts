import { describe, expect, it } from 'vitest';
import type { DestinationType } from './api.js';
import { destinationFormSchema, fromFormValues, toFormValues } from './schema-form.js';

const webhook: DestinationType = {
  type: 'webhook', label: 'Webhook', description: '', icon: '', instructions: '',
  config_fields: [
    { key: 'url', type: 'text', label: 'URL', description: 'Where to', required: true, sensitive: false, pattern: '^https?://', placeholder: 'https://x' },
    { key: 'custom_headers', type: 'key_value_map', label: 'Custom headers', description: '', required: false, sensitive: false },
  ],
  credential_fields: [{ key: 'secret', type: 'text', label: 'Secret', description: '', required: false, sensitive: false }],
};
const queue: DestinationType = {
  type: 'aws_sqs', label: 'SQS', description: '', icon: '', instructions: '',
  config_fields: [
    { key: 'queue_url', type: 'text', label: 'Queue URL', description: '', required: true, sensitive: false },
    { key: 'fifo', type: 'checkbox', label: 'FIFO', description: '', required: true, sensitive: false, default: 'false' },
    { key: 'region', type: 'select', label: 'Region', description: '', required: false, sensitive: false, options: [{ label: 'EU', value: 'eu-west-1' }] },
  ],
  credential_fields: [{ key: 'secret', type: 'text', label: 'Secret key', description: '', required: true, sensitive: true }],
};

describe('destination forms from the type schema', () => {
  it('when the type is a webhook, then the form asks for the URL with its pattern, and for no secret', () => {
    const { schema, uiSchema } = destinationFormSchema(webhook, { customHeaders: false });
    expect(schema).toEqual({
      type: 'object', required: ['config'],
      properties: { config: { type: 'object', title: 'Configuration', required: ['url'], properties: { url: { title: 'URL', description: 'Where to', type: 'string', pattern: '^https?://' } } } },
    });
    expect(uiSchema).toEqual({ config: { url: { 'ui:placeholder': 'https://x' } } });
  });

  it('when custom headers are enabled, then they are a list of name/value pairs sent as a JSON object', () => {
    const flags = { customHeaders: true };
    const { schema } = destinationFormSchema(webhook, flags);
    expect((schema.properties?.config as { properties: Record<string, { type: string }> }).properties.custom_headers?.type).toBe('array');
    const stored = { config: { url: 'https://a', custom_headers: '{"x-a":"1"}' }, credentials: {} };
    const values = toFormValues(webhook, flags, stored);
    expect(values.config).toEqual({ url: 'https://a', custom_headers: [{ key: 'x-a', value: '1' }] });
    expect(fromFormValues(webhook, flags, { config: { ...values.config, custom_headers: [{ key: 'x-b', value: '2' }] } }).config)
      .toEqual({ url: 'https://a', custom_headers: '{"x-b":"2"}' });
  });

  it('when a type has checkboxes, selects and a sensitive credential, then they become boolean, enum and password fields', () => {
    const { schema, uiSchema } = destinationFormSchema(queue, { customHeaders: false });
    const config = schema.properties?.config as { properties: Record<string, unknown>; required: string[] };
    expect(config.properties.fifo).toMatchObject({ type: 'boolean', default: false });
    expect(config.properties.region).toMatchObject({ oneOf: [{ const: 'eu-west-1', title: 'EU' }] });
    expect(config.required).toEqual(['queue_url']);
    expect(uiSchema.credentials).toEqual({ secret: { 'ui:widget': 'password' } });
    expect(fromFormValues(queue, { customHeaders: false }, { config: { queue_url: 'q', fifo: true }, credentials: { secret: 's' } }))
      .toEqual({ config: { queue_url: 'q', fifo: 'true' }, credentials: { secret: 's' } });
  });

  it('when editing, then an emptied field is removed and an untouched masked credential is not sent', () => {
    const stored = { config: { queue_url: 'q', region: 'eu-west-1' }, credentials: { secret: 'abcd****' } };
    const values = toFormValues(queue, { customHeaders: false }, stored);
    const patch = fromFormValues(queue, { customHeaders: false }, { ...values, config: { ...values.config, region: '' } }, stored);
    expect(patch).toEqual({ config: { queue_url: 'q', fifo: null, region: null }, credentials: {} });
  });
});
