import express from 'express';
import type { Config } from '../config/config.js';
import type { AttemptRepository } from '../db/attempt-repository.js';
import type { DestinationRepository } from '../db/destination-repository.js';
import type { EventRepository } from '../db/event-repository.js';
import type { TenantRepository } from '../db/tenant-repository.js';
import type { DestinationRegistry } from '../destinations/registry.js';
import type { Logger } from '../logger.js';
import type { DestinationService } from '../services/destination-service.js';
import type { MetricsService } from '../services/metrics-service.js';
import type { PublishService } from '../services/publish-service.js';
import type { RetryService } from '../services/retry-service.js';
import type { SubscriptionTracker } from '../services/subscription-tracker.js';
import type { TimelineService } from '../services/timeline-service.js';
import type { DestinationHealthClient } from '../temporal/destination-health-client.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { filterableDestinationTypes } from '../destinations/contract-types.js';
import { authenticate, type AuthOptions } from './auth.js';
import { contractBodyErrors } from './body-errors.js';
import { healthHandler, type HealthChecks } from './health.js';
import { createErrorHandler, errorBody } from './error-handler.js';
import { ApiError } from './errors.js';
import { openapiOperation, serveOpenApiDocument } from './openapi.js';
import { portalRouter } from './portal.js';
import { expressPath, mount } from './openapi-registry.js';
import { attemptRoutes } from './routes/attempts.js';
import { deliveryRoutes } from './routes/delivery.js';
import { destinationRoutes } from './routes/destinations.js';
import { eventRoutes } from './routes/events.js';
import { metaOperations, metaRoutes } from './routes/meta.js';
import { metricsRoutes } from './routes/metrics.js';
import { tenantAccessRoutes } from './routes/tenant-access.js';
import { tenantListRoutes } from './routes/tenant-list.js';
import { tenantRoutes } from './routes/tenants.js';
import { timelineRoutes } from './routes/timeline.js';

export interface AppDeps {
  readonly config: Config;
  readonly auth: AuthOptions;
  readonly logger: Logger;
  readonly tenants: TenantRepository;
  readonly destinations: DestinationRepository;
  readonly events: EventRepository;
  readonly attempts: AttemptRepository;
  readonly registry: DestinationRegistry;
  readonly destinationService: DestinationService;
  readonly publish: PublishService;
  readonly retry: RetryService;
  readonly metrics: MetricsService;
  /** A delivery's attempts and next retry (Herald extension). */
  readonly timeline: TimelineService;
  /** Health of each dependency: resolves when healthy. */
  readonly healthChecks: HealthChecks;
  /** Runs a destination change, emitting tenant.subscription.updated when it changed the subscription. */
  readonly trackSubscription: SubscriptionTracker;
  /** Resets (enable) or retires (delete) the destination's health workflow. */
  readonly destinationHealth: Pick<DestinationHealthClient, 'reset'>;
  /** The built portal's folder; default portal/dist of this checkout. */
  readonly portalDistDir?: string;
  /** Request spans and API metrics, and the Prometheus scrape; absent = telemetry off. */
  readonly telemetry?: Pick<Telemetry, 'apiMiddleware' | 'prometheusHandler'>;
}

/** Builds the express app from its dependencies; listening and signals belong to the process. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.set('trust proxy', false);
  // JSON answers are not cached by clients; hashing every body for an ETag is wasted work.
  app.set('etag', false);

  if (deps.telemetry?.apiMiddleware) app.use(deps.telemetry.apiMiddleware);
  if (deps.telemetry?.prometheusHandler) app.get(metaOperations.prometheusMetrics.path, deps.telemetry.prometheusHandler);

  const health = healthHandler(deps.healthChecks);
  // Also outside the API's base path, where load balancers look for it.
  app.get(expressPath(metaOperations.health.path), health);

  const api = express.Router();
  mount(api, metaOperations.health, health);
  // Before authentication: tooling fetches the contract without a key.
  mount(api, openapiOperation, serveOpenApiDocument({ destinationTypes: filterableDestinationTypes(deps.registry.types()) }));
  // Under overload a publish is refused before its body is read or its caller authenticated: the
  // refusal must stay cheap when most requests get it.
  api.post('/publish', (_req, _res, next) => {
    deps.publish.admit();
    next();
  });
  api.use(express.json({ limit: deps.config.api.maxRequestBodyBytes, strict: false, type: () => true }));
  api.use(contractBodyErrors);
  api.use(authenticate(deps.auth, deps.tenants));
  // Publish first: it is most of the traffic, and no other router's paths overlap it.
  api.use(deliveryRoutes(deps));
  api.use(tenantListRoutes(deps));
  api.use(tenantRoutes(deps));
  api.use(tenantAccessRoutes(deps));
  api.use(destinationRoutes(deps));
  api.use(eventRoutes(deps));
  api.use(attemptRoutes(deps));
  api.use(timelineRoutes(deps));
  api.use(metricsRoutes(deps));
  api.use(metaRoutes(deps));
  api.use((_req, _res, next) => next(new ApiError(404, 'not found')));
  app.use('/api/v1', api);
  // The tenant portal: a static single-page app calling the API above with the tenant's token.
  app.use('/portal', portalRouter({ portal: deps.config.portal, distDir: deps.portalDistDir }));
  app.use((_req, res) => void res.status(404).json(errorBody(404, 'not found')));

  app.use(createErrorHandler({ logger: deps.logger, maxRequestBodyBytes: deps.config.api.maxRequestBodyBytes }));
  return app;
}
