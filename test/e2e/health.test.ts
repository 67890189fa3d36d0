import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApi, type RunningApi } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import { createContext, type HeraldContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { startWorker, type RunningWorker } from '../../src/temporal/run-worker.js';
import { TEST_ENV } from '../harness/herald.js';
import { createTestDatabase } from '../harness/postgres.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';
import { eventually } from './fixtures.js';

// An API with an in-process worker (as `herald start` runs them) whose Postgres and Temporal are
// reached through proxies the tests cut: /healthz names what is down, and recovers with it.
let temporal: TcpProxy;
let postgres: TcpProxy;
let ctx: HeraldContext;
let api: RunningApi;
let worker: RunningWorker;

beforeAll(async () => {
  const databaseUrl = new URL(await createTestDatabase(inject('databaseAdminUrl')));
  postgres = await startTcpProxy(`${databaseUrl.hostname}:${databaseUrl.port}`);
  temporal = await startTcpProxy(inject('temporalAddress'));
  const taskQueue = `test-${randomUUID()}`;
  const config = loadConfig({ ...TEST_ENV, TEMPORAL_TASK_QUEUE: taskQueue, DEPLOYMENT_ID: `test-${taskQueue.slice(5, 13)}` });
  databaseUrl.host = postgres.address;
  ctx = await createContext(config, createLogger({ level: 'error', format: 'json' }), { databaseUrl: databaseUrl.toString(), temporalAddress: temporal.address });
  worker = await startWorker(ctx);
  api = await startApi(ctx, { port: 0, host: '127.0.0.1' }, { 'temporal-worker': () => worker.health() });
});

afterAll(async () => {
  await temporal?.restore();
  await postgres?.restore();
  await api?.close();
  await worker?.close();
  await ctx?.close();
  await Promise.allSettled([temporal?.close(), postgres?.close()]);
});

async function health(): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api.url}/healthz`, { signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: await res.json() };
}

const healthy = { status: 'healthy' };
const failed = { status: 'failed' };

describe('/healthz', () => {
  it('when every dependency is up, then 200 and each is healthy, the task-queue poller included', async () => {
    expect(await health()).toMatchObject({
      status: 200,
      body: { status: 'healthy', workers: { 'http-server': healthy, postgres: healthy, temporal: healthy, 'temporal-worker': healthy } },
    });
  });

  it('when Postgres is cut, then 503 naming postgres alone, and 200 once it is back', async () => {
    postgres.cut();
    const down = await eventually(health, (h) => h.status === 503, 30_000);
    expect(down.body).toMatchObject({ status: 'failed', workers: { postgres: failed, temporal: healthy } });
    await postgres.restore();
    await eventually(health, (h) => h.status === 200, 30_000);
  }, 60_000);

  it('when Temporal is cut, then 503 naming temporal alone, and 200 once it is back', async () => {
    temporal.cut();
    const down = await eventually(health, (h) => h.status === 503, 30_000);
    expect(down.body).toMatchObject({ status: 'failed', workers: { temporal: failed, postgres: healthy } });
    await temporal.restore();
    await eventually(health, (h) => h.status === 200, 60_000);
  }, 90_000);
});
