import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { migrateUp } from '../db/migrate.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres } from './postgres.js';
import { ensureTemporalCli } from './temporal-cli.js';
import { startTemporalDevServer } from './temporal-dev-server.js';

export interface LocalStackOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Where embedded Postgres and the Temporal SQLite file live; reused by the next start. */
  readonly dataDir: string;
  readonly postgresPort: number;
  readonly temporalPort: number;
  readonly temporalUiPort: number;
  /** Aborting it ends a wait for the Temporal CLI build or the dev server; what was started is stopped. */
  readonly signal?: AbortSignal;
}

export interface LocalStack {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly temporalUiUrl: string | undefined;
  readonly embedded: { postgres: boolean; temporal: boolean };
  stop(): Promise<void>;
}

/**
 * Brings up what `herald start` needs that is not given: embedded Postgres unless DATABASE_URL,
 * the Temporal CLI dev server unless TEMPORAL_ADDRESS. Migrations are applied either way.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { config, logger, dataDir } = options;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch((err: unknown) => logger.warn({ err }, 'stop failed'));
  };
  try {
    // Both are awaited even when one fails, so a server that finishes starting late is stopped too.
    const [postgres, temporal] = await Promise.allSettled([
      (async () => {
        if (config.db.url) return config.db.url;
        const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: options.postgresPort });
        stops.push(() => pg.stop());
        return pg.databaseUrl;
      })(),
      (async () => {
        if (config.temporal.address) return { address: config.temporal.address, uiUrl: undefined };
        const cliPath = await ensureTemporalCli(logger, options.signal ? { signal: options.signal } : {});
        const server = await startTemporalDevServer({
          cliPath, logger, namespace: config.temporal.namespace,
          dbFile: join(dataDir, 'temporal', 'temporal.db'), logFile: join(dataDir, 'temporal', 'server.log'),
          port: options.temporalPort, uiPort: options.temporalUiPort,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        stops.push(() => server.stop());
        return { address: server.address, uiUrl: server.uiUrl };
      })(),
    ]);
    if (postgres.status === 'rejected') throw postgres.reason;
    if (temporal.status === 'rejected') throw temporal.reason;
    const databaseUrl = postgres.value;
    const applied = await migrateUp(databaseUrl);
    if (applied.length > 0) logger.info({ applied }, 'applied database migrations');
    return {
      databaseUrl,
      temporalAddress: temporal.value.address,
      temporalUiUrl: temporal.value.uiUrl,
      embedded: { postgres: !config.db.url, temporal: !config.temporal.address },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
