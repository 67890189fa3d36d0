import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { requireAdmin, signTenantToken, tenantScope } from '../auth.js';
import { ApiError, notFound } from '../errors.js';
import { defineOperation, mount } from '../openapi-registry.js';
import { tenantPortalSchema, tenantTokenSchema } from '../openapi-schemas.js';
import { param, parseQuery } from '../validate.js';

const portalQuery = z.object({ theme: z.enum(['light', 'dark']).optional() });

export const tenantAccessOperations = {
  token: defineOperation({
    method: 'get', path: '/tenants/{tenant_id}/token', operationId: 'getTenantToken', tag: 'Tenants', summary: 'Mint a 24 h tenant token (admin)',
    responses: { 200: { description: 'The token.', schema: tenantTokenSchema }, 400: { description: 'Tenant tokens are disabled.' }, 403: { description: 'Not the admin key.' }, 404: { description: 'Tenant not found.' } },
  }),
  portal: defineOperation({
    method: 'get', path: '/tenants/{tenant_id}/portal', operationId: 'getTenantPortalUrl', tag: 'Tenants', summary: 'A portal link for the tenant, carrying a fresh tenant token (admin)',
    query: portalQuery,
    responses: { 200: { description: 'The link.', schema: tenantPortalSchema }, 400: { description: 'Bad theme, or tenant tokens are disabled.' }, 403: { description: 'Not the admin key.' }, 404: { description: 'Tenant not found.' } },
  }),
};

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

  mount(router, tenantAccessOperations.token, requireAdmin, tenantScope(deps.tenants), async (req, res) => {
    const tenantId = param(req, 'tenant_id');
    res.json({ token: await mint(tenantId), tenant_id: tenantId });
  });

  mount(router, tenantAccessOperations.portal, requireAdmin, tenantScope(deps.tenants), async (req, res) => {
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

