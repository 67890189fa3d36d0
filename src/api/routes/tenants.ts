import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { tenantScope } from '../auth.js';
import { notFound } from '../errors.js';
import { tenantIdSchema } from '../id-schemas.js';
import { presentTenant } from '../../wire/shapes.js';
import { metadataMap, param, parseBody } from '../validate.js';

/** The body is optional; `metadata: null` stores no metadata, as the contract's nullable map allows. */
const upsertBody = z.object({ metadata: metadataMap.nullable().optional() }).optional();

/** PUT creates the tenant, so its path id is checked like a body field (422 naming `tenant_id`). */
const newTenantPath = z.object({ tenant_id: tenantIdSchema });

export function tenantRoutes(deps: AppDeps): Router {
  const router = Router();
  const { tenants } = deps;
  const present = async (id: string) => {
    const tenant = await tenants.get(id);
    if (!tenant) throw notFound('tenant not found');
    return presentTenant(tenant, await tenants.summary(id));
  };

  router.put('/tenants/:tenant_id', tenantScope(tenants, { allowMissing: true }), async (req, res) => {
    const body = parseBody(upsertBody, req.body);
    const id = parseBody(newTenantPath, { tenant_id: param(req, 'tenant_id') }).tenant_id;
    const { created } = await tenants.upsert(id, body?.metadata ?? {});
    res.status(created ? 201 : 200).json(await present(id));
  });

  router.get('/tenants/:tenant_id', tenantScope(tenants), async (req, res) => {
    res.json(await present(param(req, 'tenant_id')));
  });

  router.delete('/tenants/:tenant_id', tenantScope(tenants), async (req, res) => {
    await tenants.softDelete(param(req, 'tenant_id'));
    res.json({ success: true });
  });

  return router;
}
