/**
 * The floor process: the smallest program that does what `herald start` does per delivery, so
 * the bench can put Herald's cost beside Temporal's own. Spawned by the bench as
 * `node --import tsx bench/floor/floor-process.ts --task-queue Q --port P`, with Herald's
 * environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, WORKER_*: read through Herald's config loader,
 * so `--env WORKER_...` applies to both).
 *
 * One NativeConnection shared by a Worker (Herald's slot options and workflow cache, the floor
 * workflow) and a Client, and a `node:http` server with one route, the analog of Herald's publish:
 * `POST /start` {workflowId, url, body} starts the floor workflow with eager start and answers
 * 202 once the start has returned. Prints `floor ready` when it serves; SIGTERM stops it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { Runtime, Worker, bundleWorkflowCode, makeTelemetryFilterString } from '@temporalio/worker';
import { loadConfig } from '../../src/config/config.js';
import { connectTemporal } from '../../src/temporal/connection.js';
import { sharedWorkflowModules, workerSlotOptions } from '../../src/temporal/worker.js';
import { createFloorActivities, type FloorInput } from './floor-activity.js';
import type { floorWorkflow } from './floor-workflow.js';

const { values: args } = parseArgs({ options: { 'task-queue': { type: 'string' }, port: { type: 'string' } } });
const port = Number(args.port);
if (!args['task-queue'] || !Number.isInteger(port)) throw new Error('usage: floor-process.ts --task-queue NAME --port N');
const taskQueue: string = args['task-queue'];

const config = loadConfig(process.env, { encryption: false });
const address = config.temporal.address;
if (!address) throw new Error('TEMPORAL_ADDRESS is required');
const { namespace } = config.temporal;

// As Herald's runtime (src/process/temporal-runtime.ts): no signal handlers of its own, core logs at WARN.
const warn = (message: string) => process.stderr.write(`${message}\n`);
const drop = () => undefined;
Runtime.install({
  shutdownSignals: [],
  logger: { log: (level, m) => (level === 'WARN' || level === 'ERROR' ? warn(m) : undefined), trace: drop, debug: drop, info: drop, warn, error: warn },
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
});

const silent = { log: drop, trace: drop, debug: drop, info: drop, warn: drop, error: drop };
// Herald's bundle options too: the SDK's workflow API and the workflow module evaluated once per context.
const floorWorkflowPath = fileURLToPath(new URL('./floor-workflow.ts', import.meta.url));
const workflowBundle = await bundleWorkflowCode({ workflowsPath: floorWorkflowPath, preloadModules: sharedWorkflowModules(floorWorkflowPath), logger: silent });
const connection = await connectTemporal(config.temporal, address);
const { activities, close: closeActivities } = createFloorActivities(config.destinations.userAgent);
const worker = await Worker.create({
  connection, namespace, taskQueue, workflowBundle, activities,
  ...workerSlotOptions(config.worker),
  maxCachedWorkflows: config.worker.maxCachedWorkflows,
  shutdownGraceTime: '10s',
});
const running = worker.run();
const client = new Client({ connection, namespace });

interface StartRequest {
  readonly workflowId: string;
  readonly url: string;
  readonly body: string;
}

function parseStart(text: string): StartRequest | null {
  const value = JSON.parse(text) as Partial<Record<keyof StartRequest, unknown>>;
  const { workflowId, url, body } = value;
  return typeof workflowId === 'string' && typeof url === 'string' && typeof body === 'string' ? { workflowId, url, body } : null;
}

async function start(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const input = parseStart(Buffer.concat(chunks).toString('utf8'));
  if (!input) {
    res.writeHead(400).end('expected {workflowId, url, body}');
    return;
  }
  const args: FloorInput = { url: input.url, eventId: input.workflowId, body: input.body };
  const handle = await client.workflow.start<typeof floorWorkflow>('floorWorkflow', {
    taskQueue, workflowId: input.workflowId, args: [args], requestEagerStart: true,
  });
  res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ eagerly_started: handle.eagerlyStarted }));
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.method !== 'POST' || req.url !== '/start') {
    req.resume();
    res.writeHead(404).end();
    return;
  }
  start(req, res).catch((error: unknown) => {
    if (!res.headersSent) res.writeHead(500).end(error instanceof Error ? error.message : String(error));
  });
});
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', () => resolve());
});
process.stdout.write(`floor ready on 127.0.0.1:${port}, task queue ${taskQueue}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  server.close();
  worker.shutdown();
  await running;
  await closeActivities();
  await connection.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
running.catch((error: unknown) => {
  warn(`floor worker failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
