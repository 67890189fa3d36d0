/**
 * A stand-in for a test run or a bench that gets killed: started as its own process, it starts a
 * Temporal dev server and a `herald worker` on it (DATABASE_URL from the environment), prints
 * `{"temporalPid":…,"workerPid":…}` once the worker runs, then waits to be killed.
 * Used by test/e2e/orphans.test.ts.
 */
import { pino } from 'pino';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli.js';
import { startTemporalDevServer } from '../../src/runtime/temporal-dev-server.js';
import { spawnHerald } from './spawn-herald.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';

const logger = pino({ level: 'warn' });
const server = await startTemporalDevServer({ cliPath: await ensureTemporalCli(logger), logger, namespace: 'herald', port: await freeLoopbackPort() });
const worker = spawnHerald('worker', { DATABASE_URL: process.env.DATABASE_URL ?? '', TEMPORAL_ADDRESS: server.address });
await worker.waitForOutput(/"msg":"Herald is running"/, 120_000);
process.stdout.write(`${JSON.stringify({ temporalPid: server.pid, workerPid: worker.pid })}\n`);
setInterval(() => undefined, 60_000);
