import { describe, expect, it } from 'vitest';
import { buildDeliveryMetadata, formatRfc3339Millis, formatRfc3339Seconds } from './metadata.js';
import { makeEvent } from './testing/fixtures.js';

const attemptTime = new Date('2024-05-01T10:00:05.250Z');

describe('buildDeliveryMetadata', () => {
  it('when nothing overrides, then the system keys carry the event id, topic and attempt time', () => {
    const event = makeEvent({ id: 'evt_1', topic: 'order.created', time: new Date('2020-01-01T00:00:00Z') });

    const metadata = buildDeliveryMetadata({ event, deliveryMetadata: {}, attemptTime, includeMillisecondTimestamp: false });

    expect(metadata).toEqual({ 'event-id': 'evt_1', topic: 'order.created', timestamp: '2024-05-01T10:00:05Z' });
  });

  it('when asked for milliseconds, then timestamp-ms is added', () => {
    const metadata = buildDeliveryMetadata({ event: makeEvent(), deliveryMetadata: {}, attemptTime, includeMillisecondTimestamp: true });

    expect(metadata['timestamp-ms']).toBe('2024-05-01T10:00:05.250Z');
  });

  it('when the send has an attempt id, then attempt-id carries it, so a receiver can match the request to the log', () => {
    const metadata = buildDeliveryMetadata({ event: makeEvent(), deliveryMetadata: {}, attemptTime, includeMillisecondTimestamp: false, attemptId: 'atm_1' });

    expect(metadata['attempt-id']).toBe('atm_1');
  });

  it('when keys collide, then system < destination delivery metadata < event metadata', () => {
    const event = makeEvent({ topic: 'order.created', metadata: { shared: 'event', only_event: 'e' } });
    const deliveryMetadata = { shared: 'destination', topic: 'destination-topic', only_destination: 'd' };

    const metadata = buildDeliveryMetadata({ event, deliveryMetadata, attemptTime, includeMillisecondTimestamp: false });

    expect(metadata).toMatchObject({ shared: 'event', topic: 'destination-topic', only_destination: 'd', only_event: 'e' });
  });

  it('when a key is __proto__, then it stays plain data', () => {
    const event = makeEvent({ metadata: JSON.parse('{"__proto__":"x"}') as Record<string, string> });

    const metadata = buildDeliveryMetadata({ event, deliveryMetadata: {}, attemptTime, includeMillisecondTimestamp: false });

    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata)).toContain('__proto__');
  });
});

describe('RFC 3339 formatting', () => {
  it.each([
    [new Date('2024-05-01T10:00:05.999Z'), '2024-05-01T10:00:05Z', '2024-05-01T10:00:05.999Z'],
    [new Date('1999-12-31T23:59:59.000Z'), '1999-12-31T23:59:59Z', '1999-12-31T23:59:59.000Z'],
  ])('when formatting %s, then seconds give %s and millis give %s', (time, seconds, millis) => {
    expect(formatRfc3339Seconds(time)).toBe(seconds);
    expect(formatRfc3339Millis(time)).toBe(millis);
  });
});
