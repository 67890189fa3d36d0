/**
 * What each `herald` command does once `src/cli.ts` has parsed the command line. Kept apart so
 * that `--help` and a mistyped argument are answered without loading any of this.
 */
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { migrateUp } from '../db/migrate.js';
import { createLogger, type Logger } from '../logger.js';
import { startLocalSinkBrokers } from '../runtime/local-sinks.js';
import { applyDevSecrets } from './dev-secrets.js';
import { runHerald, startDataDir, type ServerCommand } from './run-herald.js';
import { createShutdown, exitOnSignals, SHUTDOWN_DEADLINE_MS, type Shutdown } from './shutdown.js';

export type Command = ServerCommand | 'migrate';

/** Defaults that make `herald start` useful on a laptop; explicit env always wins. */
function applyStartDefaults(dataDir: string): void {
  applyDevSecrets(process.env, dataDir, ['AES_ENCRYPTION_SECRET', 'API_JWT_SECRET']);
  const defaults: Record<string, string> = {
    API_HOST: '127.0.0.1',
    LOG_FORMAT: process.stdout.isTTY ? 'pretty' : 'json',
    TEMPORAL_RETENTION_DAYS: '30',
    DESTINATIONS_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
  };
  for (const [key, value] of Object.entries(defaults)) process.env[key] ??= value;
}

async function migrate(config: Config, logger: Logger): Promise<void> {
  if (!config.db.url) throw new ConfigError(['DATABASE_URL: is required for migrate']);
  const applied = await migrateUp(config.db.url);
  logger.info({ applied }, applied.length ? 'migrations applied' : 'database is up to date');
}

/** The curl line that asks for a tenant's portal link (the tenant must exist: PUT /tenants/{id}). */
function portalCurl(apiUrl: string, config: Config): string {
  const auth = config.api.apiKey ? ' -H "authorization: Bearer $API_KEY"' : '';
  return `curl -s${auth} ${apiUrl}/api/v1/tenants/<tenant_id>/portal`;
}

async function serve(command: ServerCommand, config: Config, logger: Logger, shutdown: Shutdown, repoRoot: string): Promise<void> {
  const dataDir = startDataDir(repoRoot);
  const { api, worker, workerServer, stack, temporalAddress } = await runHerald({
    command, config, logger, shutdown, dataDir,
    ports: {
      postgres: Number(process.env.HERALD_POSTGRES_PORT ?? 5433),
      temporal: Number(process.env.HERALD_TEMPORAL_PORT ?? 7233),
      temporalUi: Number(process.env.HERALD_TEMPORAL_UI_PORT ?? 8233),
    },
  });
  logger.info({
    api: api ? `${api.url}/api/v1` : undefined,
    portal: api ? `${api.url}/portal` : undefined,
    worker: worker ? `task queue ${config.temporal.taskQueue}` : undefined,
    workerHttp: workerServer ? `${workerServer.url}/healthz` : undefined,
    temporal: `${temporalAddress} (namespace ${config.temporal.namespace})`,
    temporalUi: stack?.temporalUiUrl,
    postgres: stack?.embedded.postgres ? 'embedded' : 'DATABASE_URL',
  }, 'Herald is running');
  if (stack && process.stdout.isTTY) {
    console.log(`\n  API          ${api?.url}/api/v1\n  Portal       ${api?.url}/portal\n  Temporal UI  ${stack.temporalUiUrl ?? '(external cluster)'}\n  Temporal     ${temporalAddress}\n  Data         ${dataDir}\n`);
    if (api && config.api.jwtSecret) console.log(`  A tenant's portal link:\n    ${portalCurl(api.url, config)}\n`);
    console.log('  Ctrl-C stops everything.\n');
  }
}

/** Runs `command` until it ends: `migrate` returns, the servers run until a signal stops them. */
export async function runCommand(command: Command, repoRoot: string): Promise<void> {
  let logger: Logger = createLogger({ level: 'info', format: 'json' });
  // Signals are handled from the first moment: a SIGTERM while bundling, connecting or waiting for a
  // dependency ends the start-up and exits like one while running.
  const shutdown = createShutdown({ logger: () => logger, deadlineMs: SHUTDOWN_DEADLINE_MS });
  exitOnSignals(shutdown, () => logger);
  try {
    if (command === 'start') {
      applyStartDefaults(startDataDir(repoRoot));
      const sinks = await shutdown.track('services', 'local brokers',
        startLocalSinkBrokers(process.env, { dataDir: startDataDir(repoRoot), logger }), (brokers) => brokers.stop());
      if (sinks.started.length > 0) logger.info({ brokers: sinks.started }, 'started local brokers for the operator-event sink');
    }
    const config = loadConfig(process.env, { encryption: command !== 'migrate' });
    logger = createLogger({ level: config.log.level, format: config.log.format });
    if (command === 'migrate') await migrate(config, logger);
    else await serve(command, config, logger, shutdown, repoRoot);
  } catch (error) {
    // Once a shutdown is under way, a start-up step failing is its consequence, not news.
    if (!shutdown.signal.aborted) {
      if (error instanceof ConfigError) {
        process.stderr.write(`${error.message}\n`);
        void shutdown.begin('invalid configuration', 78);
      } else {
        logger.fatal({ err: error }, 'herald failed to start');
        void shutdown.begin('start-up failed', 1);
      }
    }
  }
}
