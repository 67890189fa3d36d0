import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { SHUTDOWN_DEADLINE_MS } from '../../src/process/shutdown.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { createTestDatabase } from '../harness/postgres.js';
import { killSpawnedHeralds, signalAndTime, spawnHerald } from '../harness/spawn-herald.js';
import { startTcpProxy } from '../harness/tcp-proxy.js';

/**
 * SIGTERM reaches `herald worker` / `herald api` at any moment (while starting, waiting for a
 * dependency, running, with Temporal already gone) and the process exits within its shutdown
 * deadline. Start-up is slow on a loaded machine, so states are waited for from the process's own
 * log lines, generously; the bound checked is the one Herald promises, the shutdown deadline.
 */

let databaseUrl: string;
const temporalAddress = () => inject('temporalAddress');
const closedPort = async () => `127.0.0.1:${await freeLoopbackPort()}`;

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('databaseAdminUrl'));
});
afterEach(killSpawnedHeralds);

describe('herald worker', () => {
  it('when it gets SIGTERM while Temporal is unreachable, then it exits at once', async () => {
    const worker = spawnHerald('worker', { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: await closedPort() });
    await worker.waitForOutput(/"msg":"waiting for temporal"/, 60_000);
    const exit = await signalAndTime(worker);
    expect(exit, worker.tail()).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(SHUTDOWN_DEADLINE_MS);
  });

  it('when it gets SIGTERM while Postgres is unreachable, then it exits at once', async () => {
    const url = new URL(databaseUrl);
    url.port = String(await freeLoopbackPort());
    const worker = spawnHerald('worker', { DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: temporalAddress() });
    await worker.waitForOutput(/"msg":"waiting for postgres"/, 60_000);
    const exit = await signalAndTime(worker);
    expect(exit, worker.tail()).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(SHUTDOWN_DEADLINE_MS);
  });

  it.each([0, 1_500])('when it gets SIGTERM %i ms into its start-up (connecting, bundling, creating the worker), then it exits', async (delayMs) => {
    const worker = spawnHerald('worker', { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress() });
    await worker.waitForOutput(/"msg":"starting"/, 60_000);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const exit = await signalAndTime(worker);
    expect(exit, worker.tail()).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(SHUTDOWN_DEADLINE_MS);
  });

  it('when it gets SIGTERM while running, then it drains and exits', async () => {
    const worker = spawnHerald('worker', { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress() });
    await worker.waitForOutput(/"msg":"Herald is running"/, 120_000);
    const exit = await signalAndTime(worker);
    expect(exit, worker.tail()).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(SHUTDOWN_DEADLINE_MS);
    expect(worker.printed).toMatch(/"msg":"stopped"/);
  });

  it('when Temporal went away while it ran and then it gets SIGTERM, then it still exits within the deadline', async () => {
    const [host = '', port = ''] = temporalAddress().split(':');
    const temporal = await startTcpProxy(`${host}:${port}`, { listening: false });
    await temporal.restore();
    const worker = spawnHerald('worker', { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: `127.0.0.1:${temporal.port}` });
    await worker.waitForOutput(/"msg":"Herald is running"/, 120_000);
    await temporal.refuse();
    await worker.waitForOutput(/"msg":"waiting for temporal"/, 60_000);
    const exit = await signalAndTime(worker);
    expect(exit.signal, worker.tail()).toBeNull();
    expect(exit.ms).toBeLessThan(SHUTDOWN_DEADLINE_MS + 2_000);
  });
});

describe('herald api', () => {
  it('when it gets SIGTERM while Postgres and Temporal are unreachable, then it exits at once', async () => {
    const url = new URL(databaseUrl);
    url.port = String(await freeLoopbackPort());
    const api = spawnHerald('api', { DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: await closedPort(), API_PORT: String(await freeLoopbackPort()) });
    await api.waitForOutput(/"msg":"waiting for postgres"/, 60_000);
    const exit = await signalAndTime(api);
    expect(exit, api.tail()).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(SHUTDOWN_DEADLINE_MS);
  });
});
