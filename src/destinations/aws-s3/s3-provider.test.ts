import { describe, expect, it } from 'vitest';
import { makeDestination, makeEvent, makeProvider } from '../testing/fixtures.js';
import { problemsOf } from '../testing/prepare.js';
import { DEFAULT_KEY_TEMPLATE } from './s3-metadata.js';
import { formatRfc3339Nano, objectKey, ObjectKeyError, templateTime } from './s3-object-key.js';
import { createS3Provider } from './s3-provider.js';

const provider = makeProvider(createS3Provider);
const credentials = { key: 'AKIAEXAMPLE', secret: 'secret' };
const valid = { bucket: 'herald-events', region: 'eu-central-1' };

describe('aws_s3 validation', () => {
  it.each([
    [valid, []],
    [{ ...valid, storage_class: 'GLACIER_IR', key_template: "join('/', [time.date, metadata.\"event-id\"])" }, []],
    [{}, ['config.bucket is required', 'config.region is required']],
    [{ ...valid, region: 'moon-1' }, ['config.region is pattern']],
    [{ ...valid, bucket: 'ab' }, ['config.bucket is minlength']],
    [{ ...valid, storage_class: 'COLD' }, ['config.storage_class is invalid']],
    [{ ...valid, key_template: 'data.[' }, ['config.key_template is pattern']],
    [{ ...valid, endpoint: 'not a url' }, ['config.endpoint is pattern']],
  ])('when config is %j, then the problems are %j', (config, expected) => {
    expect(problemsOf(provider, config, credentials)).toEqual(expected);
  });
});

describe('aws_s3 object key', () => {
  const event = makeEvent({ id: 'evt_1', time: new Date('2024-05-01T09:08:07.250Z'), data: { customer: 'c1', n: 7 } });
  const metadata = { 'event-id': 'evt_1', topic: 'order.created' };

  it('when the event time is formatted, then each part is UTC and zero-padded', () => {
    expect(templateTime(event.time)).toEqual({
      year: '2024', month: '05', day: '01', hour: '09', minute: '08', second: '07', date: '2024-05-01',
      datetime: '2024-05-01T09:08:07', unix: '1714554487', rfc3339: '2024-05-01T09:08:07Z', rfc3339_nano: '2024-05-01T09:08:07.25Z',
    });
    expect(formatRfc3339Nano(new Date('2024-05-01T09:08:07.000Z'))).toBe('2024-05-01T09:08:07Z');
  });

  it.each([
    ['the default', DEFAULT_KEY_TEMPLATE, '2024-05-01T09:08:07.25Z_evt_1.json'],
    ['a dated path', "join('/', [time.year, time.month, time.day, join('', [metadata.\"event-id\", '.json'])])", '2024/05/01/evt_1.json'],
    ['a data field', "join('/', [data.customer, metadata.topic])", 'c1/order.created'],
    ['a number', 'data.n', '7'],
  ])('when the template is %s, then the key is %s', (_case, template, expected) => {
    expect(objectKey(template, event, metadata)).toBe(expected);
  });

  it.each([
    ['a missing field', 'data.missing'],
    ['a function given the wrong type', "join('/', data.customer)"],
  ])('when the template yields no key (%s), then it fails', (_case, template) => {
    expect(() => objectKey(template, event, metadata)).toThrow(ObjectKeyError);
  });

  it('when the key template yields nothing, then the attempt fails as a format error without sending', async () => {
    const destination = makeDestination({
      type: 'aws_s3', config: { ...valid, key_template: 'data.missing', endpoint: 'http://127.0.0.1:9' }, credentials,
    });
    const result = await provider.publish({ event, destination, signal: AbortSignal.timeout(5_000) });
    expect(result).toMatchObject({ ok: false, code: 'ERR', responseData: { error: expect.stringMatching(/^could not format event for delivery/) } });
  });

  it('when shown, then the target is the bucket and region, with its console page', () => {
    const shown = provider.present(makeDestination({ type: 'aws_s3', config: valid, credentials }), new Date());
    expect(shown).toMatchObject({ target: 'herald-events in eu-central-1', targetUrl: 'https://s3.console.aws.amazon.com/s3/buckets/herald-events?region=eu-central-1' });
  });
});
