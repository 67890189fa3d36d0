import { Router } from 'express';
import type { DeliveryTimeline } from '../../services/timeline-service.js';
import type { AppDeps } from '../app.js';
import { tenantScope } from '../auth.js';
import { pathId } from '../id-schemas.js';
import { defineOperation, mount } from '../openapi-registry.js';
import { deliveryTimelineSchema } from '../openapi-schemas.js';
import { param } from '../validate.js';

export const timelineOperations = {
  get: defineOperation({
    method: 'get', path: '/tenants/{tenant_id}/destinations/{destination_id}/events/{event_id}/timeline',
    operationId: 'getDeliveryTimeline', tag: 'Attempts',
    summary: 'The delivery timeline of an event to a destination: every attempt and the next scheduled retry (Herald extension)',
    responses: {
      200: { description: 'The timeline.', schema: deliveryTimelineSchema },
      403: { description: 'Another tenant\'s token.' },
      404: { description: 'Tenant, destination or event not found.' },
    },
  }),
};

export function presentTimeline(t: DeliveryTimeline) {
  return {
    tenant_id: t.tenantId,
    event_id: t.eventId,
    destination_id: t.destinationId,
    status: t.status,
    source: t.source,
    next_attempt_at: t.nextAttemptAt,
    attempts: t.attempts.map((a) => ({
      attempt_number: a.attemptNumber, attempt_id: a.attemptId, status: a.status, code: a.code, manual: a.manual, time: a.time,
    })),
  };
}

/** GET …/events/{event_id}/timeline: read from the delivery workflow, or the attempt log once it is gone. */
export function timelineRoutes(deps: AppDeps): Router {
  const router = Router();
  mount(router, timelineOperations.get, tenantScope(deps.tenants), async (req, res) => {
    const timeline = await deps.timeline({
      tenantId: param(req, 'tenant_id'),
      destinationId: pathId(req, 'destination_id', 'destination not found'),
      eventId: pathId(req, 'event_id', 'event not found'),
    });
    res.json(presentTimeline(timeline));
  });
  return router;
}
