import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { createTestDatabase } from '../harness/postgres.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { killSpawnedHeralds, spawnHerald } from '../harness/spawn-herald.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';
import { eventually, publish, tenantWithWebhook } from './fixtures.js';

/**
 * `herald api` and `herald worker` as real processes whose Postgres or Temporal is reached through
 * a forwarder the test cuts and restores: they start while a dependency is down, wait for it, and
 * recover after an outage without a restart.
 */

const forwarders: TcpProxy[] = [];
afterEach(async () => {
  await killSpawnedHeralds();
  await Promise.all(forwarders.splice(0).map((f) => f.close()));
});

async function forwarderTo(url: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(url.includes('://') ? url : `tcp://${url}`);
  const forwarder = await startTcpProxy(`${hostname}:${port}`, { listening: false });
  forwarders.push(forwarder);
  return forwarder;
}

async function health(apiUrl: string): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(`${apiUrl}/healthz`);
    return { status: res.status, body: await res.json() };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

describe('herald api', () => {
  it('when Postgres is down at start, then /healthz is 503 naming postgres and routes answer 503; once it is up, then 200 and the routes work, also after an outage', async () => {
    const databaseUrl = await createTestDatabase(inject('databaseAdminUrl'));
    const postgres = await forwarderTo(databaseUrl);
    const viaForwarder = new URL(databaseUrl);
    viaForwarder.port = String(postgres.port);
    const port = await freeLoopbackPort();
    const apiUrl = `http://127.0.0.1:${port}`;
    const api = spawnHerald('api', { DATABASE_URL: viaForwarder.toString(), TEMPORAL_ADDRESS: inject('temporalAddress'), API_PORT: String(port), API_HOST: '127.0.0.1' });

    const waiting = await eventually(() => health(apiUrl), (h) => h.body?.workers?.postgres?.error !== undefined, 60_000);
    expect(waiting.status).toBe(503);
    expect(waiting.body).toMatchObject({ status: 'failed', workers: { 'http-server': { status: 'healthy' }, postgres: { status: 'waiting', error: expect.stringContaining('ECONNREFUSED') } } });
    const route = await fetch(`${apiUrl}/api/v1/tenants/acme`, { method: 'PUT' });
    expect(route.status).toBe(503);
    expect(route.headers.get('retry-after')).toBe('5');
    expect(await route.json()).toMatchObject({ status: 503, message: expect.stringContaining('postgres') });

    await postgres.restore();
    const ready = await eventually(() => health(apiUrl), (h) => h.status === 200, 60_000);
    expect(ready.body).toMatchObject({ status: 'healthy', workers: { postgres: { status: 'healthy' }, temporal: { status: 'healthy' } } });
    expect((await fetch(`${apiUrl}/api/v1/tenants/acme`, { method: 'PUT' })).status).toBe(201);
    await api.waitForOutput(/"msg":"postgres is reachable"/, 10_000);
    expect(api.printed.match(/"msg":"waiting for postgres"/g)).toHaveLength(1);

    await postgres.refuse();
    await eventually(() => health(apiUrl), (h) => h.status === 503 && h.body?.workers?.postgres?.status === 'failed', 60_000);
    await postgres.restore();
    await eventually(() => health(apiUrl), (h) => h.status === 200, 60_000);
    expect((await fetch(`${apiUrl}/api/v1/tenants/acme`)).status).toBe(200);
    expect(api.running).toBe(true);
  }, 240_000);
});

describe('herald worker', () => {
  let herald: TestHerald | undefined;
  let receiver: Receiver | undefined;
  afterAll(async () => {
    await herald?.close();
    await receiver?.close();
  });

  it('when Temporal is unreachable for a while, then the same worker process delivers again once it is back, having logged the outage once', async () => {
    herald = await startTestHerald({}, { worker: false });
    receiver = await startReceiver();
    const temporal = await forwarderTo(inject('temporalAddress'));
    await temporal.restore();
    const worker = spawnHerald('worker', {
      DATABASE_URL: herald.databaseUrl, TEMPORAL_ADDRESS: `127.0.0.1:${temporal.port}`, TEMPORAL_TASK_QUEUE: herald.taskQueue,
    });
    await worker.waitForOutput(/"msg":"Herald is running"/, 120_000);
    const { tenantId } = await tenantWithWebhook(herald, `${receiver.url}/outage`);
    await publish(herald, { tenant_id: tenantId });
    await receiver.waitFor(1, 60_000);

    await temporal.refuse();
    await worker.waitForOutput(/"msg":"waiting for temporal"/, 60_000);
    // Longer than the core's budget for ordinary calls (10 s), so more than polls fail meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    await publish(herald, { tenant_id: tenantId });
    await temporal.restore();

    await receiver.waitFor(2, 90_000);
    await worker.waitForOutput(/"msg":"temporal is reachable"/, 30_000);
    expect(worker.running).toBe(true);
    expect(worker.printed.match(/"msg":"waiting for temporal"/g)?.length).toBeLessThanOrEqual(3);
    expect(worker.printed).not.toMatch(/retried \d+ times/);
  }, 300_000);
});
