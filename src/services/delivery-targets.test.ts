import { describe, expect, it } from 'vitest';
import { makeDestination } from '../destinations/testing/fixtures.js';
import type { DestinationProvider } from '../destinations/types.js';
import type { EventRecord } from '../domain/types.js';
import { createDeliveryTargets, matches } from './delivery-targets.js';

const event = {
  id: 'evt_1', tenantId: 'tenant_1', topic: 'order.created', time: new Date('2024-05-01T10:00:00Z'),
  eligibleForRetry: false, metadata: { source: 'shop' }, data: { amount: 10 },
} satisfies Partial<EventRecord>;

describe('matches', () => {
  it.each([
    ['the destination takes every topic and has no filter', true, { topics: ['*'], filter: null }],
    ['the event topic is among the destination topics', true, { topics: ['order.created'], filter: null }],
    ['the event topic is not among them', false, { topics: ['user.created'], filter: null }],
    ['the topic matches and the filter passes', true, { topics: ['*'], filter: { metadata: { source: 'shop' } } }],
    ['the topic matches but the filter fails', false, { topics: ['*'], filter: { metadata: { source: 'pos' } } }],
  ])('when %s, then the event goes to it: %s', (_when, expected, destination) => {
    expect(matches(makeDestination(destination), event)).toBe(expected);
  });
});

describe('delivery targets', () => {
  const webhook = { present: () => ({ credentials: {}, target: 'https://example.test/hook' }) };
  const counting = () => {
    let presented = 0;
    const provider = { present: () => ({ credentials: {}, target: `https://example.test/${++presented}` }) };
    return { registry: { get: () => provider as unknown as DestinationProvider }, presented: () => presented };
  };

  it('when a provider shows the destination, then the delivery carries the event, the destination and that target', () => {
    const deliveryTarget = createDeliveryTargets({ get: () => webhook as unknown as DestinationProvider });
    const destination = makeDestination({ id: 'des_1', type: 'webhook' });
    expect(deliveryTarget(event, destination)).toEqual({
      tenantId: 'tenant_1', eventId: 'evt_1', topic: 'order.created', eligibleForRetry: false,
      destinationId: 'des_1', destinationType: 'webhook', target: 'https://example.test/hook',
    });
  });

  it('when no provider is registered for the type, then the target is the type', () => {
    const deliveryTarget = createDeliveryTargets({ get: () => undefined });
    expect(deliveryTarget(event, makeDestination({ type: 'aws_sqs' })).target).toBe('aws_sqs');
  });

  it('when the same destination object comes back, then its target is worked out once', () => {
    const { registry, presented } = counting();
    const deliveryTarget = createDeliveryTargets(registry);
    const destination = makeDestination();
    deliveryTarget(event, destination);
    expect(deliveryTarget({ ...event, id: 'evt_2' }, destination).target).toBe('https://example.test/1');
    expect(deliveryTarget(event, makeDestination()).target).toBe('https://example.test/2');
    expect(presented()).toBe(2);
  });
});
