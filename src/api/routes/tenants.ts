import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { tenantScope } from '../auth.js';
import { notFound } from '../errors.js';
import { tenantIdSchema } from '../id-schemas.js';
import { presentTenant } from '../../wire/shapes.js';
import { defineOperation, mount } from '../openapi-registry.js';
import { successSchema, tenantSchema } from '../openapi-schemas.js';
import { metadataMap, param, parseBody } from '../validate.js';

/** The body is optional; `metadata: null` stores no metadata, as the contract's nullable map allows. */
const upsertBody = z.object({ metadata: metadataMap.nullable().optional() }).optional();

/** PUT creates the tenant, so its path id is checked like a body field (422 naming `tenant_id`). */
const newTenantPath = z.object({ tenant_id: tenantIdSchema });

const path = '/tenants/{tenant_id}';
export const tenantOperations = {
  upsert: defineOperation({
    method: 'put', path, operationId: 'upsertTenant', tag: 'Tenants', summary: 'Create or update a tenant',
    params: newTenantPath, body: upsertBody, bodyRequired: false,
    responses: { 200: { description: 'Updated.', schema: tenantSchema }, 201: { description: 'Created.', schema: tenantSchema }, 403: { description: 'Another tenant\'s token.' }, 422: { description: 'Invalid id or metadata.' } },
  }),
  get: defineOperation({
    method: 'get', path, operationId: 'getTenant', tag: 'Tenants', summary: 'Get a tenant',
    responses: { 200: { description: 'The tenant.', schema: tenantSchema }, 403: { description: 'Another tenant\'s token.' }, 404: { description: 'Tenant not found.' } },
  }),
  delete: defineOperation({
    method: 'delete', path, operationId: 'deleteTenant', tag: 'Tenants', summary: 'Delete a tenant and its destinations',
    responses: { 200: { description: 'Deleted.', schema: successSchema }, 403: { description: 'Another tenant\'s token.' }, 404: { description: 'Tenant not found.' } },
  }),
};

export function tenantRoutes(deps: AppDeps): Router {
  const router = Router();
  const { tenants } = deps;
  const present = async (id: string) => {
    const tenant = await tenants.get(id);
    if (!tenant) throw notFound('tenant not found');
    return presentTenant(tenant, await tenants.summary(id));
  };

  mount(router, tenantOperations.upsert, tenantScope(tenants, { allowMissing: true }), async (req, res) => {
    const body = parseBody(upsertBody, req.body);
    const id = parseBody(newTenantPath, { tenant_id: param(req, 'tenant_id') }).tenant_id;
    const { created } = await tenants.upsert(id, body?.metadata ?? {});
    res.status(created ? 201 : 200).json(await present(id));
  });

  mount(router, tenantOperations.get, tenantScope(tenants), async (req, res) => {
    res.json(await present(param(req, 'tenant_id')));
  });

  mount(router, tenantOperations.delete, tenantScope(tenants), async (req, res) => {
    await tenants.softDelete(param(req, 'tenant_id'));
    res.json({ success: true });
  });

  return router;
}
