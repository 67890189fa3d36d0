import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { startApi, type RunningApi } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import { createContext, type HeraldContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import type { Telemetry } from '../../src/telemetry/telemetry.js';
import { startWorker, type RunningWorker } from '../../src/temporal/run-worker.js';
import { createTestDatabase } from './postgres.js';

export interface TestHerald {
  readonly api: RunningApi;
  readonly ctx: HeraldContext;
  readonly databaseUrl: string;
  readonly taskQueue: string;
  worker: RunningWorker | undefined;
  /** Calls the API: `call('POST', '/publish', body)` → `{status, body}`. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_ENV: Record<string, string> = {
  AES_ENCRYPTION_SECRET: 'test-secret-do-not-use-in-production',
  DESTINATIONS_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
  LOG_LEVEL: 'warn',
  RETRY_SCHEDULE: '1,1,1',
  DELIVERY_TIMEOUT_SECONDS: '2',
};

/**
 * A whole Herald (API + worker) in this process against the run's real Temporal dev server (or the
 * Temporal at `options.temporalAddress`, namespace `herald`) and a fresh Postgres database, on its
 * own task queue so test files never see each other's work.
 */
export async function startTestHerald(env: Record<string, string> = {}, options: { worker?: boolean; temporalAddress?: string; telemetry?: Telemetry } = {}): Promise<TestHerald> {
  const databaseUrl = await createTestDatabase(inject('databaseAdminUrl'));
  const taskQueue = `test-${randomUUID()}`;
  // Each test Herald is its own deployment: its operator-event workflow runs on its own task queue.
  const config = loadConfig({ ...TEST_ENV, TEMPORAL_TASK_QUEUE: taskQueue, DEPLOYMENT_ID: `test-${taskQueue.slice(5, 13)}`, ...env });
  const logger = createLogger({ level: config.log.level, format: 'json' });
  const ctx = await createContext(config, logger, { databaseUrl, temporalAddress: options.temporalAddress ?? inject('temporalAddress') }, {
    inProcessWorker: options.worker !== false, ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  });
  const api = await startApi(ctx, { port: 0, host: '127.0.0.1' });
  const herald: TestHerald = {
    api, ctx, databaseUrl, taskQueue, worker: undefined,
    async call(method, path, body, headers = {}) {
      const res = await fetch(`${api.url}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async startWorker() {
      herald.worker ??= await startWorker(ctx);
    },
    async stopWorker() {
      await herald.worker?.close();
      herald.worker = undefined;
    },
    async close() {
      await api.close();
      await herald.stopWorker();
      await ctx.close();
    },
  };
  if (options.worker !== false) await herald.startWorker();
  return herald;
}
