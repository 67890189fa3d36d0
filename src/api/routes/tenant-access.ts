import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { requireAdmin, signTenantToken, tenantScope } from '../auth.js';
import { ApiError, notFound } from '../errors.js';
import { param, parseQuery } from '../validate.js';

const portalQuery = z.object({ theme: z.enum(['light', 'dark']).optional() });

/**
 * How an admin hands a tenant its own access: GET /tenants/{id}/token (a tenant JWT) and
 * GET /tenants/{id}/portal (a portal link carrying a fresh one). Both are admin-only.
 */
export function tenantAccessRoutes(deps: AppDeps): Router {
  const router = Router();
  const mint = async (tenantId: string) => {
    if (!deps.config.api.jwtSecret) throw new ApiError(400, 'tenant tokens are disabled: set API_JWT_SECRET');
    const tenant = await deps.tenants.get(tenantId);
    if (!tenant) throw notFound('tenant not found');
    return signTenantToken(deps.auth, tenant);
  };

  router.get('/tenants/:tenant_id/token', requireAdmin, tenantScope(deps.tenants), async (req, res) => {
    const tenantId = param(req, 'tenant_id');
    res.json({ token: await mint(tenantId), tenant_id: tenantId });
  });

  router.get('/tenants/:tenant_id/portal', requireAdmin, tenantScope(deps.tenants), async (req, res) => {
    const { theme } = parseQuery(portalQuery, req.query);
    const tenantId = param(req, 'tenant_id');
    const url = new URL(deps.config.portal.url ?? `${req.protocol}://${req.get('host')}/portal`);
    url.searchParams.set('token', await mint(tenantId));
    url.searchParams.set('tenant_id', tenantId);
    if (theme) url.searchParams.set('theme', theme);
    res.json({ redirect_url: url.toString(), tenant_id: tenantId });
  });

  return router;
}

