import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { reachableDataDir } from '../../src/runtime/postgres.js';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli.js';
import { HeraldApi } from '../api-client.js';
import { sleep } from '../clock.js';
import { runToCompletion } from '../herald-process.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { cleanEnv, lockDataDir, retried } from '../stack-support.js';
import type { ServiceKind } from './options.js';
import { heraldService, postgresService, temporalService, type Service } from './services.js';

/**
 * The system under test of a chaos run, in a fresh data dir on free ports: embedded Postgres, a
 * Temporal dev server on a SQLite file, `herald migrate`, then `herald api` and `herald worker`.
 * Any service can be killed and started again by kind. A watchdog plays the process supervisor
 * of a real deployment: a service that dies on its own (not killed by the plan) is recorded as an
 * unplanned exit and started again a second later, so one crash does not end the experiment and
 * still shows in the report.
 */

export interface UnplannedExit {
  readonly kind: ServiceKind;
  /** ms since the epoch */
  readonly at: number;
  readonly restarted: boolean;
  readonly error?: string;
}

export interface ChaosStackOptions {
  readonly dataDir: string;
  /** Env of api and worker beyond the connection settings (RETRY_SCHEDULE, --env). */
  readonly heraldEnv: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
  /**
   * Once aborted, the watchdog stops restarting services: a terminal's Ctrl-C reaches every
   * process of the group, and their exits then are the shutdown, not crashes.
   */
  readonly signal: AbortSignal;
}

export interface ChaosStack {
  readonly api: HeraldApi;
  readonly apiOrigin: string;
  readonly logDir: string;
  /** host:port of the Temporal frontend (the same across restarts). */
  readonly temporalAddress: string;
  readonly unplannedExits: readonly UnplannedExit[];
  pid(kind: ServiceKind): number | null;
  /** kill -9; resolves with the pid once the process is gone. Throws when the service is not up. */
  kill(kind: ServiceKind): Promise<number | null>;
  /** Starts a killed service again (same port, data, env); resolves when it is ready. */
  restart(kind: ServiceKind): Promise<void>;
  stop(): Promise<void>;
}

type State = 'up' | 'down' | 'starting' | 'stopped';

const START_TRIES = 15;

export async function startChaosStack(options: ChaosStackOptions): Promise<ChaosStack> {
  const unlock = lockDataDir(options.dataDir);
  const logDir = join(options.dataDir, 'logs');
  const pgDir = resolve(options.dataDir, 'postgres');
  const temporalDir = resolve(options.dataDir, 'temporal');
  for (const dir of [pgDir, reachableDataDir(pgDir), temporalDir, logDir]) rmSync(dir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });

  const services = new Map<ServiceKind, Service>();
  const state = new Map<ServiceKind, State>();
  const stopAll = async () => {
    for (const kind of ['api', 'worker', 'temporal', 'postgres'] as const) {
      const service = services.get(kind);
      state.set(kind, 'stopped');
      await service?.stop().catch((e: unknown) => options.log(`stopping ${kind} failed: ${String(e)}`));
    }
    unlock();
  };

  try {
    const logger = pino({ level: 'warn' });
    const cliPath = await ensureTemporalCli(logger);
    // Both start at once; whichever did start is stopped again if the other fails.
    const [pgStart, temporalStart] = await Promise.allSettled([
      retried('Postgres', options.log, async () => {
        const pg = postgresService({ dataDir: pgDir, port: await freeLoopbackPort(), logFile: join(logDir, 'postgres.log') });
        await pg.start();
        return pg;
      }),
      retried('Temporal dev server', options.log, async () => {
        rmSync(temporalDir, { recursive: true, force: true });
        const server = temporalService({
          cliPath, logger, port: await freeLoopbackPort(), dbFile: join(temporalDir, 'temporal.db'), logFile: join(logDir, 'temporal.log'),
        });
        await server.start();
        return server;
      }),
    ]);
    if (pgStart.status === 'fulfilled') services.set('postgres', pgStart.value);
    if (temporalStart.status === 'fulfilled') services.set('temporal', temporalStart.value);
    if (pgStart.status === 'rejected') throw pgStart.reason;
    if (temporalStart.status === 'rejected') throw temporalStart.reason;
    const [postgres, temporal] = [pgStart.value, temporalStart.value];
    state.set('postgres', 'up').set('temporal', 'up');

    const apiPort = await freeLoopbackPort();
    const env: Record<string, string> = {
      DATABASE_URL: postgres.databaseUrl(),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'herald',
      API_PORT: String(apiPort),
      API_HOST: '127.0.0.1',
      AES_ENCRYPTION_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      ...options.heraldEnv,
    };
    const childEnv = () => ({ ...cleanEnv(), ...env });
    await runToCompletion('migrate', childEnv(), join(logDir, 'migrate.log'));
    const api = new HeraldApi(`http://127.0.0.1:${apiPort}`, undefined, 8);
    for (const kind of ['worker', 'api'] as const) {
      services.set(kind, heraldService({ kind, env: childEnv, logFile: join(logDir, `${kind}.log`), api }));
    }
    await Promise.all((['worker', 'api'] as const).map(async (kind) => {
      await services.get(kind)!.start();
      state.set(kind, 'up');
    }));

    const unplannedExits: UnplannedExit[] = [];
    // Starts under way; stop() waits for them so a service cannot come up after the run stopped.
    const starting = new Set<Promise<void>>();
    const startAgain = (kind: ServiceKind, afterMs = 0): Promise<void> => {
      state.set(kind, 'starting');
      const run = sleep(afterMs).then(() => startWithRetries(kind));
      starting.add(run);
      void run.catch(() => undefined).finally(() => starting.delete(run));
      return run;
    };
    // Like a process supervisor: a start that fails (api and worker exit when Temporal or Postgres
    // is unreachable at start-up) is tried again, every 2 s, for a while.
    const startWithRetries = async (kind: ServiceKind) => {
      let lastError: unknown;
      for (let attempt = 1; attempt <= START_TRIES; attempt++) {
        if (state.get(kind) === 'stopped') return;
        try {
          await services.get(kind)!.start();
          if (state.get(kind) === 'starting') state.set(kind, 'up');
          return;
        } catch (error) {
          lastError = error;
          options.log(`${kind} failed to start again (try ${attempt}): ${String(error).split('\n')[0]}`);
          await sleep(2_000);
        }
      }
      if (state.get(kind) === 'starting') state.set(kind, 'down');
      throw lastError;
    };
    const watchdog = setInterval(() => {
      if (options.signal.aborted) return;
      for (const [kind, service] of services) {
        if (state.get(kind) !== 'up' || service.pid() !== null) continue;
        options.log(`${kind} exited on its own; starting it again`);
        const exit = { kind, at: Date.now() };
        void startAgain(kind, 1_000).then(
          () => unplannedExits.push({ ...exit, restarted: true }),
          (error: unknown) => unplannedExits.push({ ...exit, restarted: false, error: String(error) }),
        );
      }
    }, 1_000);

    return {
      api,
      apiOrigin: `http://127.0.0.1:${apiPort}`,
      logDir,
      temporalAddress: temporal.address,
      unplannedExits,
      pid: (kind) => services.get(kind)?.pid() ?? null,
      async kill(kind) {
        if (state.get(kind) !== 'up') throw new Error(`${kind} is not up (${state.get(kind) ?? 'unknown'})`);
        state.set(kind, 'down');
        return services.get(kind)!.kill();
      },
      restart: (kind) => startAgain(kind),
      async stop() {
        clearInterval(watchdog);
        for (const kind of services.keys()) state.set(kind, 'stopped');
        await Promise.allSettled([...starting]);
        await api.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
