import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../message-provider.js';
import { makeDestination, makeEvent, makeProvider } from '../testing/fixtures.js';
import { problemsOf } from '../testing/prepare.js';
import { createKinesisProvider, kinesisPartitionKey, kinesisRecordData } from './kinesis-provider.js';

const provider = makeProvider(createKinesisProvider);
const credentials = { key: 'AKIAEXAMPLE', secret: 'secret' };
const valid = { stream_name: 'orders', region: 'us-east-1' };

function messageOf(data: Record<string, unknown>, metadata: Record<string, string> = {}): OutgoingMessage {
  const event = makeEvent({ id: 'evt_1', data });
  return { event, body: Buffer.from(JSON.stringify(data)), metadata: { 'event-id': 'evt_1', topic: 'order.created', ...metadata } };
}

describe('aws_kinesis validation', () => {
  it.each([
    [valid, []],
    [{ ...valid, endpoint: 'http://127.0.0.1:4566', partition_key_template: 'data.id' }, []],
    [{}, ['config.stream_name is required', 'config.region is required']],
    [{ ...valid, stream_name: 'bad name!' }, ['config.stream_name is pattern']],
    [{ ...valid, region: 'US-EAST-1' }, ['config.region is pattern']],
    [{ ...valid, endpoint: 'ftp://example.com' }, ['config.endpoint is pattern']],
  ])('when config is %j, then the problems are %j', (config, expected) => {
    expect(problemsOf(provider, config, credentials)).toEqual(expected);
  });

  it('when a credential is missing, then it is named', () => {
    expect(problemsOf(provider, valid, { key: 'k' })).toEqual(['credentials.secret is required']);
  });
});

describe('aws_kinesis partition key', () => {
  it.each([
    ['no template', undefined, { customer: 'c1' }, true, 'evt_1'],
    ['a data path', 'data.customer', { customer: 'c1' }, true, 'c1'],
    ['a metadata key with a dash', 'metadata."event-id"', {}, true, 'evt_1'],
    ['a number', 'data.n', { n: 42 }, true, '42'],
    ['a boolean', 'data.b', { b: false }, true, 'false'],
    ['a missing path', 'data.missing', {}, true, 'evt_1'],
    ['an empty string', 'data.s', { s: '' }, true, 'evt_1'],
    ['a join', "join('-', [metadata.topic, data.customer])", { customer: 'c1' }, true, 'order.created-c1'],
    ['a function given the wrong type', "join('-', data.customer)", { customer: 'c1' }, true, 'evt_1'],
    ['an unparsable template', 'data.[', {}, true, 'evt_1'],
    ['data alone (no metadata in payload)', 'customer', { customer: 'c1' }, false, 'c1'],
  ])('when the template is %s, then the key is the expected one', (_case, template, data, metadataInPayload, expected) => {
    expect(kinesisPartitionKey(template, messageOf(data), metadataInPayload)).toBe(expected);
  });
});

describe('aws_kinesis record', () => {
  it('when metadata is in the payload, then the record is {metadata, data} with the data bytes as sent', () => {
    const message = messageOf({ b: 1, a: 2 }, { 'trace-id': 't' });
    const text = kinesisRecordData(message, true).toString('utf8');
    expect(JSON.parse(text)).toEqual({ metadata: message.metadata, data: { b: 1, a: 2 } });
    expect(text).toContain('"data":{"b":1,"a":2}');
    expect(kinesisRecordData(message, false).toString('utf8')).toBe('{"b":1,"a":2}');
  });

  it('when shown, then the target is the stream and region and the credentials are masked', () => {
    const shown = provider.present(makeDestination({ type: 'aws_kinesis', config: valid, credentials: { key: 'AKIAEXAMPLEKEY', secret: 'wJalrXUtnFEMI', session: 'FwoGZXIvYXdzEPT' } }), new Date());
    expect(shown.target).toBe('orders in us-east-1');
    expect(Object.values(shown.credentials).join()).not.toMatch(/EXAMPLEKEY|XUtnFEMI|ZXIvYXdzEPT/);
  });
});
