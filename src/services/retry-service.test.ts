import { describe, expect, it } from 'vitest';
import { makeDestination } from '../destinations/testing/fixtures.js';
import type { Attempt, Destination, EventRecord } from '../domain/types.js';
import type { DeliveryTarget } from '../temporal/delivery-client.js';
import { NotFoundError, RetryRefusedError } from './errors.js';
import { createRetryService } from './retry-service.js';

const event: EventRecord = {
  id: 'evt_1', tenantId: 'tenant_1', topic: 'order.created', time: new Date('2024-05-01T10:00:00Z'), eligibleForRetry: true,
  metadata: {}, data: {}, destinationId: null, matchedDestinationIds: ['des_1'], createdAt: new Date(), dispatchedAt: new Date(),
};

const latestAttempt: Attempt = {
  id: 'atm_3', tenantId: 'tenant_1', eventId: 'evt_1', destinationId: 'des_1', destinationType: 'webhook', attemptNumber: 3,
  manual: false, status: 'failed', code: '500', responseData: null, time: new Date(), exhaustedRetries: true,
};

/** A retry service over fakes: one stored event, its latest attempt (number 3) and one destination. */
function setup(stored: { event?: EventRecord | null; attempted?: boolean; destination?: Destination | null } = {}) {
  const retried: { target: DeliveryTarget; previousAttempts: number }[] = [];
  const destination = stored.destination === undefined ? makeDestination({ id: 'des_1', tenantId: 'tenant_1' }) : stored.destination;
  const retry = createRetryService({
    events: { get: async () => (stored.event === undefined ? event : stored.event) },
    attempts: { latestFor: async () => (stored.attempted === false ? null : latestAttempt) },
    destinations: { get: async () => destination },
    registry: { get: () => undefined },
    deliveries: { retry: async (target, previousAttempts) => void retried.push({ target, previousAttempts }) },
  });
  return { retry, retried };
}

const input = { eventId: 'evt_1', destinationId: 'des_1' };

describe('retry service', () => {
  it('when the event was attempted to an enabled, matching destination, then the delivery is retried after its last attempt', async () => {
    const { retry, retried } = setup();
    await retry(input);
    expect(retried).toEqual([{
      target: expect.objectContaining({ eventId: 'evt_1', destinationId: 'des_1', target: 'webhook' }),
      previousAttempts: 3,
    }]);
  });

  it.each([
    ['the event does not exist', { event: null }, new NotFoundError('event', 'evt_1')],
    ['the event was never attempted to the destination', { attempted: false }, new NotFoundError('event', 'evt_1')],
    ['the destination does not exist', { destination: null }, new NotFoundError('destination', 'des_1')],
    ['the destination is disabled', { destination: makeDestination({ id: 'des_1', disabledAt: new Date() }) },
      new RetryRefusedError('destination_disabled', 'evt_1', 'des_1')],
    ['the destination no longer matches the event', { destination: makeDestination({ id: 'des_1', topics: ['user.created'] }) },
      new RetryRefusedError('destination_mismatch', 'evt_1', 'des_1')],
  ])('when %s, then the retry is refused and nothing is retried', async (_when, stored, expected) => {
    const { retry, retried } = setup(stored);
    const refusal = await retry(input).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(expected.constructor);
    expect(refusal).toMatchObject({ ...expected, message: expected.message });
    expect(retried).toEqual([]);
  });

  it('when the caller is scoped to other tenants, then the event is not found', async () => {
    const { retry } = setup();
    await expect(retry({ ...input, tenantIds: ['tenant_2'] })).rejects.toBeInstanceOf(NotFoundError);
  });
});
