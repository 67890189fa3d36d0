import { Router, type Request } from 'express';
import { z } from 'zod';
import { InvalidCursorError } from '../../db/cursor.js';
import { filterableDestinationTypes } from '../../destinations/contract-types.js';
import type { Attempt } from '../../domain/types.js';
import type { AppDeps } from '../app.js';
import { scopedTenantIds, tenantScope } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import { pathId } from '../id-schemas.js';
import { presentAttempt, presentDestination, presentEvent, presentPage } from '../../wire/shapes.js';
import { pageQuery, param, parseQuery, queryEnumList, queryList, timeRange } from '../validate.js';

const eventsQuery = z.object({
  ...pageQuery(100, 1000), id: queryList, tenant_id: queryList, destination_id: queryList, topic: queryList, time: timeRange,
});
const attemptsQuery = (destinationTypes: readonly string[]) => z.object({
  ...pageQuery(100, 1000), tenant_id: queryList, event_id: queryList, destination_id: queryList,
  destination_type: queryEnumList(destinationTypes), status: z.enum(['success', 'failed']).optional(), topic: queryList,
  time: timeRange, include: queryList,
});
const getQuery = z.object({ tenant_id: z.string().optional(), include: queryList });

function paging(q: { limit: number; dir: 'asc' | 'desc'; next?: string | undefined; prev?: string | undefined }) {
  if (q.next && q.prev) throw badRequest('next and prev cannot be used together');
  return { limit: q.limit, dir: q.dir, next: q.next, prev: q.prev };
}

async function withCursorErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badRequest('invalid cursor');
    throw error;
  }
}

/** Event log and attempt log: GET /events, /attempts and the destination-scoped attempts. */
export function logRoutes(deps: AppDeps): Router {
  const router = Router();
  const { events, attempts, destinations, registry } = deps;
  const listAttemptsQuery = attemptsQuery(filterableDestinationTypes(registry.types()));

  const expand = async (list: Attempt[], include: string[] | undefined) => {
    const inc = new Set(include ?? []);
    const withEvent = inc.has('event') || inc.has('event.data');
    return Promise.all(
      list.map(async (a) => {
        const destination = inc.has('destination') ? await destinations.get(a.tenantId, a.destinationId) : null;
        return presentAttempt(a, {
          responseData: inc.has('response_data'),
          event: withEvent ? await events.get(a.tenantId, a.eventId) : null,
          eventData: inc.has('event.data'),
          destination: destination ? presentDestination(destination, registry) : null,
        });
      }),
    );
  };

  router.get('/events', async (req, res) => {
    const q = parseQuery(eventsQuery, req.query);
    const page = await withCursorErrors(() => events.list({
      ...paging(q), tenantIds: scopedTenantIds(req, q.tenant_id), ids: q.id, destinationIds: q.destination_id,
      topics: q.topic, time: q.time,
    }));
    res.json(presentPage(page.models.map((e) => presentEvent(e)), page, q));
  });

  router.get('/events/:event_id', async (req, res) => {
    const q = parseQuery(getQuery, req.query);
    const tenantIds = scopedTenantIds(req, q.tenant_id ? [q.tenant_id] : undefined);
    const event = await events.get(tenantIds?.[0] ?? null, pathId(req, 'event_id', 'event not found'));
    if (!event) throw notFound('event not found');
    res.json(presentEvent(event));
  });

  const listAttempts = async (req: Request, forced: { tenantId?: string; destinationId?: string }) => {
    const q = parseQuery(listAttemptsQuery, req.query);
    const page = await withCursorErrors(() => attempts.list({
      ...paging(q),
      tenantIds: forced.tenantId ? [forced.tenantId] : scopedTenantIds(req, q.tenant_id),
      eventIds: q.event_id,
      destinationIds: forced.destinationId ? [forced.destinationId] : q.destination_id,
      destinationTypes: q.destination_type, status: q.status, topics: q.topic, time: q.time,
    }));
    return presentPage(await expand(page.models, q.include), page, q);
  };

  const getAttempt = async (req: Request, tenantId: string | null, destinationId?: string) => {
    const q = parseQuery(getQuery, req.query);
    const scoped = tenantId ?? scopedTenantIds(req, q.tenant_id ? [q.tenant_id] : undefined)?.[0] ?? null;
    const attempt = await attempts.get(scoped, pathId(req, 'attempt_id', 'attempt not found'));
    if (!attempt || (destinationId && attempt.destinationId !== destinationId)) throw notFound('attempt not found');
    const [shown] = await expand([attempt], q.include);
    return shown;
  };

  router.get('/attempts', async (req, res) => res.json(await listAttempts(req, {})));
  router.get('/attempts/:attempt_id', async (req, res) => res.json(await getAttempt(req, null)));

  const scoped = tenantScope(deps.tenants);
  router.get('/tenants/:tenant_id/destinations/:destination_id/attempts', scoped, async (req, res) => {
    const destinationId = pathId(req, 'destination_id', 'destination not found');
    if (!(await destinations.get(param(req, 'tenant_id'), destinationId))) throw notFound('destination not found');
    res.json(await listAttempts(req, { tenantId: param(req, 'tenant_id'), destinationId }));
  });
  router.get('/tenants/:tenant_id/destinations/:destination_id/attempts/:attempt_id', scoped, async (req, res) => {
    res.json(await getAttempt(req, param(req, 'tenant_id'), pathId(req, 'destination_id', 'attempt not found')));
  });

  return router;
}
