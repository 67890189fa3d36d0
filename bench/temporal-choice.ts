import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../src/logger.js';
import { ensureTemporalCli, TEMPORAL_CLI_VERSION } from '../src/runtime/temporal-cli.js';
import { startTemporalDevServer } from '../src/runtime/temporal-dev-server.js';
import { TEMPORAL_SERVER_VERSION, ensureTemporalServer } from '../src/runtime/temporal-server.js';
import { startTemporalServer } from '../src/runtime/temporal-server-process.js';
import { findProcess } from './procfs.js';
import { freeLoopbackPort } from '../src/runtime/ports.js';
import { retried } from './stack-support.js';

/**
 * Which Temporal the bench's own stack runs (`--temporal`):
 * - `dev`: `temporal server start-dev` of the CLI, one history shard on SQLite (what `npm start` runs);
 * - `server-sqlite`: the real server, all services in one process, 4 shards on SQLite files;
 * - `server-postgres`: the same with 8 shards on Postgres (databases `temporal` and
 *   `temporal_visibility` in the bench's Postgres, next to Herald's).
 */
export const TEMPORAL_CHOICES = ['dev', 'server-sqlite', 'server-postgres'] as const;
export type TemporalChoice = (typeof TEMPORAL_CHOICES)[number];

/** What ran, for the report (`system.temporal`). */
export interface TemporalDescription {
  readonly choice: TemporalChoice;
  readonly server_version: string;
  readonly cli_version: string | null;
  readonly persistence: 'sqlite file' | 'sqlite in memory' | 'postgres';
  readonly history_shards: number;
}

export interface BenchTemporal {
  readonly address: string;
  /** The process doing the work, for the resource monitor. */
  readonly pid: number | null;
  /** Known for the real server; null for the dev server, whose random metrics port is discovered from /proc. */
  readonly metricsUrl: string | null;
  readonly description: TemporalDescription;
  readonly stop: () => Promise<void>;
}

export interface BenchTemporalOptions {
  /** Wiped before each start. */
  readonly dir: string;
  readonly logDir: string;
  readonly logger: Logger;
  readonly log: (line: string) => void;
  /** Dev server only: SQLite on disk (like `npm start`) or in memory. */
  readonly devDb: 'file' | 'memory';
  readonly dynamicConfig: Readonly<Record<string, string | number | boolean>>;
  /** The bench's Postgres (for `server-postgres`); awaited only then. */
  readonly postgresUrl: () => Promise<string>;
}

export function describeChoice(choice: TemporalChoice): string {
  return { dev: 'Temporal dev server', 'server-sqlite': 'Temporal server (SQLite, 4 shards)', 'server-postgres': 'Temporal server (Postgres, 8 shards)' }[choice];
}

export async function startBenchTemporal(choice: TemporalChoice, options: BenchTemporalOptions): Promise<BenchTemporal> {
  return choice === 'dev' ? startDev(options) : startServer(choice === 'server-sqlite' ? 'sqlite' : 'postgres', options);
}

async function startDev(options: BenchTemporalOptions): Promise<BenchTemporal> {
  const cliPath = await ensureTemporalCli(options.logger);
  let port = 0;
  const server = await retried('Temporal dev server', options.log, async () => {
    port = await freeLoopbackPort();
    rmSync(options.dir, { recursive: true, force: true });
    return startTemporalDevServer({
      cliPath, logger: options.logger, namespace: 'herald', port,
      ...(options.devDb === 'file' ? { dbFile: join(options.dir, 'temporal.db') } : {}),
      logFile: join(options.logDir, 'temporal.log'),
      extraDynamicConfig: { ...options.dynamicConfig },
    });
  });
  return {
    address: server.address,
    pid: await findProcess(['start-dev', `--port ${port} `]),
    metricsUrl: null,
    description: {
      choice: 'dev', server_version: TEMPORAL_SERVER_VERSION, cli_version: TEMPORAL_CLI_VERSION,
      persistence: options.devDb === 'file' ? 'sqlite file' : 'sqlite in memory', history_shards: 1,
    },
    stop: server.stop,
  };
}

async function startServer(persistence: 'sqlite' | 'postgres', options: BenchTemporalOptions): Promise<BenchTemporal> {
  const binaries = await ensureTemporalServer(options.logger);
  const postgresUrl = persistence === 'postgres' ? await options.postgresUrl() : undefined;
  const server = await retried(`Temporal server (${persistence})`, options.log, async () => {
    // A fresh SQLite file per attempt; Postgres's schema setup is idempotent.
    rmSync(options.dir, { recursive: true, force: true });
    return startTemporalServer({
      binaries, persistence, dataDir: options.dir, namespace: 'herald',
      ...(postgresUrl ? { postgresUrl } : {}),
      extraDynamicConfig: options.dynamicConfig,
      logFile: join(options.logDir, 'temporal.log'),
      logger: options.logger,
    });
  });
  return {
    address: server.address,
    pid: server.pid ?? null,
    metricsUrl: server.metricsUrl,
    description: {
      choice: persistence === 'sqlite' ? 'server-sqlite' : 'server-postgres', server_version: server.description.version, cli_version: null,
      persistence: persistence === 'sqlite' ? 'sqlite file' : 'postgres', history_shards: server.description.historyShards,
    },
    stop: server.stop,
  };
}
