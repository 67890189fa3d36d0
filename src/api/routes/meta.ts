import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { ApiError, notFound } from '../errors.js';
import { defineOperation, mount } from '../openapi-registry.js';
import { destinationTypeSchema, healthSchema } from '../openapi-schemas.js';
import { param } from '../validate.js';

const managedOnly = 'Only Outpost\'s managed service has /config; Herald is configured through environment variables.';

export const metaOperations = {
  /** Mounted by the app itself, at `/healthz` as well as under `/api/v1`. */
  health: defineOperation({
    method: 'get', path: '/healthz', operationId: 'healthCheck', tag: 'Health', public: true, summary: 'Health of each dependency',
    responses: { 200: { description: 'All healthy.', schema: healthSchema }, 503: { description: 'Some dependency failed.', schema: healthSchema } },
  }),
  /** Mounted by the app itself, at `/metrics` only, when PROMETHEUS_ENABLED. */
  prometheusMetrics: defineOperation({
    method: 'get', path: '/metrics', atRoot: true, operationId: 'scrapePrometheusMetrics', tag: 'Health', public: true,
    summary: 'Prometheus scrape of the process\'s metrics',
    description: 'OpenTelemetry metrics in the Prometheus text format, served at the host\'s root (not under /api/v1, where /metrics/* is the metrics API) and only with PROMETHEUS_ENABLED=true.',
    responses: {
      200: { description: 'Prometheus text exposition format.', textContentType: 'text/plain; version=0.0.4' },
      404: { description: 'PROMETHEUS_ENABLED is off.' },
    },
  }),
  destinationTypes: defineOperation({
    method: 'get', path: '/destination-types', operationId: 'listDestinationTypeSchemas', tag: 'Schemas', summary: 'Destination types',
    responses: { 200: { description: 'Every registered type.', schema: z.array(destinationTypeSchema) } },
  }),
  destinationType: defineOperation({
    method: 'get', path: '/destination-types/{type}', operationId: 'getDestinationTypeSchema', tag: 'Schemas', summary: 'One destination type',
    responses: { 200: { description: 'The type.', schema: destinationTypeSchema }, 404: { description: 'Destination type not found.' } },
  }),
  topics: defineOperation({
    method: 'get', path: '/topics', operationId: 'listTopics', tag: 'Topics', summary: 'Configured topics',
    responses: { 200: { description: 'Topics; empty when any topic is accepted.', schema: z.array(z.string()) } },
  }),
  getConfig: defineOperation({
    method: 'get', path: '/config', operationId: 'getManagedConfig', tag: 'Configuration', summary: 'Not available', description: managedOnly,
    responses: { 501: { description: managedOnly } },
  }),
  updateConfig: defineOperation({
    method: 'patch', path: '/config', operationId: 'updateManagedConfig', tag: 'Configuration', summary: 'Not available', description: managedOnly,
    responses: { 501: { description: managedOnly } },
  }),
};

/** GET /destination-types, /destination-types/{type}, /topics; /config answers that it is not available. */
export function metaRoutes(deps: AppDeps): Router {
  const router = Router();
  mount(router, metaOperations.destinationTypes, (_req, res) => {
    res.json(deps.registry.metadata());
  });
  mount(router, metaOperations.destinationType, (req, res) => {
    const provider = deps.registry.get(param(req, 'type'));
    if (!provider) throw notFound('destination type not found');
    res.json(provider.metadata);
  });
  mount(router, metaOperations.topics, (_req, res) => {
    res.json(deps.config.topics.configured ?? []);
  });
  for (const operation of [metaOperations.getConfig, metaOperations.updateConfig]) {
    mount(router, operation, () => {
      throw new ApiError(501, `${operation.method.toUpperCase()} /config is not available. ${managedOnly}`);
    });
  }
  return router;
}
