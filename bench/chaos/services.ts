import { createWriteStream, existsSync, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../src/logger.js';
import { reachableDataDir, startEmbeddedPostgres, type RunningEmbeddedPostgres } from '../../src/runtime/postgres.js';
import { startTemporalDevServer, type DevServer } from '../../src/runtime/temporal-dev-server.js';
import type { HeraldApi } from '../api-client.js';
import { sleep } from '../clock.js';
import { HeraldProcess } from '../herald-process.js';
import { findProcess } from '../procfs.js';
import type { ServiceKind } from './options.js';
import { isProcessAlive as isAlive } from '../../src/process/alive.js';
import { killHard, own } from './process-control.js';

/**
 * The four processes a chaos run kills, each behind one small interface. `start` brings the
 * service up on the SAME port, data and env every time (the first start fixes them), so a restart
 * after kill -9 is what a supervisor would do on the same host: Postgres recovers from its WAL on
 * the same data dir, Temporal reopens the same SQLite file, api and worker come back with the same
 * env. Unlike the bench's stack, which owns its services privately, these can be killed one by one.
 */

export interface Service {
  readonly kind: ServiceKind;
  /** The process to kill; null while it is not running. */
  pid(): number | null;
  start(): Promise<void>;
  /** kill -9 (Postgres: the postmaster and every backend at once); resolves when gone. */
  kill(): Promise<number | null>;
  /** Orderly stop at the end of the run. */
  stop(): Promise<void>;
}

/** The message of the last JSON log line that has one (Herald logs JSON), else the raw tail. */
function lastLoggedError(tail: string): string {
  for (const line of tail.split('\n').reverse()) {
    try {
      const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
      if (entry.err?.message || entry.msg) return [entry.msg, entry.err?.message].filter(Boolean).join(': ');
    } catch {
      // not JSON
    }
  }
  return tail;
}

function appendLog(file: string): WriteStream {
  return createWriteStream(file, { flags: 'a' });
}

/** Embedded Postgres on one data dir and port. A stale postmaster.pid with a dead pid is left to Postgres, which replaces it. */
export function postgresService(options: { dataDir: string; port: number; logFile: string }): Service & { databaseUrl(): string } {
  const log = appendLog(options.logFile);
  let running: RunningEmbeddedPostgres | null = null;
  let disown: (() => void) | null = null;
  const pidFile = join(reachableDataDir(options.dataDir), 'postmaster.pid');
  const pid = () => {
    const value = existsSync(pidFile) ? Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10) : NaN;
    return Number.isInteger(value) && isAlive(value) ? value : null;
  };
  return {
    kind: 'postgres',
    pid,
    databaseUrl: () => {
      if (!running) throw new Error('Postgres is not running');
      return running.databaseUrl;
    },
    async start() {
      running = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.port, onLog: (m) => log.write(m) });
      const started = pid();
      disown = started === null ? null : own(started);
    },
    async kill() {
      const victim = pid();
      running = null;
      if (victim !== null) await killHard(victim, { tree: true });
      disown?.();
      return victim;
    },
    async stop() {
      await running?.stop();
      running = null;
      disown?.();
      log.end();
    },
  };
}

/** `temporal server start-dev` on one port and one SQLite file (the pragmas of `npm start`). */
export function temporalService(options: { cliPath: string; logger: Logger; port: number; dbFile: string; logFile: string }): Service & { address: string } {
  let server: DevServer | null = null;
  let serverPid: number | null = null;
  let disown: (() => void) | null = null;
  return {
    kind: 'temporal',
    address: `127.0.0.1:${options.port}`,
    pid: () => (serverPid !== null && isAlive(serverPid) ? serverPid : null),
    async start() {
      server = await startTemporalDevServer({
        cliPath: options.cliPath, logger: options.logger, namespace: 'herald', port: options.port,
        dbFile: options.dbFile, logFile: options.logFile,
      });
      serverPid = await findProcess(['start-dev', `--port ${options.port} `]);
      disown = serverPid === null ? null : own(serverPid);
    },
    async kill() {
      const victim = serverPid;
      server = null;
      serverPid = null;
      if (victim !== null) await killHard(victim, { tree: false });
      disown?.();
      return victim;
    },
    async stop() {
      await server?.stop();
      server = null;
      disown?.();
    },
  };
}

/** `herald api` or `herald worker` as a child process; the api counts as started once /healthz answers 200. */
export function heraldService(options: {
  kind: 'api' | 'worker';
  env: () => NodeJS.ProcessEnv;
  logFile: string;
  api: HeraldApi;
}): Service {
  let proc: HeraldProcess | null = null;
  let disown: (() => void) | null = null;
  return {
    kind: options.kind,
    pid: () => (proc?.running ? proc.pid : null),
    async start() {
      const started = HeraldProcess.start(options.kind, { env: options.env(), logFile: options.logFile });
      proc = started;
      disown = started.pid === null ? null : own(started.pid);
      if (options.kind !== 'api') return;
      const deadline = Date.now() + 120_000;
      while (!(await options.api.healthy())) {
        if (!started.running) throw new Error(`herald api exited during start-up: ${lastLoggedError(started.tail(5))}`);
        if (Date.now() > deadline) throw new Error(`herald api not healthy after 120 s:\n${started.tail()}`);
        await sleep(200);
      }
    },
    async kill() {
      const victim = proc?.running ? proc.pid : null;
      if (victim !== null) await killHard(victim, { tree: false });
      await proc?.exited;
      disown?.();
      return victim;
    },
    async stop() {
      await proc?.stop();
      disown?.();
    },
  };
}
