import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { reachableDataDir, startEmbeddedPostgres } from '../src/runtime/postgres.js';
import { HeraldApi } from './api-client.js';
import { now, sleep } from './clock.js';
import { HeraldProcess, runToCompletion } from './herald-process.js';
import { freeLoopbackPort } from '../src/runtime/ports.js';
import { startBenchRabbitMq } from './rabbitmq.js';
import { cleanEnv, createStopList, lockDataDir, retried } from './stack-support.js';
import { startBenchTemporal, type TemporalChoice, type TemporalDescription } from './temporal-choice.js';

/**
 * The system under test. Three modes:
 * - own stack (default): embedded Postgres and a Temporal dev server (file-backed SQLite with the
 *   same pragmas as `npm start`), or a real multi-shard server (`--temporal`), in a FRESH data dir
 *   on free ports, `herald migrate`, then `herald start` (or `herald api` and `herald worker`) as
 *   child processes, so /proc attributes resources per process and the backlog scenario starts
 *   from an empty Temporal;
 * - given services (`--database-url`, `--temporal-address`): the same, minus the embedded pieces;
 * - external deployment (`--api`): nothing is started; resources are unavailable, and the
 *   deployment's own retry schedule applies (the bench cannot restart it).
 */

export interface StackOptions {
  readonly dataDir: string;
  readonly apiUrl?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly databaseUrl?: string | undefined;
  readonly temporalAddress?: string | undefined;
  readonly taskQueue?: string | undefined;
  /** Extra env for api and worker (`--env KEY=VALUE`); wins over the bench's own. */
  readonly env: Readonly<Record<string, string>>;
  /** Scenario env for the first start of api and worker (e.g. RETRY_SCHEDULE). */
  readonly initialEnv: Readonly<Record<string, string>>;
  readonly cpuProf: boolean;
  /**
   * Run `herald start` (API and worker in one process, sharing one Temporal connection, which
   * allows eager workflow start) instead of two processes; `pids.api` is then that process.
   */
  readonly singleProcess: boolean;
  readonly temporal: TemporalChoice;
  readonly temporalDb: 'file' | 'memory';
  readonly temporalDynamicConfig: Readonly<Record<string, string | number | boolean>>;
  readonly connections: number;
  /**
   * A broker for the rabbitmq scenario: null when no scenario needs one; else the given URL, or
   * undefined for a node of the bench's own (started beside Postgres and Temporal, stopped with them).
   */
  readonly rabbitmq: { readonly url: string | undefined } | null;
  readonly log: (line: string) => void;
}

export interface Stack {
  readonly api: HeraldApi;
  readonly apiUrl: string;
  /** True when the bench runs api + worker itself (and can restart them with other env). */
  readonly managed: boolean;
  readonly temporalAddress: string | null;
  /** Which Temporal the bench started (null when given one) and its metrics endpoint when known. */
  readonly temporal: TemporalDescription | null;
  readonly temporalMetricsUrl: string | null;
  /** The broker of the rabbitmq scenario (AMQP URL with credentials); null when not asked for. */
  readonly rabbitmq: { readonly url: string } | null;
  /** Herald's Postgres, when the bench knows it (own stack, or `--database-url`). */
  readonly databaseUrl: string | null;
  readonly logDir: string;
  readonly profileDir: string | null;
  readonly pids: {
    readonly api: () => number | null;
    readonly worker: () => number | null;
    readonly temporal: () => number | null;
    readonly postgres: () => number | null;
    /** The broker's Erlang VM when the bench started it. */
    readonly rabbitmq: () => number | null;
  };
  /** Which start of api + worker is running (1, 2, …) and when it was spawned (`now()` clock). */
  readonly generation: () => { readonly number: number; readonly spawnedAt: number };
  /** The env api and worker currently run with (bench-chosen keys only). */
  readonly heraldEnv: () => Readonly<Record<string, string>>;
  /** Restarts api and worker with `env` merged over the base env; resolves when the API is healthy. */
  restart(env: Readonly<Record<string, string>>): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  if (options.apiUrl) return externalStack(options);
  const unlock = lockDataDir(options.dataDir);
  const logDir = join(options.dataDir, 'logs');
  const profileDir = options.cpuProf ? join(logDir, 'profiles') : null;
  const pgDir = resolve(options.dataDir, 'postgres');
  const temporalDir = resolve(options.dataDir, 'temporal');
  const rabbitDir = resolve(options.dataDir, 'rabbitmq');
  // Fresh per run: the backlog scenario must start from an empty Temporal and the numbers must not
  // depend on what an earlier run left behind.
  for (const dir of [pgDir, reachableDataDir(pgDir), temporalDir, rabbitDir, logDir]) rmSync(dir, { recursive: true, force: true });

  const stops = createStopList(options.log);
  stops.add(async () => unlock());
  const stopAll = () => stops.stopAll();
  try {
    const logger = pino({ level: 'warn' });
    const postgres = (async () => {
      if (options.databaseUrl) return options.databaseUrl;
      const pg = await retried('Postgres', options.log, async () => startEmbeddedPostgres({ dataDir: pgDir, port: await freeLoopbackPort() }));
      stops.add(pg.stop);
      return pg.databaseUrl;
    })();
    const rabbitmq = (async () => {
      if (!options.rabbitmq) return null;
      const broker = await startBenchRabbitMq(rabbitDir, options.rabbitmq.url, options.log);
      stops.add(() => broker.stop());
      return broker;
    })();
    const [databaseUrl, temporal, broker] = await Promise.all([
      postgres,
      (async () => {
        if (options.temporalAddress) return { address: options.temporalAddress, pid: null, metricsUrl: null, description: null };
        // A server on Postgres registers its stop after Postgres's, so it is stopped before it.
        const server = await startBenchTemporal(options.temporal, {
          dir: temporalDir, logDir, logger, log: options.log, devDb: options.temporalDb,
          dynamicConfig: options.temporalDynamicConfig, postgresUrl: () => postgres,
        });
        stops.add(server.stop);
        return server;
      })(),
      rabbitmq,
    ]);
    const postmasterPid = () => {
      if (options.databaseUrl) return null;
      const file = join(reachableDataDir(pgDir), 'postmaster.pid');
      const pid = existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10) : NaN;
      return Number.isInteger(pid) ? pid : null;
    };
    const temporalPid = temporal.pid;

    const apiPort = await freeLoopbackPort();
    const base: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'herald',
      ...(options.taskQueue ? { TEMPORAL_TASK_QUEUE: options.taskQueue } : {}),
      API_PORT: String(apiPort),
      API_HOST: '127.0.0.1',
      AES_ENCRYPTION_SECRET: randomBytes(32).toString('hex'),
      DESTINATIONS_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      ...(options.apiKey ? { API_KEY: options.apiKey } : {}),
    };
    options.log(`migrating ${options.databaseUrl ? 'the given database' : 'embedded Postgres'}`);
    await runToCompletion('migrate', { ...cleanEnv(), ...base }, join(logDir, 'migrate.log'));

    let api: HeraldProcess | undefined;
    let worker: HeraldProcess | undefined;
    let current: Record<string, string> = {};
    let generation = 0;
    let spawnedAt = 0;
    const client = new HeraldApi(`http://127.0.0.1:${apiPort}`, options.apiKey, options.connections);
    const spawnBoth = async (extra: Readonly<Record<string, string>>) => {
      generation += 1;
      spawnedAt = now();
      current = { ...base, ...extra, ...options.env };
      const env = { ...cleanEnv(), ...current };
      const nodeArgs = (role: string) =>
        // One directory per process: Node writes a profile per thread, named by pid and thread id.
        profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, `${role}-${generation}`)}`] : [];
      if (options.singleProcess) {
        // With DATABASE_URL and TEMPORAL_ADDRESS set, `herald start` starts no services of its own.
        api = HeraldProcess.start('start', { env: { ...env, HERALD_DATA_DIR: options.dataDir }, logFile: join(logDir, 'start.log'), nodeArgs: nodeArgs('start') });
      } else {
        api = HeraldProcess.start('api', { env, logFile: join(logDir, 'api.log'), nodeArgs: nodeArgs('api') });
        worker = HeraldProcess.start('worker', { env, logFile: join(logDir, 'worker.log'), nodeArgs: nodeArgs('worker') });
      }
      const deadline = Date.now() + 120_000;
      while (!(await client.healthy())) {
        for (const p of [api, worker].filter((x) => x !== undefined)) {
          if (!p.running) throw new Error(`herald ${p.command} exited during start-up:\n${p.tail()}`);
        }
        if (Date.now() > deadline) throw new Error(`herald api not healthy after 120 s:\n${api.tail()}`);
        await sleep(200);
      }
    };
    const stopBoth = async () => {
      await Promise.all([api?.stop(), worker?.stop()]);
    };
    stops.add(stopBoth);
    await spawnBoth(options.initialEnv);

    return {
      api: client,
      apiUrl: `http://127.0.0.1:${apiPort}/api/v1`,
      managed: true,
      temporalAddress: temporal.address,
      temporal: temporal.description,
      temporalMetricsUrl: temporal.metricsUrl,
      rabbitmq: broker ? { url: broker.url } : null,
      databaseUrl,
      logDir,
      profileDir,
      pids: {
        api: () => (api?.running ? api.pid : null),
        worker: () => (worker?.running ? worker.pid : null),
        temporal: () => temporalPid,
        postgres: postmasterPid,
        rabbitmq: () => broker?.pid ?? null,
      },
      generation: () => ({ number: generation, spawnedAt }),
      heraldEnv: () => Object.fromEntries(Object.entries(current).filter(([k]) => !['AES_ENCRYPTION_SECRET', 'API_KEY', 'DATABASE_URL'].includes(k))),
      async restart(extra) {
        await stopBoth();
        await spawnBoth(extra);
      },
      async stop() {
        await client.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function externalStack(options: StackOptions): Stack {
  const api = new HeraldApi(options.apiUrl!, options.apiKey, options.connections);
  return {
    api,
    apiUrl: options.apiUrl!,
    managed: false,
    temporalAddress: options.temporalAddress ?? null,
    temporal: null,
    temporalMetricsUrl: null,
    // A deployment elsewhere cannot reach a broker on this machine's loopback: only a given one.
    rabbitmq: options.rabbitmq?.url ? { url: options.rabbitmq.url } : null,
    databaseUrl: options.databaseUrl ?? null,
    logDir: join(options.dataDir, 'logs'),
    profileDir: null,
    pids: { api: () => null, worker: () => null, temporal: () => null, postgres: () => null, rabbitmq: () => null },
    generation: () => ({ number: 0, spawnedAt: 0 }),
    heraldEnv: () => ({}),
    restart: async () => {
      throw new Error('cannot restart an external deployment');
    },
    stop: () => api.close(),
  };
}
