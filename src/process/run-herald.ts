import { join } from 'node:path';
import { listenApi, type ListeningApi } from '../api/server.js';
import { listenWorkerServer, type WorkerServer } from '../api/worker-server.js';
import { ConfigError, type Config } from '../config/config.js';
import { createContext } from '../context.js';
import type { Logger } from '../logger.js';
import { startLocalStack, type LocalStack } from '../runtime/local-stack.js';
import { createTelemetry } from '../telemetry/telemetry.js';
import { setupNamespace } from '../temporal/namespace-setup.js';
import { startWorker, type RunningWorker } from '../temporal/run-worker.js';
import { createDependencyStatus, probeWhileWaiting } from './dependency-status.js';
import { retryUntilReady, type WaitOptions } from './retry-until-ready.js';
import type { Shutdown } from './shutdown.js';
import { installTemporalRuntime } from './temporal-runtime.js';

export type ServerCommand = 'start' | 'api' | 'worker';

export interface RunHeraldOptions {
  readonly command: ServerCommand;
  readonly config: Config;
  readonly logger: Logger;
  readonly shutdown: Shutdown;
  /** Embedded Postgres and the Temporal SQLite file for `herald start`. */
  readonly dataDir: string;
  readonly ports: { readonly postgres: number; readonly temporal: number; readonly temporalUi: number };
}

export interface RunningHerald {
  readonly api: ListeningApi | undefined;
  readonly worker: RunningWorker | undefined;
  /** The standalone worker's HTTP listener (WORKER_HTTP_PORT), when it has one. */
  readonly workerServer: WorkerServer | undefined;
  readonly stack: LocalStack | undefined;
  readonly temporalAddress: string;
}

/**
 * Starts `herald api`, `worker` or `start`, registering each part's stop with `shutdown` as soon
 * as it exists. The API listens first (answering 503 while it starts); then Postgres and Temporal
 * are waited for, never given up on: only pending migrations or a broken build end the start-up.
 */
export async function runHerald(options: RunHeraldOptions): Promise<RunningHerald> {
  const { command, config, logger, shutdown } = options;
  logger.info({ command }, 'starting');
  const status = createDependencyStatus(logger, ['postgres', 'temporal']);
  const wait: WaitOptions = { signal: shutdown.signal, status };
  installTemporalRuntime(logger, status);
  // Stopped last, so spans and metrics of the shutdown itself are flushed.
  const telemetry = await createTelemetry(config.telemetry, logger);
  shutdown.onStop('services', 'telemetry', () => telemetry.shutdown());

  const api = command === 'worker' ? undefined : await listenApi(config.api, status);
  if (api) shutdown.onStop('intake', 'api', () => api.close());
  const workerServer = command === 'worker' && config.worker.http ? await listenWorkerServer(config.worker.http, status) : undefined;
  if (workerServer) shutdown.onStop('intake', 'worker http', () => workerServer.close());
  const stack = command === 'start'
    ? await shutdown.track('services', 'local stack', startLocalStack({
        config, logger, dataDir: options.dataDir, signal: shutdown.signal,
        postgresPort: options.ports.postgres, temporalPort: options.ports.temporal, temporalUiPort: options.ports.temporalUi,
      }), (s) => s.stop())
    : undefined;
  const databaseUrl = stack?.databaseUrl ?? config.db.url;
  if (!databaseUrl) throw new ConfigError(['DATABASE_URL: is required for `herald api` and `herald worker`']);
  const temporalAddress = stack?.temporalAddress ?? config.temporal.address ?? '127.0.0.1:7233';

  const ctx = await createContext(config, logger, { databaseUrl, temporalAddress }, { inProcessWorker: command === 'start', wait, telemetry });
  shutdown.onStop('connections', 'context', () => ctx.close());
  const stopProbe = probeWhileWaiting(status, 'temporal', () => ctx.connection.healthService.check({}));
  shutdown.onStop('connections', 'temporal probe', stopProbe);
  if (config.temporal.setupNamespace) {
    const { namespace, retentionDays } = config.temporal;
    await retryUntilReady('temporal', () => setupNamespace(ctx.connection, { namespace, retentionDays, logger }), wait);
  }

  const worker = command === 'api' ? undefined : await startWorker(ctx, { wait });
  if (worker) {
    shutdown.onStop('intake', 'worker', () => worker.close());
    worker.done.catch((err: unknown) => {
      logger.fatal({ err }, 'worker failed');
      void shutdown.begin('worker failed', 1);
    });
  }
  // `herald start` runs the worker in the API's process: its /healthz also reports the task-queue poller.
  void api?.serve(ctx, worker ? { 'temporal-worker': () => worker.health() } : {});
  if (worker) workerServer?.serve(ctx, () => worker.health());
  return { api, worker, workerServer, stack, temporalAddress };
}

/** The `herald start` data directory: HERALD_DATA_DIR, else `.herald` in the checkout. */
export function startDataDir(repoRoot: string): string {
  return process.env.HERALD_DATA_DIR ?? join(repoRoot, '.herald');
}
