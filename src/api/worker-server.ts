import express from 'express';
import type { Config } from '../config/config.js';
import type { HeraldContext } from '../context.js';
import type { DependencyStatus } from '../process/dependency-status.js';
import { errorBody } from './error-handler.js';
import { dependencyChecks, healthHandler, withTimeout } from './health.js';
import { metaOperations } from './routes/meta.js';
import { expressPath } from './openapi-registry.js';
import { listenSwappable, type RunningApi } from './server.js';
import { createStartingApp } from './starting-app.js';

export interface WorkerServer extends RunningApi {
  /** Switches from the "starting" answers to the health of `ctx` and the worker's poller. */
  serve(ctx: HeraldContext, pollerHealth: () => Promise<void>): void;
}

/** GET /healthz (Postgres, Temporal, the task-queue poller) and, with Prometheus on, GET /metrics. */
function createWorkerApp(ctx: HeraldContext, pollerHealth: () => Promise<void>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get(expressPath(metaOperations.health.path), healthHandler({
    'http-server': async () => undefined,
    ...dependencyChecks(ctx),
    'temporal-worker': withTimeout(pollerHealth),
  }));
  const { prometheusHandler } = ctx.telemetry;
  if (prometheusHandler) app.get(metaOperations.prometheusMetrics.path, prometheusHandler);
  app.use((_req, res) => void res.status(404).json(errorBody(404, 'not found')));
  return app;
}

/**
 * The standalone `herald worker`'s HTTP listener (WORKER_HTTP_PORT), for probes and scrapes. It
 * listens at once, answering 503 naming what is still waited for until `serve`, like the API.
 */
export async function listenWorkerServer(http: NonNullable<Config['worker']['http']>, status: DependencyStatus, overrides: { port?: number } = {}): Promise<WorkerServer> {
  const server = await listenSwappable(http.host, overrides.port ?? http.port, createStartingApp(status));
  return {
    port: server.port,
    url: server.url,
    serve: (ctx, pollerHealth) => server.setHandler(createWorkerApp(ctx, pollerHealth)),
    close: () => server.close(),
  };
}
