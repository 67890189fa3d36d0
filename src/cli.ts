import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { startApi } from './api/server.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createContext } from './context.js';
import { migrateUp } from './db/migrate.js';
import { createLogger, type Logger } from './logger.js';
import { startLocalStack } from './runtime/local-stack.js';
import { startLocalSinkBrokers } from './runtime/local-sinks.js';
import { setupNamespace } from './temporal/namespace-setup.js';
import { startWorker } from './temporal/run-worker.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const usage = `Usage: herald <command>

  start     all-in-one: API + worker, with embedded Postgres and a Temporal dev server
            for whatever DATABASE_URL / TEMPORAL_ADDRESS leave unset
  api       the REST API only (DATABASE_URL, TEMPORAL_ADDRESS)
  worker    the delivery worker only (DATABASE_URL, TEMPORAL_ADDRESS)
  migrate   apply database migrations to DATABASE_URL
`;

/** Defaults that make `herald start` useful on a laptop; explicit env always wins. */
function applyStartDefaults(dataDir: string): void {
  const secretsFile = join(dataDir, 'dev-secrets.json');
  if (!process.env.AES_ENCRYPTION_SECRET) {
    mkdirSync(dataDir, { recursive: true });
    if (!existsSync(secretsFile)) {
      writeFileSync(secretsFile, JSON.stringify({ AES_ENCRYPTION_SECRET: randomBytes(32).toString('hex') }), { mode: 0o600 });
    }
    process.env.AES_ENCRYPTION_SECRET = (JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>).AES_ENCRYPTION_SECRET;
  }
  const defaults: Record<string, string> = {
    API_HOST: '127.0.0.1',
    LOG_FORMAT: process.stdout.isTTY ? 'pretty' : 'json',
    TEMPORAL_RETENTION_DAYS: '30',
    DESTINATIONS_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
  };
  for (const [key, value] of Object.entries(defaults)) process.env[key] ??= value;
}

function installTemporalRuntime(logger: Logger): void {
  const log = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: {
      log: (level, message, meta) => log[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'info')](meta ?? {}, message),
      trace: (m, meta) => log.trace(meta ?? {}, m), debug: (m, meta) => log.debug(meta ?? {}, m),
      info: (m, meta) => log.info(meta ?? {}, m), warn: (m, meta) => log.warn(meta ?? {}, m),
      error: (m, meta) => log.error(meta ?? {}, m),
    },
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
}

function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let firstAt = 0;
  const handler = (signal: string) => {
    // A terminal's Ctrl-C reaches every process of the group, and wrappers relay it too: only a
    // repeat well after the first counts as "force".
    if (firstAt > 0) {
      if (Date.now() - firstAt < 2000) return;
      logger.warn('second signal: exiting now');
      process.exit(130);
    }
    firstAt = Date.now();
    logger.info({ signal }, 'shutting down (Ctrl-C again to force)');
    stop().then(() => process.exit(0), (err: unknown) => { logger.error({ err }, 'shutdown failed'); process.exit(1); });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

let localBrokers: { stop(): Promise<void> } | undefined;

async function run(command: string, config: Config, logger: Logger): Promise<void> {
  if (command === 'migrate') {
    if (!config.db.url) throw new ConfigError(['DATABASE_URL: is required for migrate']);
    const applied = await migrateUp(config.db.url);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database is up to date');
    return;
  }
  installTemporalRuntime(logger);
  const dataDir = process.env.HERALD_DATA_DIR ?? join(repoRoot, '.herald');
  const stack = command === 'start'
    ? await startLocalStack({
        config, logger, dataDir,
        postgresPort: Number(process.env.HERALD_POSTGRES_PORT ?? 5433),
        temporalPort: Number(process.env.HERALD_TEMPORAL_PORT ?? 7233),
        temporalUiPort: Number(process.env.HERALD_TEMPORAL_UI_PORT ?? 8233),
      })
    : undefined;
  const databaseUrl = stack?.databaseUrl ?? config.db.url;
  if (!databaseUrl) throw new ConfigError(['DATABASE_URL: is required for `herald api` and `herald worker`']);
  const temporalAddress = stack?.temporalAddress ?? config.temporal.address ?? '127.0.0.1:7233';
  const ctx = await createContext(config, logger, { databaseUrl, temporalAddress }, { inProcessWorker: command === 'start' });
  if (config.temporal.setupNamespace) {
    await setupNamespace(ctx.connection, { namespace: config.temporal.namespace, retentionDays: config.temporal.retentionDays, logger });
  }
  const worker = command !== 'api' ? await startWorker(ctx) : undefined;
  const api = command !== 'worker' ? await startApi(ctx) : undefined;
  worker?.done.catch((err: unknown) => { logger.fatal({ err }, 'worker failed'); process.exit(1); });

  onShutdown(logger, async () => {
    await api?.close();
    await worker?.close();
    await ctx.close();
    await stack?.stop();
    await localBrokers?.stop();
  });
  logger.info({
    api: api ? `${api.url}/api/v1` : undefined,
    worker: worker ? `task queue ${config.temporal.taskQueue}` : undefined,
    temporal: `${temporalAddress} (namespace ${config.temporal.namespace})`,
    temporalUi: stack?.temporalUiUrl,
    postgres: stack?.embedded.postgres ? 'embedded' : 'DATABASE_URL',
  }, 'Herald is running');
  if (stack && process.stdout.isTTY) {
    console.log(`\n  API          ${api?.url}/api/v1\n  Temporal UI  ${stack.temporalUiUrl ?? '(external cluster)'}\n  Temporal     ${temporalAddress}\n  Data         ${dataDir}\n\n  Ctrl-C stops everything.\n`);
  }
}

const command = process.argv[2] ?? '';
if (!['start', 'api', 'worker', 'migrate'].includes(command)) {
  process.stderr.write(usage);
  process.exit(command === '--help' || command === 'help' ? 0 : 2);
}
if (command === 'start') applyStartDefaults(process.env.HERALD_DATA_DIR ?? join(repoRoot, '.herald'));
let logger: Logger = createLogger({ level: 'info', format: 'json' });
try {
  if (command === 'start') {
    const sinks = await startLocalSinkBrokers(process.env, { dataDir: process.env.HERALD_DATA_DIR ?? join(repoRoot, '.herald'), logger });
    if (sinks.started.length > 0) logger.info({ brokers: sinks.started }, 'started local brokers for the operator-event sink');
    localBrokers = sinks;
  }
  const config = loadConfig(process.env, { encryption: command !== 'migrate' });
  logger = createLogger({ level: config.log.level, format: config.log.format });
  await run(command, config, logger);
} catch (error) {
  await localBrokers?.stop();
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  logger.fatal({ err: error }, 'herald failed to start');
  process.exit(1);
}
