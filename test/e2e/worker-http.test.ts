import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HeraldProcess } from '../../bench/herald-process.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { killSpawnedHeralds, spawnHerald } from '../harness/spawn-herald.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';
import { eventually, publish, tenantWithWebhook } from './fixtures.js';

// A standalone `herald worker` with WORKER_HTTP_PORT and Prometheus on, reaching Postgres and
// Temporal through proxies the tests cut; an in-process API (no worker of its own) publishes to
// its task queue.
let herald: TestHerald;
let receiver: Receiver;
let temporal: TcpProxy;
let postgres: TcpProxy;
let worker: HeraldProcess;
let workerUrl: string;

beforeAll(async () => {
  herald = await startTestHerald({}, { worker: false });
  receiver = await startReceiver();
  const databaseUrl = new URL(herald.databaseUrl);
  postgres = await startTcpProxy(`${databaseUrl.hostname}:${databaseUrl.port}`);
  temporal = await startTcpProxy(inject('temporalAddress'));
  databaseUrl.host = postgres.address;
  const port = await freeLoopbackPort();
  workerUrl = `http://127.0.0.1:${port}`;
  worker = spawnHerald('worker', {
    DATABASE_URL: databaseUrl.toString(), TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: herald.taskQueue,
    DEPLOYMENT_ID: herald.ctx.config.deploymentId, WORKER_HTTP_PORT: String(port), WORKER_HTTP_HOST: '127.0.0.1',
    PROMETHEUS_ENABLED: 'true',
  });
  await worker.waitForOutput(/"msg":"Herald is running"/, 180_000);
});
afterAll(async () => {
  await temporal?.restore();
  await postgres?.restore();
  await killSpawnedHeralds();
  await herald?.close();
  await receiver?.close();
  await Promise.allSettled([temporal?.close(), postgres?.close()]);
});

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${workerUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
  return { status: res.status, text: await res.text() };
}
const health = async () => {
  const res = await get('/healthz');
  return { status: res.status, body: JSON.parse(res.text) };
};
const healthy = { status: 'healthy' };
const failed = { status: 'failed' };

describe('herald worker with WORKER_HTTP_PORT', () => {
  it('when every dependency is up, then /healthz is 200 naming Postgres, Temporal and the task-queue poller healthy', async () => {
    expect(await health()).toMatchObject({
      status: 200, body: { status: 'healthy', workers: { 'http-server': healthy, postgres: healthy, temporal: healthy, 'temporal-worker': healthy } },
    });
  });

  it('when the worker has delivered an event, then GET /metrics has Outpost\'s delivery metrics in the Prometheus format', async () => {
    const { tenantId } = await tenantWithWebhook(herald, `${receiver.url}/scraped`);
    await publish(herald, { tenant_id: tenantId });
    await receiver.waitFor(1, 60_000);
    const scrape = await eventually(() => get('/metrics'), (res) => res.text.includes('outpost_delivered_events'), 30_000);
    expect(scrape.status).toBe(200);
    expect(scrape.text).toMatch(/outpost_delivered_events_total\{[^}]*type="webhook"[^}]*status="success"[^}]*\} 1/);
    expect(scrape.text).toContain('outpost_delivery_latency');
  });

  it('when a path is not served, then 404 in the error envelope', async () => {
    expect(await get('/api/v1/tenants')).toEqual({ status: 404, text: JSON.stringify({ status: 404, message: 'not found' }) });
  });

  it('when Postgres is cut, then /healthz is 503 naming postgres, and 200 once it is back', async () => {
    postgres.cut();
    const down = await eventually(health, (h) => h.status === 503, 30_000);
    expect(down.body).toMatchObject({ status: 'failed', workers: { postgres: failed, temporal: healthy } });
    await postgres.restore();
    await eventually(health, (h) => h.status === 200, 60_000);
  }, 120_000);

  it('when Temporal is cut, then /healthz is 503 naming temporal, and 200 once it is back', async () => {
    temporal.cut();
    const down = await eventually(health, (h) => h.status === 503, 30_000);
    expect(down.body).toMatchObject({ status: 'failed', workers: { temporal: failed, postgres: healthy } });
    await temporal.restore();
    await eventually(health, (h) => h.status === 200, 90_000);
  }, 150_000);
});
