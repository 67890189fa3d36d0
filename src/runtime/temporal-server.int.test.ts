import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryHandle, publish, tenantWithWebhook, uid } from '../../test/e2e/fixtures.js';
import { startTestHerald, type TestHerald } from '../../test/harness/herald.js';
import { startReceiver, type Receiver } from '../../test/harness/receiver.js';
import { isProcessAlive } from '../process/alive.js';
import { ensureTemporalServer } from './temporal-server.js';
import { startTemporalServer, type TemporalServer } from './temporal-server-process.js';

/**
 * Herald end to end on the real Temporal server (4 history shards on SQLite) instead of the dev
 * server. The test run's global setup builds the server into the cache when it is not there yet.
 */
describe('Herald on a real multi-shard Temporal server', () => {
  let dataDir: string;
  let server: TemporalServer | undefined;
  let herald: TestHerald | undefined;
  let receiver: Receiver | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'herald-temporal-server-'));
    server = await startTemporalServer({
      binaries: await ensureTemporalServer(pino({ level: 'silent' })), persistence: 'sqlite', dataDir, namespace: 'herald',
      logger: pino({ level: 'silent' }), logFile: join(dataDir, 'server.log'), startTimeoutMs: 120_000,
    });
    herald = await startTestHerald({}, { temporalAddress: server.address });
    receiver = await startReceiver();
  }, 180_000);

  afterAll(async () => {
    await herald?.close();
    await receiver?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('when an event is published, then it is delivered through the 4-shard server and the server stops without leaving its process', async () => {
    const info = await herald!.ctx.connection.workflowService.getClusterInfo({});
    expect(info.historyShardCount).toBe(4);

    const path = `/${uid('real-server')}`;
    const { tenantId, destinationId } = await tenantWithWebhook(herald!, receiver!.url + path);
    const published = await publish(herald!, { tenant_id: tenantId, data: { order: 7 } });
    const result = await deliveryHandle(herald!, tenantId, published.id, destinationId).result();
    expect(result).toEqual({ status: 'delivered', attemptCount: 1 });
    const received = receiver!.received.filter((r) => r.path === path);
    expect(received.map((r) => JSON.parse(r.body) as unknown)).toEqual([{ order: 7 }]);
    expect(received[0]!.headers['x-outpost-event-id']).toBe(published.id);

    const pid = server!.pid!;
    await herald!.close();
    herald = undefined;
    await server!.stop();
    expect(isProcessAlive(pid)).toBe(false);
  }, 120_000);
});
