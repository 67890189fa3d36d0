import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { attemptsQuery } from '../../workflows/delivery-contract.js';
import { destinationHealthQuery, destinationHealthWorkflowId } from '../../workflows/destination-health-contract.js';
import { operatorEventsWorkflowId } from '../../workflows/operator-events-contract.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { attemptsOf, deliveryHandle, eventually, publish, tenantWithWebhook, uid } from './fixtures.js';

const SECRET = 'ops-signing-secret';
let herald: TestHerald;
let webhooks: Receiver;
let ops: Receiver;

interface Envelope { id: string; topic: string; time: string; deployment_id?: string; tenant_id: string; data: any }

const opsEvents = (tenantId: string, topic?: string): Envelope[] =>
  ops.received
    .map((r) => JSON.parse(r.body) as Envelope)
    .filter((e) => e.tenant_id === tenantId && (!topic || e.topic === topic));

/**
 * Resolves once the workflow has nothing of its own under way: no workflow task (so every signal
 * it received is handled), no activity and no open child.
 */
async function idle(handle: WorkflowHandle): Promise<void> {
  await eventually(async () => {
    const { raw } = await handle.describe();
    return { task: Boolean(raw.pendingWorkflowTask), activities: raw.pendingActivities?.length ?? 0, children: raw.pendingChildren?.length ?? 0 };
  }, (s) => !s.task && s.activities === 0 && s.children === 0, 60_000);
}

const OPERATOR_EVENTS_WORKFLOW_ID = operatorEventsWorkflowId('e2e-ops');

/** The delivery children started by every run of the operator-events workflow (it continues as new). */
async function operatorEventDeliveries(): Promise<string[]> {
  const ids: string[] = [];
  let runId: string | undefined; // the latest run first, then each run it continued
  do {
    const events = (await herald.ctx.client.workflow.getHandle(OPERATOR_EVENTS_WORKFLOW_ID, runId).fetchHistory()).events ?? [];
    for (const event of events) {
      const child = event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      if (child) ids.push(child);
    }
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  } while (runId);
  return ids;
}

/**
 * Resolves once every operator event signalled so far has reached the sink, or been given up on:
 * each delivery child of the operator-events workflow has closed, and its latest run has handled
 * its signals and has no child open. What the sink received is then final until something emits again.
 */
async function operatorEventsDelivered(): Promise<void> {
  const { client } = herald.ctx;
  const closed = new Set<string>();
  await eventually(async () => {
    const deliveries = await operatorEventDeliveries();
    for (const id of deliveries) {
      if (!closed.has(id) && (await client.workflow.getHandle(id).describe()).status.name !== 'RUNNING') closed.add(id);
    }
    const open = deliveries.filter((id) => !closed.has(id)).length;
    const { raw } = await client.workflow.getHandle(OPERATOR_EVENTS_WORKFLOW_ID).describe();
    return { open, task: Boolean(raw.pendingWorkflowTask), children: raw.pendingChildren?.length ?? 0 };
  }, (s) => s.open === 0 && !s.task && s.children === 0, 60_000);
}

/** Resolves once the delivery's last attempt is over: recorded, reported and its events signalled. */
const attemptsOver = (handle: WorkflowHandle) =>
  eventually(() => handle.query(attemptsQuery), (s) => s.status !== 'pending' && s.status !== 'retrying');

beforeAll(async () => {
  webhooks = await startReceiver(() => ({ status: 500, body: 'down' }));
  ops = await startReceiver(() => ({ status: 200 }));
  herald = await startTestHerald({
    ALERT_CONSECUTIVE_FAILURE_COUNT: '10',
    ALERT_AUTO_DISABLE_DESTINATION: 'true',
    OPERATION_EVENTS_TOPICS: '*',
    OPERATION_EVENTS_HTTP_URL: `${ops.url}/ops`,
    OPERATION_EVENTS_HTTP_SIGNING_SECRET: SECRET,
    DEPLOYMENT_ID: 'e2e-ops',
    RETRY_SCHEDULE: '1',
  });
});
afterAll(async () => {
  await herald?.close();
  await webhooks?.close();
  await ops?.close();
});

describe('operator events through the API', () => {
  it('when a destination fails 10 times in a row, then alerts at 5, 7, 9, 10, it is disabled, and gets nothing more', async () => {
    const { tenantId, destinationId } = await tenantWithWebhook(herald, `${webhooks.url}/dead`);
    const published: string[] = [];
    for (let i = 0; i < 12; i++) published.push((await publish(herald, { tenant_id: tenantId, eligible_for_retry: false })).id);

    const alerts = await eventually(
      async () => opsEvents(tenantId, 'alert.destination.consecutive_failure'),
      (a) => a.length >= 4, 30_000,
    );
    const levels = alerts.map((a) => [a.data.consecutive_failures.current, a.data.consecutive_failures.threshold]);
    expect(levels.sort((a, b) => a[0] - b[0])).toEqual([[5, 50], [7, 70], [9, 90], [10, 100]]);
    expect(alerts[0]!.data.consecutive_failures.max).toBe(10);
    expect(alerts[0]!.data).toMatchObject({ tenant_id: tenantId, destination: { id: destinationId, type: 'webhook' } });
    expect(alerts[0]!.data.event.data).toEqual({ hello: 'world' });
    expect(alerts[0]!.data.attempt).toMatchObject({ status: 'failed', code: '500', destination_id: destinationId });

    const [disabled] = await eventually(async () => opsEvents(tenantId, 'alert.destination.disabled'), (d) => d.length === 1);
    expect(disabled!.data).toMatchObject({ reason: 'consecutive_failure', destination: { id: destinationId } });
    expect(disabled!.data.disabled_at).toBeTruthy();
    expect(disabled!.deployment_id).toBe('e2e-ops');
    const shown = await herald.call('GET', `/tenants/${tenantId}/destinations/${destinationId}`);
    expect(shown.body.disabled_at).toBe(disabled!.data.disabled_at);

    // No delivery has an attempt left to send or report, then destination health has applied every outcome
    // reported to it (so no alert is left to emit): the counts below are final.
    await Promise.all(published.map((id) => attemptsOver(deliveryHandle(herald, tenantId, id, destinationId))));
    const health = herald.ctx.client.workflow.getHandle(destinationHealthWorkflowId(tenantId, destinationId));
    await idle(health);
    expect(await health.query(destinationHealthQuery)).toMatchObject({ consecutiveFailures: 12, disabledByHealth: true });
    const before = webhooks.received.filter((r) => r.path === '/dead').length;
    // Matching nothing, the event is not even stored, so no delivery of it can ever start.
    expect((await publish(herald, { tenant_id: tenantId })).destination_ids).toEqual([]);
    await operatorEventsDelivered();
    expect(webhooks.received.filter((r) => r.path === '/dead')).toHaveLength(before);
    expect(opsEvents(tenantId, 'alert.destination.disabled')).toHaveLength(1);

    // Every operator event is signed over its raw body.
    for (const req of ops.received) {
      const expected = createHmac('sha256', SECRET).update(req.body).digest('hex');
      expect(req.headers['x-outpost-signature']).toBe(`v0=${expected}`);
    }

    // Enabling resets the count: the next failure is 1 again.
    await herald.call('PUT', `/tenants/${tenantId}/destinations/${destinationId}/enable`);
    await eventually(() => health.query(destinationHealthQuery), (s) => s.consecutiveFailures === 0);
  });

  it('when a delivery exhausts its retries twice within the window, then it alerts once', async () => {
    const { tenantId, destinationId } = await tenantWithWebhook(herald, `${webhooks.url}/exhaust`);
    const { id } = await publish(herald, { tenant_id: tenantId });
    await eventually(() => attemptsOf(herald, id), (a) => a.length === 2, 20_000);
    await eventually(async () => opsEvents(tenantId, 'alert.attempt.exhausted_retries'), (a) => a.length === 1);

    expect((await herald.call('POST', '/retry', { event_id: id, destination_id: destinationId })).status).toBe(202);
    await eventually(() => attemptsOf(herald, id), (a) => a.length === 3);
    await eventually(async () => opsEvents(tenantId, 'attempt.failed'), (a) => a.length === 3);
    // The manual attempt is over and its events signalled; once they are delivered, nothing more can come.
    const handle = deliveryHandle(herald, tenantId, id, destinationId);
    await eventually(() => handle.query(attemptsQuery), (s) => s.status === 'exhausted' && s.attempts.length === 3);
    await operatorEventsDelivered();
    const exhausted = opsEvents(tenantId, 'alert.attempt.exhausted_retries');
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]!.data.attempt).toMatchObject({ attempt_number: 2, status: 'failed' });
  });

  it('when an attempt succeeds, then attempt.success carries the event, attempt and destination', async () => {
    webhooks.setResponder((r) => (r.path === '/fine' ? { status: 200, body: 'ok' } : { status: 500 }));
    const { tenantId, destinationId } = await tenantWithWebhook(herald, `${webhooks.url}/fine`);
    const { id } = await publish(herald, { tenant_id: tenantId, data: { n: 1 } });
    await deliveryHandle(herald, tenantId, id, destinationId).result();
    const [success] = await eventually(async () => opsEvents(tenantId, 'attempt.success'), (a) => a.length === 1);
    expect(success!.data).toMatchObject({
      tenant_id: tenantId,
      event: { id, data: { n: 1 } },
      attempt: { attempt_number: 1, status: 'success', code: '200', response_data: { status: 200, body: 'ok' } },
      destination: { id: destinationId },
    });
    expect(success!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when destinations are created and deleted, then tenant.subscription.updated carries before and after', async () => {
    const tenantId = uid('subs');
    await herald.call('PUT', `/tenants/${tenantId}`, {});
    const a = await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'webhook', topics: ['b.two', 'a.one'], config: { url: `${webhooks.url}/x` } });
    await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'webhook', topics: ['a.one'], config: { url: `${webhooks.url}/y` } });
    await herald.call('DELETE', `/tenants/${tenantId}/destinations/${a.body.id}`);
    const updates = await eventually(async () => opsEvents(tenantId, 'tenant.subscription.updated'), (u) => u.length === 3);
    const byCount = (n: number) => updates.find((u) => u.data.destinations_count === n && u.data.previous_destinations_count !== undefined);
    expect(updates.map((u) => u.data).sort((x, y) => x.previous_destinations_count - y.previous_destinations_count || y.destinations_count - x.destinations_count)).toEqual([
      { tenant_id: tenantId, topics: ['a.one', 'b.two'], previous_topics: [], destinations_count: 1, previous_destinations_count: 0 },
      { tenant_id: tenantId, topics: ['a.one', 'b.two'], previous_topics: ['a.one', 'b.two'], destinations_count: 2, previous_destinations_count: 1 },
      { tenant_id: tenantId, topics: ['a.one'], previous_topics: ['a.one', 'b.two'], destinations_count: 1, previous_destinations_count: 2 },
    ]);
    expect(byCount(2)).toBeDefined();
  });
});

describe('operator-event sink outages', () => {
  it('when the sink is down for a while, then every alert arrives once it recovers', async () => {
    const { tenantId } = await tenantWithWebhook(herald, `${webhooks.url}/dead-again`);
    let sinkUp = false;
    ops.setResponder(() => (sinkUp ? { status: 200 } : { status: 503 }));
    for (let i = 0; i < 10; i++) await publish(herald, { tenant_id: tenantId, eligible_for_retry: false });
    // While down, the sink is called (and refuses) but nothing is lost: wait until a refused event is tried again.
    await eventually(async () => ops.received.filter((r) => r.headers['x-outpost-signature'] && JSON.parse(r.body).tenant_id === tenantId).length, (n) => n > 0, 20_000);
    const refusedTries = () => {
      const tries = new Map<string, number>();
      for (const r of ops.received.filter((r) => r.body.includes(tenantId))) {
        const { id } = JSON.parse(r.body) as Envelope;
        tries.set(id, (tries.get(id) ?? 0) + 1);
      }
      return Math.max(0, ...tries.values());
    };
    await eventually(async () => refusedTries(), (n) => n >= 2, 20_000);
    // The responder reads `sinkUp` as each request arrives: every request from `upFrom` on was accepted.
    const upFrom = ops.received.length;
    sinkUp = true;
    const delivered = () => ops.received.slice(upFrom).filter((r) => r.body.includes(tenantId));
    await eventually(
      async () => new Set(delivered().map((r) => JSON.parse(r.body)).filter((e) => e.topic.startsWith('alert.')).map((e) => e.id)).size,
      (n) => n === 5, // 4 consecutive-failure levels + disabled
      60_000,
    );
  });

  it('when a best-effort event keeps failing, then the sink is tried exactly 3 times', async () => {
    const tenantId = uid('besteffort');
    ops.setResponder((r) => (r.body.includes(tenantId) && r.body.includes('tenant.subscription.updated') ? { status: 500 } : { status: 200 }));
    await herald.call('PUT', `/tenants/${tenantId}`, {});
    await herald.call('POST', `/tenants/${tenantId}/destinations`, { type: 'webhook', topics: '*', config: { url: `${webhooks.url}/z` } });
    const tries = () => ops.received.filter((r) => r.body.includes(tenantId) && r.body.includes('tenant.subscription.updated')).length;
    await eventually(async () => tries(), (n) => n === 3, 20_000);
    // The third failure ends the best-effort activity and its delivery child: no fourth try can follow.
    await operatorEventsDelivered();
    expect(tries()).toBe(3);
  });
});
