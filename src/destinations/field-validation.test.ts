import { describe, expect, it } from 'vitest';
import { checkboxValue, checkDeclaredFields } from './field-validation.js';
import type { DestinationSchemaField } from './types.js';

const field = (overrides: Partial<DestinationSchemaField> & { key: string }): DestinationSchemaField => ({
  type: 'text', label: overrides.key, description: '', required: false, sensitive: false, ...overrides,
});

const fields = [
  field({ key: 'queue_url', required: true, pattern: 'https?://\\S+' }),
  field({ key: 'name', minlength: 2, maxlength: 5 }),
  field({ key: 'storage_class', type: 'select', options: [{ label: 'Standard', value: 'STANDARD' }] }),
  field({ key: 'tls', type: 'checkbox' }),
];

describe('validation derived from declared fields', () => {
  it.each([
    [{ queue_url: 'https://sqs.local/q' }, []],
    [{}, ['config.queue_url is required']],
    [{ queue_url: '' }, ['config.queue_url is required']],
    [{ queue_url: 'ftp://x' }, ['config.queue_url is pattern']],
    [{ queue_url: 'xhttps://x' }, ['config.queue_url is pattern']],
    [{ queue_url: 'http://a', name: 'a' }, ['config.name is minlength']],
    [{ queue_url: 'http://a', name: 'abcdef' }, ['config.name is maxlength']],
    [{ queue_url: 'http://a', storage_class: 'GLACIER' }, ['config.storage_class is invalid']],
    [{ queue_url: 'http://a', tls: 'yes' }, ['config.tls is invalid']],
    [{ queue_url: 'http://a', tls: 'true', storage_class: 'STANDARD', name: 'ab' }, []],
  ])('when config is %j, then the problems are %j', (values, problems) => {
    expect(checkDeclaredFields('config', fields, values)).toEqual(problems);
  });

  it('when a checkbox is unset, then it reads as its fallback; otherwise as written', () => {
    expect(checkboxValue({}, 'tls')).toBe(false);
    expect(checkboxValue({}, 'tls', true)).toBe(true);
    expect(checkboxValue({ tls: 'true' }, 'tls')).toBe(true);
    expect(checkboxValue({ tls: 'false' }, 'tls', true)).toBe(false);
  });
});
