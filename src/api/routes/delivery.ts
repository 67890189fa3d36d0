import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { requireAdmin, scopedTenantIds } from '../auth.js';
import { destinationReferenceSchema, eventIdSchema, tenantReferenceSchema } from '../id-schemas.js';
import { defineOperation, mount } from '../openapi-registry.js';
import { publishResultSchema, successSchema } from '../openapi-schemas.js';
import { metadataMap, parseBody } from '../validate.js';

const publishBody = z.object({
  id: eventIdSchema.optional(),
  tenant_id: tenantReferenceSchema,
  destination_id: destinationReferenceSchema.optional(),
  topic: z.string().max(255, 'must be at most 255 characters').optional(),
  eligible_for_retry: z.boolean().default(true),
  time: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  metadata: metadataMap.nullable().optional().transform((m) => m ?? {}),
  data: z.record(z.string(), z.unknown(), { error: 'must be a valid JSON object' }),
});

/** The contract gives POST /retry no 422: every bad request, malformed JSON included, is a 400. */
const retryBody = z.object(
  { event_id: eventIdSchema, destination_id: destinationReferenceSchema },
  { error: (issue) => (issue.input === undefined || issue.input === null ? 'is required' : 'must be an object') },
);

export const deliveryOperations = {
  publish: defineOperation({
    method: 'post', path: '/publish', operationId: 'publishEvent', tag: 'Publish', summary: 'Publish an event (admin)',
    body: publishBody,
    responses: {
      202: { description: 'Accepted; `duplicate` when the id was published before.', schema: publishResultSchema },
      403: { description: 'Not the admin key.' }, 413: { description: 'Body too large.' }, 422: { description: 'Invalid event.' },
    },
  }),
  retry: defineOperation({
    method: 'post', path: '/retry', operationId: 'retryEvent', tag: 'Publish', summary: 'Deliver an event to a destination again',
    body: retryBody,
    responses: {
      202: { description: 'Retry scheduled.', schema: successSchema }, 400: { description: 'Invalid request, or the destination is disabled.' },
      403: { description: 'Another tenant\'s event.' }, 404: { description: 'Event or destination not found.' },
    },
  }),
};

/** POST /publish and POST /retry. */
export function deliveryRoutes(deps: AppDeps): Router {
  const router = Router();

  mount(router, deliveryOperations.publish, requireAdmin, async (req, res) => {
    const b = parseBody(publishBody, req.body);
    const result = await deps.publish({
      id: b.id, tenantId: b.tenant_id, destinationId: b.destination_id, topic: b.topic,
      eligibleForRetry: b.eligible_for_retry, time: b.time, metadata: b.metadata, data: b.data,
    });
    res.status(202).json({ id: result.id, duplicate: result.duplicate, destination_ids: result.destinationIds });
  });

  mount(router, deliveryOperations.retry, async (req, res) => {
    const b = parseBody(retryBody, req.body, 400);
    await deps.retry({ eventId: b.event_id, destinationId: b.destination_id, tenantIds: scopedTenantIds(req, undefined) });
    res.status(202).json({ success: true });
  });

  return router;
}
