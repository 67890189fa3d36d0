import { Router } from 'express';
import { z } from 'zod';
import { presentPage, presentTenant } from '../../wire/shapes.js';
import type { AppDeps } from '../app.js';
import { defineOperation, mount } from '../openapi-registry.js';
import { tenantPageSchema } from '../openapi-schemas.js';
import { pageQuery, parseQuery, queryList } from '../validate.js';
import { paging, withCursorErrors } from './log-queries.js';

const tenantsQuery = z.object({
  ...pageQuery(20, 100),
  order_by: z.literal('created_at').optional(),
  id: queryList,
});

export const tenantListOperations = {
  list: defineOperation({
    method: 'get', path: '/tenants', operationId: 'listTenants', tag: 'Tenants', summary: 'List tenants (a tenant token lists its own)',
    query: tenantsQuery,
    responses: { 200: { description: 'A page of tenants and the total count.', schema: tenantPageSchema }, 400: { description: 'Bad limit, direction, order or cursor.' } },
  }),
};

/** GET /tenants: admins page through every live tenant; a tenant token sees only its own tenant. */
export function tenantListRoutes(deps: AppDeps): Router {
  const router = Router();

  mount(router, tenantListOperations.list, async (req, res) => {
    const q = parseQuery(tenantsQuery, req.query);
    const principal = req.principal;
    // A token's listing is its tenant alone, on one page: its cursors are ignored, as no page follows.
    const request = principal?.role === 'tenant'
      ? { limit: q.limit, dir: q.dir, ids: [principal.tenantId] }
      : { ...paging(q), ids: q.id };
    const page = await withCursorErrors(() => deps.tenants.list(request));
    const models = page.models.map(({ tenant, summary }) => presentTenant(tenant, summary));
    res.json({ ...presentPage(models, page, q, 'created_at'), count: page.count });
  });

  return router;
}
