import { Router, type Request } from 'express';
import { z } from 'zod';
import { filterableDestinationTypes } from '../../destinations/contract-types.js';
import type { Attempt } from '../../domain/types.js';
import { presentAttempt, presentDestination, presentPage } from '../../wire/shapes.js';
import type { AppDeps } from '../app.js';
import { scopedTenantIds, tenantScope } from '../auth.js';
import { notFound } from '../errors.js';
import { pathId } from '../id-schemas.js';
import { pageQuery, param, parseQuery, queryEnumList, queryList, timeRange } from '../validate.js';
import { defineOperation, mount } from '../openapi-registry.js';
import { attemptPageSchema, attemptSchema } from '../openapi-schemas.js';
import { getQuery, paging, withCursorErrors } from './log-queries.js';

const attemptsQuery = (destinationTypes: readonly string[]) => z.object({
  ...pageQuery(100, 1000), tenant_id: queryList, event_id: queryList, destination_id: queryList,
  destination_type: queryEnumList(destinationTypes), status: z.enum(['success', 'failed']).optional(), topic: queryList,
  time: timeRange, include: queryList,
});

const listed = { 200: { description: 'A page of attempts.', schema: attemptPageSchema }, 400: { description: 'Invalid query or cursor.' } };
const got = { 200: { description: 'The attempt.', schema: attemptSchema }, 404: { description: 'Attempt not found.' } };
const destinationPath = '/tenants/{tenant_id}/destinations/{destination_id}/attempts';

export const attemptOperations = {
  list: defineOperation({
    method: 'get', path: '/attempts', operationId: 'listAttempts', tag: 'Attempts', summary: 'List attempts, newest first',
    query: attemptsQuery, responses: { ...listed, 403: { description: 'Another tenant\'s attempts.' } },
  }),
  get: defineOperation({
    method: 'get', path: '/attempts/{attempt_id}', operationId: 'getAttempt', tag: 'Attempts', summary: 'Get an attempt',
    query: getQuery, responses: got,
  }),
  listForDestination: defineOperation({
    method: 'get', path: destinationPath, operationId: 'listTenantDestinationAttempts', tag: 'Attempts',
    summary: 'List a destination\'s attempts', query: attemptsQuery,
    responses: { ...listed, 403: { description: 'Another tenant\'s token.' }, 404: { description: 'Tenant or destination not found.' } },
  }),
  getForDestination: defineOperation({
    method: 'get', path: `${destinationPath}/{attempt_id}`, operationId: 'getTenantDestinationAttempt', tag: 'Attempts',
    summary: 'Get one of a destination\'s attempts', query: getQuery, responses: got,
  }),
};

/** The attempt log: GET /attempts, /attempts/{attempt_id} and the destination-scoped attempts. */
export function attemptRoutes(deps: AppDeps): Router {
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

  mount(router, attemptOperations.list, async (req, res) => res.json(await listAttempts(req, {})));
  mount(router, attemptOperations.get, async (req, res) => res.json(await getAttempt(req, null)));

  const scoped = tenantScope(deps.tenants);
  mount(router, attemptOperations.listForDestination, scoped, async (req, res) => {
    const destinationId = pathId(req, 'destination_id', 'destination not found');
    if (!(await destinations.get(param(req, 'tenant_id'), destinationId))) throw notFound('destination not found');
    res.json(await listAttempts(req, { tenantId: param(req, 'tenant_id'), destinationId }));
  });
  mount(router, attemptOperations.getForDestination, scoped, async (req, res) => {
    res.json(await getAttempt(req, param(req, 'tenant_id'), pathId(req, 'destination_id', 'attempt not found')));
  });

  return router;
}
