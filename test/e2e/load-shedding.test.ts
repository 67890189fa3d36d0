import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startApi, type RunningApi } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import { createContext, type HeraldContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { startWorker, type RunningWorker } from '../../src/temporal/run-worker.js';
import { TEST_ENV } from '../harness/herald.js';
import { createTestDatabase } from '../harness/postgres.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';

// An API whose Temporal and Postgres are reached through proxies the tests cut or stall, and a
// worker on the same database and task queue that reaches both directly.
let receiver: Receiver;
let temporal: TcpProxy;
let postgres: TcpProxy;
let apiCtx: HeraldContext;
let workerCtx: HeraldContext;
let api: RunningApi;
let worker: RunningWorker;

beforeAll(async () => {
  receiver = await startReceiver();
  const databaseUrl = await createTestDatabase(inject('databaseAdminUrl'));
  const url = new URL(databaseUrl);
  postgres = await startTcpProxy(`${url.hostname}:${url.port}`);
  temporal = await startTcpProxy(inject('temporalAddress'));
  const taskQueue = `test-${randomUUID()}`;
  const config = loadConfig({
    ...TEST_ENV, TEMPORAL_TASK_QUEUE: taskQueue, DEPLOYMENT_ID: `test-${taskQueue.slice(5, 13)}`,
    WORKER_REDRIVE_AFTER_SECONDS: '1', API_MAX_IN_FLIGHT_STARTS: '3', API_DEPENDENCY_TIMEOUT_SECONDS: '2',
  });
  const logger = createLogger({ level: 'error', format: 'json' });
  const proxiedUrl = new URL(databaseUrl);
  proxiedUrl.host = postgres.address;
  apiCtx = await createContext(config, logger, { databaseUrl: proxiedUrl.toString(), temporalAddress: temporal.address });
  api = await startApi(apiCtx, { port: 0, host: '127.0.0.1' });
  workerCtx = await createContext(config, logger, { databaseUrl, temporalAddress: inject('temporalAddress') });
  worker = await startWorker(workerCtx);
});

afterAll(async () => {
  await temporal?.restore();
  await postgres?.restore();
  await api?.close();
  await worker?.close();
  await Promise.allSettled([apiCtx?.close(), workerCtx?.close()]);
  await Promise.allSettled([temporal?.close(), postgres?.close(), receiver?.close()]);
});

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.url}/api/v1${path}`, {
    method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
}

async function tenantWithWebhook(path: string): Promise<string> {
  const tenantId = `tenant_${randomUUID().slice(0, 8)}`;
  expect((await call('PUT', `/tenants/${tenantId}`, {})).status).toBe(201);
  const created = await call('POST', `/tenants/${tenantId}/destinations`, { type: 'webhook', topics: '*', config: { url: `${receiver.url}${path}` } });
  expect(created.status).toBe(201);
  return tenantId;
}

const publishBody = (tenantId: string, id = randomUUID()) => ({ id, tenant_id: tenantId, topic: 'order.created', data: { n: 1 } });

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(['stall', 'cut'] as const)('when Temporal is %s', (fault) => {
  it('then publish answers 503 with Retry-After, and the stored event is delivered once Temporal is back', async () => {
    const tenantId = await tenantWithWebhook(`/redrive-${fault}`);
    temporal[fault]();
    const body = publishBody(tenantId);
    const answer = await call('POST', '/publish', body);
    await temporal.restore();

    expect(answer).toMatchObject({ status: 503, body: { status: 503, data: { dependency: 'temporal' } } });
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    // Nobody publishes again: the worker's re-drive starts the stored event's delivery.
    await eventually(() => receiver.received.some((r) => r.path === `/redrive-${fault}`));
    await eventually(async () => (await workerCtx.events.get(tenantId, body.id))?.dispatchedAt instanceof Date);
    expect(receiver.received.filter((r) => r.path === `/redrive-${fault}`)).toHaveLength(1);
    // A publisher that does retry is told the event is a duplicate, and nothing is sent twice.
    // (Until the start bound has grown back after the outage it may be told 503 again, as any publisher may.)
    let again = await call('POST', '/publish', body);
    await eventually(async () => (again = await call('POST', '/publish', body)).status !== 503);
    expect(again).toMatchObject({ status: 202, body: { id: body.id, duplicate: true } });
  });
});

it('when more publishes are in flight than the limit, then the excess is answered 503 at once', async () => {
  const tenantId = await tenantWithWebhook('/capacity');
  // Calls cut off by the earlier tests count until the native client gives them up.
  await eventually(() => apiCtx.deliveries.hasCapacity(3));
  temporal.stall();
  const answers = await Promise.all(Array.from({ length: 8 }, () => call('POST', '/publish', publishBody(tenantId))));
  await temporal.restore();

  const byDependency = answers.map((a) => `${a.status} ${a.body?.data?.dependency ?? ''}`.trim());
  // At most the bound (3, less while it is adapting down after the earlier outages) reach Temporal.
  const reached = byDependency.filter((a) => a === '503 temporal').length;
  expect(reached).toBeGreaterThanOrEqual(1);
  expect(reached).toBeLessThanOrEqual(3);
  expect(byDependency.filter((a) => a === '503 capacity')).toHaveLength(8 - reached);
  expect(answers.every((a) => Number(a.retryAfter) > 0)).toBe(true);
});

it('when Postgres is down, then the API answers 503 with Retry-After on every route, never 500', async () => {
  const tenantId = await tenantWithWebhook('/pg-down');
  postgres.cut();
  try {
    const answers = await Promise.all([
      call('GET', `/tenants/${tenantId}`),
      call('GET', `/tenants/${tenantId}/destinations`),
      call('GET', `/events?tenant_id=${tenantId}`),
      call('GET', `/attempts?tenant_id=${tenantId}`),
      call('POST', '/publish', publishBody(tenantId)),
      call('PUT', `/tenants/${tenantId}`, {}),
    ]);
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 503, body: { status: 503, data: { dependency: 'postgres' } } });
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }
  } finally {
    await postgres.restore();
  }
  // And it recovers without a restart.
  await eventually(async () => (await call('GET', `/tenants/${tenantId}`)).status === 200);
});
