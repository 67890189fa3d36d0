import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { deliveryWorkflowId } from '../../workflows/delivery-contract.js';
import type { TestHerald } from '../harness/herald.js';

export const uid = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

/** A new tenant; returns its id. */
export async function createTenant(herald: TestHerald): Promise<string> {
  const tenantId = uid('tenant');
  expect((await herald.call('PUT', `/tenants/${tenantId}`, {})).status).toBe(201);
  return tenantId;
}

/** A tenant with one webhook destination pointing at `url`; returns ids and the signing secret. */
export async function tenantWithWebhook(herald: TestHerald, url: string, extra: Record<string, unknown> = {}) {
  const tenantId = await createTenant(herald);
  const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, {
    type: 'webhook', topics: '*', config: { url }, ...extra,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { tenantId, destinationId: created.body.id as string, secret: created.body.credentials.secret as string };
}

export async function publish(herald: TestHerald, body: Record<string, unknown>) {
  const res = await herald.call('POST', '/publish', { topic: 'order.created', data: { hello: 'world' }, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body as { id: string; duplicate: boolean; destination_ids: string[] };
}

export function deliveryHandle(herald: TestHerald, tenantId: string, eventId: string, destinationId: string) {
  return herald.ctx.client.workflow.getHandle(deliveryWorkflowId(tenantId, eventId, destinationId));
}

export async function attemptsOf(herald: TestHerald, eventId: string) {
  const res = await herald.call('GET', `/attempts?event_id=${eventId}&dir=asc&include=response_data`);
  expect(res.status).toBe(200);
  return res.body.models as { id: string; attempt_number: number; status: string; code: string; manual: boolean; time: string; response_data?: unknown }[];
}

export { eventually } from '../harness/eventually.js';
