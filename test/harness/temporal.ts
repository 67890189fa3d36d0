import { pino } from 'pino';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli.js';
import { startTemporalDevServer, type DevServer } from '../../src/runtime/temporal-dev-server.js';

export const TEST_NAMESPACE = 'herald';

/**
 * One real Temporal dev server (the official CLI) per test run, in memory, headless.
 * TEMPORAL_ADDRESS points the suite at an existing server instead.
 */
export async function startTestTemporal(): Promise<{ address: string; stop(): Promise<void> }> {
  if (process.env.TEMPORAL_ADDRESS) return { address: process.env.TEMPORAL_ADDRESS, stop: async () => undefined };
  const logger = pino({ level: 'info' });
  const cliPath = await ensureTemporalCli(logger);
  const server: DevServer = await startTemporalDevServer({
    cliPath,
    logger,
    namespace: TEST_NAMESPACE,
    port: await freeLoopbackPort(),
    // Small histories make continue-as-new paths run in tests.
    extraDynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 300 },
  });
  return { address: server.address, stop: server.stop };
}

/** A client on the run's dev server for workflow tests (one NativeConnection, shared with test workers). */
export async function connectTestTemporal(address: string) {
  const { NativeConnection } = await import('@temporalio/worker');
  const { Client } = await import('@temporalio/client');
  const connection = await NativeConnection.connect({ address });
  return { connection, client: new Client({ connection, namespace: TEST_NAMESPACE }) };
}
