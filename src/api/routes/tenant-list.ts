import { Router } from 'express';
import { z } from 'zod';
import { presentPage, presentTenant } from '../../wire/shapes.js';
import type { AppDeps } from '../app.js';
import { pageQuery, parseQuery, queryList } from '../validate.js';
import { paging, withCursorErrors } from './log-queries.js';

const tenantsQuery = z.object({
  ...pageQuery(20, 100),
  order_by: z.literal('created_at').optional(),
  id: queryList,
});

/** GET /tenants: admins page through every live tenant; a tenant token sees only its own tenant. */
export function tenantListRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/tenants', async (req, res) => {
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
