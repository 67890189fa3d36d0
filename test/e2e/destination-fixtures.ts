/**
 * Steps the destination suites share: a destination created and read back through the API, its
 * credentials masked, one event delivered in one OK attempt.
 */
import { expect } from 'vitest';
import type { TestHerald } from '../harness/herald.js';
import { attemptsOf, deliveryHandle, publish } from './fixtures.js';

/** Creates a destination (expecting 201) and reads it back: both API bodies. */
export async function createDestination(herald: TestHerald, tenantId: string, destination: Record<string, unknown>) {
  const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, destination);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const fetched = await herald.call('GET', `/tenants/${tenantId}/destinations/${created.body.id as string}`);
  return { created: created.body, fetched: fetched.body };
}

/** Every credential in `sent` is shown as something else in each of `bodies`. */
export function expectCredentialsMasked(bodies: readonly { credentials: Record<string, unknown> }[], sent: Record<string, string>): void {
  for (const body of bodies) {
    for (const [key, value] of Object.entries(sent)) expect(body.credentials[key]).not.toBe(value);
  }
}

/** Publishes one order.created event and waits until its delivery to `destinationId` completed in one attempt. */
export async function publishDelivered(herald: TestHerald, tenantId: string, destinationId: string, event: Record<string, unknown>) {
  const published = await publish(herald, { tenant_id: tenantId, ...event });
  expect(await deliveryHandle(herald, tenantId, published.id, destinationId).result()).toEqual({ status: 'delivered', attemptCount: 1 });
  return published;
}

/** The event's attempt log is exactly one successful attempt with code OK. */
export async function expectOneOkAttempt(herald: TestHerald, eventId: string): Promise<void> {
  expect(await attemptsOf(herald, eventId)).toMatchObject([{ attempt_number: 1, status: 'success', code: 'OK' }]);
}
