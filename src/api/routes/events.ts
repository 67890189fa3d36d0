import { Router } from 'express';
import { z } from 'zod';
import { presentEvent, presentPage } from '../../wire/shapes.js';
import type { AppDeps } from '../app.js';
import { scopedTenantIds } from '../auth.js';
import { notFound } from '../errors.js';
import { pathId } from '../id-schemas.js';
import { pageQuery, parseQuery, queryList, timeRange } from '../validate.js';
import { defineOperation, mount } from '../openapi-registry.js';
import { eventPageSchema, eventSchema } from '../openapi-schemas.js';
import { getQuery, paging, withCursorErrors } from './log-queries.js';

const eventsQuery = z.object({
  ...pageQuery(100, 1000), id: queryList, tenant_id: queryList, destination_id: queryList, topic: queryList, time: timeRange,
});

export const eventOperations = {
  list: defineOperation({
    method: 'get', path: '/events', operationId: 'listEvents', tag: 'Events', summary: 'List events, newest first',
    query: eventsQuery,
    responses: { 200: { description: 'A page of events.', schema: eventPageSchema }, 400: { description: 'Invalid query or cursor.' }, 403: { description: 'Another tenant\'s events.' } },
  }),
  get: defineOperation({
    method: 'get', path: '/events/{event_id}', operationId: 'getEvent', tag: 'Events', summary: 'Get an event',
    query: getQuery,
    responses: { 200: { description: 'The event.', schema: eventSchema }, 404: { description: 'Event not found.' } },
  }),
};

/** The event log: GET /events and /events/{event_id}. */
export function eventRoutes(deps: AppDeps): Router {
  const router = Router();
  const { events } = deps;

  mount(router, eventOperations.list, async (req, res) => {
    const q = parseQuery(eventsQuery, req.query);
    const page = await withCursorErrors(() => events.list({
      ...paging(q), tenantIds: scopedTenantIds(req, q.tenant_id), ids: q.id, destinationIds: q.destination_id,
      topics: q.topic, time: q.time,
    }));
    res.json(presentPage(page.models.map((e) => presentEvent(e)), page, q));
  });

  mount(router, eventOperations.get, async (req, res) => {
    const q = parseQuery(getQuery, req.query);
    const tenantIds = scopedTenantIds(req, q.tenant_id ? [q.tenant_id] : undefined);
    const event = await events.get(tenantIds?.[0] ?? null, pathId(req, 'event_id', 'event not found'));
    if (!event) throw notFound('event not found');
    res.json(presentEvent(event));
  });

  return router;
}
