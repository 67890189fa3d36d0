import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { heraldSearchAttributes } from '../../workflows/definitions.js';
import type { Logger } from '../logger.js';
import { sleepUnlessAborted } from '../process/abortable.js';
import { guardChild } from '../process/child-guardian.js';
import { registerNamespace, setupNamespace } from '../temporal/namespace-setup.js';
import type { TemporalServerBinaries } from './temporal-server.js';
import { TEMPORAL_SERVER_VERSION } from './temporal-server.js';
import {
  DEFAULT_HISTORY_SHARDS, TEMPORAL_SERVER_PORT_NAMES, temporalDynamicConfig, temporalServerConfig, toYamlText,
  type TemporalPersistenceKind, type TemporalServerPersistence, type TemporalServerPorts,
} from './temporal-server-config.js';
import { setupTemporalPostgresSchema, temporalPostgresFromUrl } from './temporal-server-schema.js';

export interface TemporalServerOptions {
  readonly binaries: TemporalServerBinaries;
  readonly persistence: TemporalPersistenceKind;
  /** Config, SQLite files and nothing else; reused by the next start (a fresh dir is a fresh server). */
  readonly dataDir: string;
  /** With `postgres`: a URL of the server whose user may create databases (its own database part is ignored). */
  readonly postgresUrl?: string;
  /** Registered with Herald's search attributes before the start resolves. */
  readonly namespace: string;
  readonly retentionDays?: number;
  /** Fixed ports; the others come from `freePort` (default `freeServerPort`; membership ports must be below 32768). */
  readonly ports?: Partial<TemporalServerPorts>;
  readonly freePort?: () => Promise<number>;
  readonly historyShards?: number;
  readonly extraDynamicConfig?: Readonly<Record<string, string | number | boolean>>;
  /** Server output; without it, only the last lines are kept (for error messages). */
  readonly logFile?: string;
  readonly logger: Logger;
  /** Aborting it while the server starts stops the server and rejects. */
  readonly signal?: AbortSignal;
  /** Until the namespace is usable (default 120 s). */
  readonly startTimeoutMs?: number;
}

export interface TemporalServer {
  readonly address: string;
  readonly pid: number | undefined;
  readonly metricsUrl: string;
  /** What runs, for reports. */
  readonly description: { readonly version: string; readonly persistence: TemporalPersistenceKind; readonly historyShards: number };
  readonly stop: () => Promise<void>;
}

const portIsFree = (port: number) => new Promise<boolean>((done) => {
  const server = createServer().once('error', () => done(false));
  server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
});

/**
 * A free loopback port below 32768: Temporal's SQL schemas store membership ports as smallint,
 * and Linux's ephemeral range (where the OS picks a free port) starts above it.
 */
export async function freeServerPort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port in 20000-32767');
}

async function allocatePorts(fixed: Partial<TemporalServerPorts>, freePort: () => Promise<number>): Promise<TemporalServerPorts> {
  const taken = new Set(Object.values(fixed));
  const ports: Partial<Record<keyof TemporalServerPorts, number>> = { ...fixed };
  for (const name of TEMPORAL_SERVER_PORT_NAMES) {
    while (ports[name] === undefined) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        ports[name] = port;
      }
    }
  }
  return ports as TemporalServerPorts;
}

async function persistenceFor(options: TemporalServerOptions, dataDir: string): Promise<TemporalServerPersistence> {
  if (options.persistence === 'sqlite') {
    return { kind: 'sqlite', file: join(dataDir, 'temporal.db'), visibilityFile: join(dataDir, 'temporal-visibility.db') };
  }
  if (!options.postgresUrl) throw new Error('startTemporalServer: persistence postgres needs postgresUrl');
  const target = temporalPostgresFromUrl(options.postgresUrl);
  await setupTemporalPostgresSchema(options.binaries.sqlTool, target);
  return { kind: 'postgres', ...target };
}

/**
 * Starts a real Temporal server (`temporal-server start`, all services in one process, several
 * history shards) on loopback, from a config generated into `dataDir`; with Postgres, creates and
 * migrates its schema first. Resolves once the namespace exists and Herald's search attributes
 * can be queried. The server is guarded: it never outlives this process.
 */
export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  const dataDir = resolve(options.dataDir);
  const configDir = join(dataDir, 'config');
  mkdirSync(configDir, { recursive: true });
  const ports = await allocatePorts(options.ports ?? {}, options.freePort ?? freeServerPort);
  const persistence = await persistenceFor(options, dataDir);
  const historyShards = options.historyShards ?? DEFAULT_HISTORY_SHARDS[options.persistence];
  const dynamicConfigFile = join(dataDir, 'dynamic-config.yaml');
  const header = `Generated by Herald at each start (src/runtime/temporal-server-config.ts); edits are overwritten.`;
  writeFileSync(dynamicConfigFile, toYamlText(temporalDynamicConfig(options.extraDynamicConfig ?? {}), header));
  // The config loader reads <root>/<config dir>/<env>.yaml; `herald` is the env name.
  writeFileSync(join(configDir, 'herald.yaml'), toYamlText(temporalServerConfig({ persistence, ports, historyShards, dynamicConfigFile }), header), { mode: 0o600 });

  const args = ['--root', dataDir, '--config', 'config', '--env', 'herald', '--allow-no-auth', 'start'];
  // Its own process group, like the dev server: Ctrl-C reaches the owner, which stops the server last.
  const child = guardChild(spawn(options.binaries.server, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true }), { graceMs: 15_000 });
  const tail = captureOutput(child, options.logFile);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => { clearTimeout(kill); done(); });
      child.kill('SIGTERM');
    }));
  const address = `127.0.0.1:${ports.frontend}`;
  try {
    await waitUntilUsable(address, child, tail, options);
  } catch (error) {
    await stop();
    throw error;
  }
  options.logger.debug({ address, persistence: options.persistence, historyShards }, 'temporal server ready');
  return {
    address,
    pid: child.pid,
    metricsUrl: `http://127.0.0.1:${ports.metrics}/metrics`,
    description: { version: TEMPORAL_SERVER_VERSION, persistence: options.persistence, historyShards },
    stop,
  };
}

function captureOutput(child: ChildProcess, logFile: string | undefined): () => string {
  let last = '';
  const keep = (chunk: Buffer) => { last = (last + chunk.toString()).slice(-4000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true });
    // Both streams go into one file: neither may end it (the server writes to one after the
    // other has closed), so it ends once the child's streams have all closed.
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('close', () => log.end());
  }
  return () => last;
}

const accepts = (port: number) => new Promise<boolean>((done) => {
  const socket = createConnection({ host: '127.0.0.1', port }, () => { socket.end(); done(true); });
  socket.on('error', () => done(false));
});

/** A visibility query naming every Herald search attribute: it fails until the namespace and all of them are known. */
const probeQuery = heraldSearchAttributes.map((k) => (k.type === 'INT' ? `${k.name} = 0` : `${k.name} = "probe"`)).join(' AND ');

/**
 * Polls, in order: the frontend port; namespace registration (fails while the services are still
 * joining); search attributes; then the probe query, which succeeds once the frontend's namespace
 * cache (refreshed every few seconds) has the namespace and its attributes.
 */
async function waitUntilUsable(address: string, child: ChildProcess, tail: () => string, options: TemporalServerOptions): Promise<void> {
  const signal = options.signal ?? new AbortController().signal;
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  const { namespace, logger } = options;
  let connection: Connection | undefined;
  // Set by the second step, before any step that uses it.
  const using = () => connection!;
  const steps: readonly { readonly name: string; readonly run: () => Promise<unknown> }[] = [
    { name: 'frontend port', run: async () => { if (!(await accepts(Number(address.split(':')[1])))) throw new Error('not listening yet'); } },
    { name: 'connection', run: async () => { connection = await Connection.connect({ address, connectTimeout: 5_000 }); } },
    { name: 'namespace registration', run: () => registerNamespace(using(), { namespace, retentionDays: options.retentionDays }) },
    { name: 'search attributes', run: () => setupNamespace(using(), { namespace, logger }) },
    { name: 'namespace and search attributes visible', run: () => using().workflowService.listWorkflowExecutions({ namespace, query: probeQuery, pageSize: 1 }) },
  ];
  try {
    for (const step of steps) {
      for (;;) {
        signal.throwIfAborted();
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`temporal server exited (${child.exitCode ?? child.signalCode}) while waiting for: ${step.name}\n${tail()}`);
        }
        const failure = await step.run().then(() => null, (error: unknown) => error);
        if (failure === null) break;
        if (Date.now() > deadline) {
          const reason = failure instanceof Error ? failure.message : JSON.stringify(failure);
          throw new Error(`temporal server not usable within ${timeoutMs} ms, waiting for: ${step.name} (${reason})\n${tail()}`);
        }
        await sleepUnlessAborted(250, signal);
      }
    }
  } finally {
    await connection?.close();
  }
}
