import { Router, type Request } from 'express';
import { z } from 'zod';
import { filterableDestinationTypes } from '../../destinations/contract-types.js';
import type { AppDeps } from '../app.js';
import { tenantScope } from '../auth.js';
import { notFound } from '../errors.js';
import { destinationIdSchema, pathId } from '../id-schemas.js';
import { presentDestination } from '../../wire/shapes.js';
import { defineOperation, mount } from '../openapi-registry.js';
import { destinationSchema, successSchema } from '../openapi-schemas.js';
import {
  metadataMap, metadataPatch, param, parseBody, parseQuery, providerMap, providerMapPatch, queryEnumList, queryList,
} from '../validate.js';

const date = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const topics = z.union([z.string(), z.array(z.string())]);
const filter = z.record(z.string(), z.unknown()).nullable();

const createBody = z.object({
  id: destinationIdSchema.optional(),
  type: z.string().min(1, 'is required'),
  topics,
  filter: filter.optional(),
  config: providerMap.optional(),
  credentials: providerMap.optional(),
  delivery_metadata: metadataMap.nullable().optional(),
  metadata: metadataMap.nullable().optional(),
  disabled_at: date.nullable().optional(),
  created_at: date.optional(),
  updated_at: date.optional(),
});

/**
 * The contract requires a body. One that names no field is refused rather than applied as a
 * silent no-op; `type` itself is not required (Outpost clients omit it), only checked when sent.
 */
const patchBody = z
  .object(
    {
      type: z.string().optional(),
      topics: topics.optional(),
      filter: filter.optional(),
      config: providerMapPatch.nullable().optional(),
      credentials: providerMapPatch.nullable().optional(),
      delivery_metadata: metadataPatch.nullable().optional(),
      metadata: metadataPatch.nullable().optional(),
      disabled_at: date.nullable().optional(),
    },
    { error: (issue) => (issue.input === undefined || issue.input === null ? 'is required' : 'must be an object') },
  )
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'must contain at least one field to update' });

const listQuery = (destinationTypes: readonly string[]) => z.object({ type: queryEnumList(destinationTypes), topics: queryList });

const list = '/tenants/{tenant_id}/destinations';
const one = `${list}/{destination_id}`;
const shown = (description: string) => ({ description, schema: destinationSchema });
const missing = { 403: { description: 'Another tenant\'s token.' }, 404: { description: 'Tenant or destination not found.' } };

export const destinationOperations = {
  list: defineOperation({
    method: 'get', path: list, operationId: 'listTenantDestinations', tag: 'Destinations', summary: 'List a tenant\'s destinations',
    query: listQuery,
    responses: { 200: { description: 'The destinations.', schema: z.array(destinationSchema) }, 400: { description: 'Invalid filter.' }, ...missing },
  }),
  create: defineOperation({
    method: 'post', path: list, operationId: 'createTenantDestination', tag: 'Destinations', summary: 'Create a destination',
    body: createBody,
    responses: { 201: shown('Created.'), 400: { description: 'The id is taken.' }, ...missing, 422: { description: 'Invalid destination.' } },
  }),
  get: defineOperation({
    method: 'get', path: one, operationId: 'getTenantDestination', tag: 'Destinations', summary: 'Get a destination',
    responses: { 200: shown('The destination.'), ...missing },
  }),
  update: defineOperation({
    method: 'patch', path: one, operationId: 'updateTenantDestination', tag: 'Destinations',
    summary: 'Update a destination (merge patch: null deletes a key)', body: patchBody,
    responses: { 200: shown('Updated.'), ...missing, 422: { description: 'Invalid change.' } },
  }),
  delete: defineOperation({
    method: 'delete', path: one, operationId: 'deleteTenantDestination', tag: 'Destinations', summary: 'Delete a destination',
    responses: { 200: { description: 'Deleted.', schema: successSchema }, ...missing },
  }),
  enable: defineOperation({
    method: 'put', path: `${one}/enable`, operationId: 'enableTenantDestination', tag: 'Destinations', summary: 'Enable a destination',
    responses: { 200: shown('Enabled.'), ...missing },
  }),
  disable: defineOperation({
    method: 'put', path: `${one}/disable`, operationId: 'disableTenantDestination', tag: 'Destinations', summary: 'Disable a destination',
    responses: { 200: shown('Disabled.'), ...missing },
  }),
};

const role = (req: Request) => (req.principal?.role === 'tenant' ? 'tenant' : 'admin');

export function destinationRoutes(deps: AppDeps): Router {
  const router = Router();
  const { destinations, registry, destinationService } = deps;
  const listDestinationsQuery = listQuery(filterableDestinationTypes(registry.types()));
  const scoped = tenantScope(deps.tenants);
  const load = async (req: Request) => {
    const found = await destinations.get(param(req, 'tenant_id'), pathId(req, 'destination_id', 'destination not found'));
    if (!found) throw notFound('destination not found');
    return found;
  };

  mount(router, destinationOperations.list, scoped, async (req, res) => {
    const q = parseQuery(listDestinationsQuery, req.query);
    const list = await destinations.list(param(req, 'tenant_id'), { types: q.type, topics: q.topics });
    res.json(list.map((d) => presentDestination(d, registry)));
  });

  mount(router, destinationOperations.create, scoped, async (req, res) => {
    const b = parseBody(createBody, req.body);
    const tenantId = param(req, 'tenant_id');
    const created = await deps.trackSubscription(tenantId, () => destinationService.create(tenantId, {
      id: b.id, type: b.type, topics: b.topics, filter: b.filter, config: b.config, credentials: b.credentials,
      deliveryMetadata: b.delivery_metadata ?? undefined, metadata: b.metadata ?? undefined, disabledAt: b.disabled_at,
      createdAt: b.created_at, updatedAt: b.updated_at,
    }, role(req)));
    res.status(201).json(presentDestination(created, registry));
  });

  mount(router, destinationOperations.get, scoped, async (req, res) => {
    res.json(presentDestination(await load(req), registry));
  });

  mount(router, destinationOperations.update, scoped, async (req, res) => {
    const b = parseBody(patchBody, req.body);
    const existing = await load(req);
    const updated = await deps.trackSubscription(existing.tenantId, () => destinationService.update(existing, {
      type: b.type, topics: b.topics, filter: b.filter, config: b.config, credentials: b.credentials,
      deliveryMetadata: b.delivery_metadata, metadata: b.metadata, disabledAt: b.disabled_at,
    }, role(req)));
    if (existing.disabledAt && !updated.disabledAt) await deps.destinationHealth.reset(updated.tenantId, updated.id, 'enabled');
    // A new configuration means a new client; the old one would otherwise sit idle until it expires.
    const reconfigured = JSON.stringify([existing.config, existing.credentials]) !== JSON.stringify([updated.config, updated.credentials]);
    if (reconfigured) await registry.release(existing);
    res.json(presentDestination(updated, registry));
  });

  mount(router, destinationOperations.delete, scoped, async (req, res) => {
    const existing = await load(req);
    await deps.trackSubscription(existing.tenantId, () => destinations.softDelete(existing.tenantId, existing.id));
    await deps.destinationHealth.reset(existing.tenantId, existing.id, 'deleted');
    await registry.release(existing);
    res.json({ success: true });
  });

  for (const action of ['enable', 'disable'] as const) {
    mount(router, destinationOperations[action], scoped, async (req, res) => {
      const existing = await load(req);
      const updated = await destinations.setDisabledAt(existing.tenantId, existing.id, action === 'disable' ? new Date() : null);
      if (!updated) throw notFound('destination not found');
      if (action === 'enable' && existing.disabledAt) await deps.destinationHealth.reset(existing.tenantId, existing.id, 'enabled');
      res.json(presentDestination(updated, registry));
    });
  }

  return router;
}
