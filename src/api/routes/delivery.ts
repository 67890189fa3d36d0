import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { requireAdmin, scopedTenantIds } from '../auth.js';
import { destinationReferenceSchema, eventIdSchema, tenantReferenceSchema } from '../id-schemas.js';
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

/** POST /publish and POST /retry. */
export function deliveryRoutes(deps: AppDeps): Router {
  const router = Router();

  router.post('/publish', requireAdmin, async (req, res) => {
    const b = parseBody(publishBody, req.body);
    const result = await deps.publish({
      id: b.id, tenantId: b.tenant_id, destinationId: b.destination_id, topic: b.topic,
      eligibleForRetry: b.eligible_for_retry, time: b.time, metadata: b.metadata, data: b.data,
    });
    res.status(202).json({ id: result.id, duplicate: result.duplicate, destination_ids: result.destinationIds });
  });

  router.post('/retry', async (req, res) => {
    const b = parseBody(retryBody, req.body, 400);
    await deps.retry({ eventId: b.event_id, destinationId: b.destination_id, tenantIds: scopedTenantIds(req, undefined) });
    res.status(202).json({ success: true });
  });

  return router;
}
