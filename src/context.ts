import { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type pg from 'pg';
import type { Config } from './config/config.js';
import { createSecretBox } from './crypto/secret-box.js';
import { createAlertRepository } from './db/alert-repository.js';
import { createAttemptRepository } from './db/attempt-repository.js';
import { createDestinationCache, invalidatingWrites } from './db/destination-cache.js';
import { createDestinationRepository } from './db/destination-repository.js';
import { createEventRepository } from './db/event-repository.js';
import { PendingMigrationsError } from './db/errors.js';
import { assertMigrated } from './db/migrate.js';
import { listenForNotifications } from './db/notify-listener.js';
import { createPool } from './db/pool.js';
import { createTenantRepository } from './db/tenant-repository.js';
import { createDestinationRegistry } from './destinations/registry.js';
import type { Logger } from './logger.js';
import { retryUntilReady, type WaitOptions } from './process/retry-until-ready.js';
import { connectTemporal } from './temporal/connection.js';
import { createDeliveryClient } from './temporal/delivery-client.js';
import { createDestinationHealthClient } from './temporal/destination-health-client.js';
import { createOperatorEventsClient } from './temporal/operator-events-client.js';
import { createDispatchMarks } from './services/dispatch-marks.js';
import { noTelemetry, type Telemetry } from './telemetry/telemetry.js';

export interface Endpoints {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
}

export interface ContextOptions {
  readonly inProcessWorker?: boolean;
  /**
   * Wait (with backoff, logged once per change) for Postgres and Temporal to answer instead of
   * failing at once. Pending migrations still fail at once: no wait cures them.
   */
  readonly wait?: WaitOptions;
  /** Traces and metrics (see src/telemetry); off when not given. The process owns its shutdown. */
  readonly telemetry?: Telemetry;
}

/**
 * Postgres checked for migrations and a Temporal connection, in parallel. On failure (or an
 * aborted wait) whatever was opened is closed again.
 */
async function connectDependencies(pool: pg.Pool, config: Config, endpoints: Endpoints, wait: WaitOptions | undefined): Promise<NativeConnection> {
  const connect = () => connectTemporal(config.temporal, endpoints.temporalAddress);
  if (!wait) {
    await assertMigrated(pool);
    return connect();
  }
  // One failing for good ends the other's wait too.
  const failed = new AbortController();
  const signal = AbortSignal.any([wait.signal, failed.signal]);
  const dispose = (connection: NativeConnection) => connection.close();
  const [postgres, temporal] = await Promise.allSettled([
    retryUntilReady('postgres', () => assertMigrated(pool), { ...wait, signal, isFatal: (e) => e instanceof PendingMigrationsError })
      .catch((error: unknown) => { failed.abort(error); throw error; }),
    retryUntilReady('temporal', connect, { ...wait, signal, dispose })
      .catch((error: unknown) => { failed.abort(error); throw error; }),
  ]);
  if (postgres.status === 'rejected') {
    if (temporal.status === 'fulfilled') await temporal.value.close();
    throw postgres.reason;
  }
  if (temporal.status === 'rejected') throw temporal.reason;
  return temporal.value;
}

/**
 * Everything a Herald process needs, built once from config: the Postgres pool and repositories,
 * the destination registry, one Temporal NativeConnection shared by client and worker.
 */
export async function createContext(config: Config, logger: Logger, endpoints: Endpoints, options: ContextOptions = {}) {
  const pool: pg.Pool = createPool(endpoints.databaseUrl, {
    max: config.db.poolMax,
    onError: (err) => logger.warn({ err }, 'idle Postgres client error'),
  });
  let connection: NativeConnection;
  try {
    connection = await connectDependencies(pool, config, endpoints, options.wait);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const secretBox = createSecretBox(config.db.encryptionSecret);
  const telemetry = options.telemetry ?? noTelemetry;
  const client = new Client({
    connection, namespace: config.temporal.namespace,
    ...(telemetry.clientInterceptors ? { interceptors: telemetry.clientInterceptors } : {}),
  });
  const registry = createDestinationRegistry(config.destinations);
  const { taskQueue } = config.temporal;
  const operatorEvents = createOperatorEventsClient({
    client, taskQueue, deploymentId: config.deploymentId, operatorEvents: config.operatorEvents,
  });
  const { consecutiveFailureCount: max, autoDisableDestination: autoDisable } = config.alerts;
  const destinationHealth = createDestinationHealthClient({ client, taskQueue, policy: max === null ? null : { max, autoDisable } });
  const destinationRepository = createDestinationRepository(pool, secretBox);
  const destinationCache = createDestinationCache(destinationRepository, {
    ttlMs: config.db.destinationCacheTtlMs, maxTenants: 10_000,
  });
  // The cache is trusted only while every committed change is heard of; with a TTL of 0 never.
  const destinationChanges = config.db.destinationCacheTtlMs > 0
    ? listenForNotifications({
        databaseUrl: endpoints.databaseUrl, channel: 'herald_destinations', logger,
        onNotify: (tenantId) => destinationCache.invalidate(tenantId),
        onState: (listening) => destinationCache.setTrusted(listening),
      })
    : null;
  const events = createEventRepository(pool);
  const ctx = {
    config,
    logger,
    telemetry,
    pool,
    connection,
    client,
    registry,
    tenants: createTenantRepository(pool),
    destinations: invalidatingWrites(destinationRepository, destinationCache),
    destinationCache,
    events,
    dispatchMarks: createDispatchMarks({ events, logger }),
    attempts: createAttemptRepository(pool),
    alerts: createAlertRepository(pool),
    exhaustedRetriesWindowSeconds: config.alerts.exhaustedRetriesWindowSeconds,
    operatorEvents,
    destinationHealth,
    deliveries: createDeliveryClient({
      client, taskQueue, delivery: config.delivery, eagerStart: options.inProcessWorker === true,
      callTimeoutMs: config.api.dependencyTimeoutMs, maxInFlight: config.api.maxInFlightStarts,
    }),
    async close(): Promise<void> {
      await Promise.allSettled([operatorEvents.close(), destinationHealth.close(), destinationChanges?.close()]);
      await registry.close();
      await ctx.dispatchMarks.flush();
      await connection.close();
      await pool.end();
    },
  };
  return ctx;
}

export type HeraldContext = Awaited<ReturnType<typeof createContext>>;
