import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import type { HeraldContext } from '../context.js';
import { createDependencyStatus, type DependencyStatus } from '../process/dependency-status.js';
import { createMetricsRepository } from '../db/metrics-repository.js';
import { createDestinationService } from '../services/destination-service.js';
import { createMetricsService } from '../services/metrics-service.js';
import { createPublishService } from '../services/publish-service.js';
import { createRetryService } from '../services/retry-service.js';
import { createSubscriptionTracker } from '../services/subscription-tracker.js';
import { createTimelineService } from '../services/timeline-service.js';
import { createApp } from './app.js';
import { dependencyChecks, withTimeout, type HealthChecks } from './health.js';
import { createStartingApp } from './starting-app.js';

export interface RunningApi {
  readonly port: number;
  readonly url: string;
  /** Stops accepting, lets requests finish (at most 10 s), then closes. Later calls join the first. */
  close(): Promise<void>;
}

export interface ListeningApi extends RunningApi {
  /**
   * Switches from the "starting" answers to the real API on `ctx`, and seals what earlier builds
   * left in the clear (resolves when that is done; the API serves meanwhile).
   */
  serve(ctx: HeraldContext, extraChecks?: HealthChecks): Promise<void>;
}

function createHeraldApp(ctx: HeraldContext, extraChecks: HealthChecks): RequestListener {
  const { config } = ctx;
  return createApp({
    ...ctx,
    auth: { apiKey: config.api.apiKey, jwtSecret: config.api.jwtSecret, deploymentId: config.deploymentId },
    destinationService: createDestinationService(ctx),
    publish: createPublishService(ctx),
    retry: createRetryService(ctx),
    metrics: createMetricsService({ repository: createMetricsRepository(ctx.pool) }),
    timeline: createTimelineService({ ...ctx, deliveryState: (...args) => ctx.deliveries.state(...args) }),
    trackSubscription: createSubscriptionTracker(ctx),
    healthChecks: {
      'http-server': async () => undefined,
      ...dependencyChecks(ctx),
      ...Object.fromEntries(Object.entries(extraChecks).map(([name, check]) => [name, withTimeout(check)])),
    },
  });
}

/**
 * Seals config secrets (webhook custom headers) that destinations written by earlier builds keep in
 * the clear. Reads work either way, so a failure here is logged and does not stop the API.
 */
async function sealClearConfig(ctx: HeraldContext): Promise<void> {
  try {
    const rewritten = await ctx.destinations.sealClearConfig();
    if (rewritten > 0) ctx.logger.info({ rewritten }, 'sealed destination config kept in the clear by an earlier build');
  } catch (err) {
    ctx.logger.warn({ err }, 'could not seal destination config kept in the clear; it stays readable as it is');
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    server.close(() => { clearTimeout(force); resolve(); });
    server.closeIdleConnections();
  });
}

/** An HTTP server whose handler can be swapped while it listens (the "starting" app, then the real one). */
export interface SwappableServer extends RunningApi {
  setHandler(handler: RequestListener): void;
}

/** Listens on `host:port` (0 = any free port) with `initial` answering until `setHandler` replaces it. */
export async function listenSwappable(host: string, port: number, initial: RequestListener): Promise<SwappableServer> {
  let handler = initial;
  const server = createServer((req, res) => handler(req, res));
  server.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const { port: bound } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port: bound,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
    setHandler: (next) => void (handler = next),
    close: () => (closing ??= closeServer(server)),
  };
}

/**
 * Listens at once, answering 503 (see starting-app) until `serve` hands it a context: Herald's API
 * port is open while Postgres or Temporal are still being waited for.
 */
export async function listenApi(
  api: Config['api'],
  status: DependencyStatus,
  overrides: { port?: number; host?: string } = {},
): Promise<ListeningApi> {
  const server = await listenSwappable(overrides.host ?? api.host, overrides.port ?? api.port, createStartingApp(status));
  return {
    port: server.port,
    url: server.url,
    serve(ctx, extraChecks = {}) {
      server.setHandler(createHeraldApp(ctx, extraChecks));
      return sealClearConfig(ctx);
    },
    close: () => server.close(),
  };
}

/** Builds the app from a ready context and listens. */
export async function startApi(
  ctx: HeraldContext,
  overrides: { port?: number; host?: string } = {},
  extraChecks: HealthChecks = {},
): Promise<RunningApi> {
  const api = await listenApi(ctx.config.api, createDependencyStatus(ctx.logger), overrides);
  await api.serve(ctx, extraChecks);
  return api;
}
