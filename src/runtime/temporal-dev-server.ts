import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { heraldSearchAttributes } from '../../workflows/search-attributes.js';
import type { Logger } from '../logger.js';
import { sleepUnlessAborted } from '../process/abortable.js';
import { guardChild } from '../process/child-guardian.js';
import { stopper } from '../process/stop-child.js';

export interface DevServerOptions {
  readonly cliPath: string;
  /** SQLite file; kept between runs. Omit for an in-memory server. */
  readonly dbFile?: string;
  readonly port: number;
  /** Web UI port; omit for a headless server. */
  readonly uiPort?: number;
  readonly namespace: string;
  readonly logFile?: string;
  readonly extraDynamicConfig?: Record<string, string | number | boolean>;
  readonly logger: Logger;
  /** Aborting it while the server starts stops the server and rejects. */
  readonly signal?: AbortSignal;
}

export interface DevServer {
  readonly address: string;
  readonly pid: number | undefined;
  readonly uiUrl: string | undefined;
  readonly stop: () => Promise<void>;
}

/**
 * Server settings Herald relies on: eager activity dispatch is off by default through server 1.31.
 * And the dev server re-reads search attributes from its database on every use (so that ones
 * created while it runs are visible at once); Herald's are registered by the flags it starts with,
 * so the server's cache may keep them: that saves about ten metadata reads per delivery. (On a
 * database file from a build that lacked one, setupNamespace adds it at start; every service of the
 * server sees it within its cache's minute.)
 */
const baseDynamicConfig: Record<string, string | number | boolean> = {
  'system.enableActivityEagerExecution': true,
  'system.forceSearchAttributesCacheRefreshOnRead': false,
};

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal.throwIfAborted();
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`temporal dev server did not listen on ${port} within ${timeoutMs} ms`);
    await sleepUnlessAborted(200, signal);
  }
}

/** Starts `temporal server start-dev` on loopback and waits until its frontend accepts connections. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  const dynamic = { ...baseDynamicConfig, ...options.extraDynamicConfig };
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1', '--port', String(options.port),
    '--namespace', options.namespace,
    '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF',
    '--log-level', 'warn',
    ...heraldSearchAttributes.flatMap((k) => ['--search-attribute', `${k.name}=${k.type === 'INT' ? 'Int' : 'Keyword'}`]),
    ...Object.entries(dynamic).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
  ];
  if (options.dbFile) mkdirSync(dirname(options.dbFile), { recursive: true });
  // Its own process group: a terminal's Ctrl-C reaches Herald alone, which stops the server after
  // the worker has drained. The server is stopped even if this process is killed (child-guardian).
  const child = guardChild(spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true }), { graceMs: 10_000 });
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    // Neither stream may end the shared file: a write after the first one closed would throw.
    const log = createWriteStream(options.logFile, { flags: 'a' });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('close', () => log.end());
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  const stop = stopper(child, 10_000);
  try {
    await waitForPort(options.port, child, 60_000, options.signal ?? new AbortController().signal);
  } catch (error) {
    await stop();
    throw error;
  }
  options.logger.debug({ port: options.port, dbFile: options.dbFile }, 'temporal dev server listening');
  return {
    address: `127.0.0.1:${options.port}`,
    pid: child.pid,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stop,
  };
}
