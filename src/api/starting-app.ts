import express, { type Request, type Response } from 'express';
import type { DependencyStatus } from '../process/dependency-status.js';

/** Seconds a client is asked to wait before trying again while Herald starts. */
export const STARTING_RETRY_AFTER_SECONDS = 5;

/**
 * What the API answers while its dependencies are not ready yet, so the port is open (and a load
 * balancer can tell "starting" from "gone") before Postgres and Temporal answer: the health check
 * in its usual shape, 503, naming what is waited for and why; every other route 503 with
 * Retry-After, in the contract's error envelope.
 */
export function createStartingApp(status: DependencyStatus): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const health = (_req: Request, res: Response) => {
    const workers: Record<string, unknown> = { 'http-server': { status: 'healthy' }, ...status.snapshot() };
    res.status(503).json({ status: 'failed', timestamp: new Date().toISOString(), workers });
  };
  app.get('/healthz', health);
  app.get('/api/v1/healthz', health);
  app.use((_req, res) => {
    const waiting = Object.entries(status.snapshot()).filter(([, state]) => state.status !== 'healthy').map(([name]) => name);
    const message = waiting.length > 0 ? `Herald is starting: waiting for ${waiting.join(' and ')}` : 'Herald is starting';
    res.status(503).set('Retry-After', String(STARTING_RETRY_AFTER_SECONDS)).json({ status: 503, message });
  });
  return app;
}
