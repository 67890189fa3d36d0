import { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type pg from 'pg';
import type { Config } from './config/config.js';
import { createSecretBox } from './crypto/secret-box.js';
import { createAlertRepository } from './db/alert-repository.js';
import { createAttemptRepository } from './db/attempt-repository.js';
import { createDestinationRepository } from './db/destination-repository.js';
import { createEventRepository } from './db/event-repository.js';
import { assertMigrated } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { createTenantRepository } from './db/tenant-repository.js';
import { createDestinationRegistry } from './destinations/registry.js';
import type { Logger } from './logger.js';
import { createOperatorEventEmitter } from './operator-events/emitter.js';
import { connectTemporal } from './temporal/connection.js';
import { createHealthReporter } from './temporal/health-reporter.js';
import { createDeliveryStarter } from './temporal/delivery-starter.js';

export interface Endpoints {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
}

/**
 * Everything a Herald process needs, built once from config: the Postgres pool and repositories,
 * the destination registry, one Temporal NativeConnection shared by client and worker.
 */
export async function createContext(config: Config, logger: Logger, endpoints: Endpoints, options: { inProcessWorker?: boolean } = {}) {
  const pool: pg.Pool = createPool(endpoints.databaseUrl, { max: config.db.poolMax });
  pool.on('error', (err) => logger.warn({ err }, 'idle Postgres client error'));
  await assertMigrated(pool);
  const secretBox = createSecretBox(config.db.encryptionSecret);
  const connection: NativeConnection = await connectTemporal(config.temporal, endpoints.temporalAddress);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const registry = createDestinationRegistry(config.destinations);
  const { taskQueue } = config.temporal;
  const emitter = createOperatorEventEmitter({
    client, taskQueue, deploymentId: config.deploymentId, operatorEvents: config.operatorEvents,
  });
  const { consecutiveFailureCount: max, autoDisableDestination: autoDisable } = config.alerts;
  const health = createHealthReporter({ client, taskQueue, policy: max === null ? null : { max, autoDisable } });
  const ctx = {
    config,
    logger,
    pool,
    connection,
    client,
    registry,
    tenants: createTenantRepository(pool),
    destinations: createDestinationRepository(pool, secretBox),
    events: createEventRepository(pool),
    attempts: createAttemptRepository(pool),
    alerts: createAlertRepository(pool),
    exhaustedRetriesWindowSeconds: config.alerts.exhaustedRetriesWindowSeconds,
    emitter,
    health,
    starter: createDeliveryStarter({
      client, taskQueue, delivery: config.delivery, eagerStart: options.inProcessWorker === true,
      callTimeoutMs: config.api.dependencyTimeoutMs, maxInFlight: config.api.maxInFlightStarts,
    }),
    async close(): Promise<void> {
      await Promise.allSettled([emitter.close(), health.close()]);
      await registry.close();
      await connection.close();
      await pool.end();
    },
  };
  return ctx;
}

export type HeraldContext = Awaited<ReturnType<typeof createContext>>;
