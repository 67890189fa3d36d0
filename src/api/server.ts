import type { AddressInfo } from 'node:net';
import type { HeraldContext } from '../context.js';
import { createDestinationService } from '../services/destination-service.js';
import { createPublishService } from '../services/publish-service.js';
import { createRetryService } from '../services/retry-service.js';
import { createSubscriptionTracker } from '../services/subscription-tracker.js';
import { createApp } from './app.js';

export interface RunningApi {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
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

/** Builds the app from a context and listens. Closing stops accepting and lets requests finish (bounded). */
export async function startApi(ctx: HeraldContext, overrides: { port?: number; host?: string } = {}): Promise<RunningApi> {
  const { config } = ctx;
  const app = createApp({
    ...ctx,
    auth: { apiKey: config.api.apiKey, jwtSecret: config.api.jwtSecret, deploymentId: config.deploymentId },
    destinationService: createDestinationService(ctx),
    publish: createPublishService(ctx),
    retry: createRetryService(ctx),
    trackSubscription: createSubscriptionTracker(ctx),
    healthChecks: {
      'http-server': async () => undefined,
      postgres: async () => void (await ctx.pool.query('select 1')),
      temporal: async () => void (await ctx.connection.healthService.check({})),
    },
  });
  await sealClearConfig(ctx);
  const host = overrides.host ?? config.api.host;
  const server = app.listen(overrides.port ?? config.api.port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 10_000);
        server.close(() => { clearTimeout(force); resolve(); });
        server.closeIdleConnections();
      }),
  };
}
