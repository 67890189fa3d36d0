import { describe, expect, it } from 'vitest';
import { buildDeliveryMetadata } from '../metadata.js';
import { makeEvent } from '../testing/fixtures.js';
import type { WebhookRequestInput } from './webhook-request.js';
import { WebhookFormatError, buildWebhookRequest } from './webhook-request.js';

const attemptTime = new Date('2024-05-01T10:00:05.250Z');
const event = makeEvent({ id: 'evt_1', topic: 'order.created', metadata: { region: 'eu' }, data: { b: 1, a: 'x' } });

function build(overrides: Partial<WebhookRequestInput> = {}) {
  const input = { event, deliveryMetadata: {}, ...overrides };
  return buildWebhookRequest({
    mode: 'default',
    headerPrefix: 'x-outpost-',
    metadata: buildDeliveryMetadata({ event: input.event, deliveryMetadata: {}, attemptTime, includeMillisecondTimestamp: false }),
    customHeaders: {},
    secrets: ['whsec_test'],
    attemptTime,
    userAgent: 'Herald/1',
    algorithm: 'hmac-sha256',
    encoding: 'hex',
    ...input,
  });
}

describe('buildWebhookRequest — default mode', () => {
  it('when building, then the body is the data verbatim and metadata becomes prefixed headers', () => {
    const { body, headers } = build();

    expect(body).toBe('{"b":1,"a":"x"}');
    expect(headers).toEqual({
      'x-outpost-event-id': 'evt_1',
      'x-outpost-topic': 'order.created',
      'x-outpost-timestamp': '2024-05-01T10:00:05Z',
      'x-outpost-region': 'eu',
      'x-outpost-signature': expect.stringMatching(/^v0=[0-9a-f]{64}$/),
      'content-type': 'application/json',
      'user-agent': 'Herald/1',
    });
  });

  it('when a custom header collides with a metadata header, then metadata wins and the signature stays last', () => {
    const { headers } = build({
      customHeaders: { 'x-outpost-region': 'custom', 'x-outpost-signature': 'forged', 'x-api-key': 'k' },
    });

    expect(headers).toMatchObject({ 'x-outpost-region': 'eu', 'x-api-key': 'k' });
    expect(headers['x-outpost-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('when the prefix is empty and metadata names content-type, then Content-Type still wins', () => {
    const metadata = { 'content-type': 'text/plain', topic: 't' };

    const { headers } = build({ headerPrefix: '', metadata });

    expect(headers).toMatchObject({ 'content-type': 'application/json', topic: 't' });
  });

  it('when there is no secret, then no signature header is sent', () => {
    expect(build({ secrets: [] }).headers['x-outpost-signature']).toBeUndefined();
  });

  it.each<{ metadata: Record<string, string>; reason: RegExp }>([
    { metadata: { 'has space': 'x' }, reason: /metadata key "has space" is not a valid HTTP header name/ },
    { metadata: { ok: 'line\r\nInjected: 1' }, reason: /metadata key "ok" has a value that cannot be sent/ },
    { metadata: { ok: 'emoji 🎉' }, reason: /metadata key "ok" has a value that cannot be sent/ },
  ])('when metadata is $metadata, then it is a format error', ({ metadata, reason }) => {
    expect(() => build({ metadata })).toThrow(WebhookFormatError);
    expect(() => build({ metadata })).toThrow(reason);
  });

  it('when the data is not serialisable, then it is a format error', () => {
    const bad = makeEvent({ data: { n: 10n } });

    expect(() => build({ event: bad })).toThrow(WebhookFormatError);
  });
});

describe('buildWebhookRequest — standard mode', () => {
  const standard = (overrides: Partial<WebhookRequestInput> = {}) =>
    build({ mode: 'standard', headerPrefix: 'webhook-', secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], ...overrides });

  it('when building, then id, unix timestamp and v1 signature are sent with prefixed and unprefixed metadata', () => {
    const { headers } = standard();

    expect(headers).toEqual({
      region: 'eu',
      'webhook-region': 'eu',
      'webhook-topic': 'order.created',
      'webhook-id': 'evt_1',
      'webhook-timestamp': '1714557605',
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
      'content-type': 'application/json',
      'user-agent': 'Herald/1',
    });
  });

  it('when metadata tries to override the id or timestamp, then the signed values are sent', () => {
    const metadata = { 'event-id': 'spoofed', timestamp: '1', id: 'spoofed', topic: 't' };

    const { headers } = standard({ metadata, event: makeEvent({ id: 'evt_1', metadata: { 'webhook-id': 'spoofed' } }) });

    expect(headers).toMatchObject({ 'webhook-id': 'evt_1', 'webhook-timestamp': '1714557605', 'webhook-topic': 't' });
  });

  it('when event metadata names a reserved header, then the unprefixed copy is skipped', () => {
    const { headers } = standard({ event: makeEvent({ metadata: { host: 'evil.example', connection: 'close' } }) });

    expect(headers['host']).toBeUndefined();
    expect(headers['connection']).toBeUndefined();
  });

  it('when the current secret is not base64, then it is a format error', () => {
    expect(() => standard({ secrets: ['whsec_%%%'] })).toThrow(WebhookFormatError);
  });

  it('when only the previous secret is not base64, then it is skipped', () => {
    const { headers } = standard({ secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'broken!'] });

    expect(headers['webhook-signature']?.split(' ')).toHaveLength(1);
  });
});
