/**
 * Response shapes of the OpenAPI document, checked at compile time against the `present*`
 * functions that build the real answers (see the assertions at the end).
 */
import { z } from 'zod';
import type { DestinationTypeMetadata } from '../destinations/types.js';
import type { presentAttempt, presentDestination, presentEvent, presentMetrics, presentPage, presentTenant } from '../wire/shapes.js';

/** Named schemas: the document lists them under `components.schemas` and refers to them. */
export const namedSchemas = z.registry<{ id: string }>();

const named = <S extends z.ZodType>(id: string, schema: S): S => {
  namedSchemas.add(schema, { id });
  return schema;
};

const stringMap = z.record(z.string(), z.string());
const time = z.string().nullable().meta({ format: 'date-time' });

export const errorSchema = named('APIErrorResponse', z.object({
  status: z.number().int(),
  message: z.string(),
  data: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).optional(),
}));

export const successSchema = named('SuccessResponse', z.object({ success: z.literal(true) }));

export const tenantSchema = named('Tenant', z.object({
  id: z.string(),
  destinations_count: z.number().int(),
  topics: z.array(z.string()),
  metadata: stringMap.optional(),
  created_at: time,
  updated_at: time,
}));

export const destinationSchema = named('Destination', z.object({
  id: z.string(),
  tenant_id: z.string(),
  type: z.string(),
  topics: z.array(z.string()),
  filter: z.record(z.string(), z.unknown()).optional(),
  config: stringMap,
  credentials: stringMap,
  delivery_metadata: stringMap,
  metadata: stringMap.optional(),
  created_at: time,
  updated_at: time,
  disabled_at: time,
  target: z.string(),
  target_url: z.string().optional(),
}));

export const eventSchema = named('Event', z.object({
  id: z.string(),
  tenant_id: z.string(),
  matched_destination_ids: z.array(z.string()),
  topic: z.string(),
  time,
  eligible_for_retry: z.boolean(),
  metadata: stringMap.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
}));

export const attemptSchema = named('Attempt', z.object({
  id: z.string(),
  tenant_id: z.string(),
  event_id: z.string(),
  destination_id: z.string(),
  destination_type: z.string(),
  status: z.enum(['success', 'failed']),
  code: z.string(),
  attempt_number: z.number().int(),
  manual: z.boolean(),
  time,
  response_data: z.record(z.string(), z.unknown()).nullable().optional(),
  event: eventSchema.optional(),
  destination: destinationSchema.optional(),
}));

const pagination = named('Pagination', z.object({
  order_by: z.string(),
  dir: z.enum(['asc', 'desc']),
  limit: z.number().int(),
  next: z.string().nullable(),
  prev: z.string().nullable(),
}));

const page = <S extends z.ZodType>(id: string, model: S) => named(id, z.object({ models: z.array(model), pagination }));
export const eventPageSchema = page('EventPage', eventSchema);
export const attemptPageSchema = page('AttemptPage', attemptSchema);
export const tenantPageSchema = named('TenantPage', z.object({ models: z.array(tenantSchema), pagination, count: z.number().int() }));

const field = z.object({
  key: z.string(),
  type: z.enum(['text', 'checkbox', 'key_value_map', 'select']),
  label: z.string(),
  description: z.string(),
  required: z.boolean(),
  sensitive: z.boolean(),
  default: z.string().optional(),
  minlength: z.number().int().optional(),
  maxlength: z.number().int().optional(),
  pattern: z.string().optional(),
  options: z.array(z.object({ label: z.string(), value: z.string() }).readonly()).readonly().optional(),
  placeholder: z.string().optional(),
  key_placeholder: z.string().optional(),
  value_placeholder: z.string().optional(),
});

export const destinationTypeSchema = named('DestinationTypeSchema', z.object({
  type: z.string(),
  label: z.string(),
  description: z.string(),
  icon: z.string(),
  instructions: z.string(),
  setup_link: z.object({ href: z.string(), cta: z.string() }).readonly().optional(),
  config_fields: z.array(field).readonly(),
  credential_fields: z.array(field).readonly(),
}));

export const publishResultSchema = named('PublishResponse', z.object({
  id: z.string(),
  duplicate: z.boolean(),
  destination_ids: z.array(z.string()),
}));

export const tenantTokenSchema = named('TenantToken', z.object({ token: z.string(), tenant_id: z.string() }));
export const tenantPortalSchema = named('TenantPortalUrl', z.object({ redirect_url: z.string(), tenant_id: z.string() }));

export const healthSchema = named('HealthResponse', z.object({
  status: z.enum(['healthy', 'failed']),
  timestamp: z.string(),
  workers: z.record(z.string(), z.object({ status: z.string() })),
}));

const metricsPointSchema = named('MetricsDataPoint', z.object({
  time_bucket: z.string().meta({ format: 'date-time', description: 'Start of the time bucket. Absent when no granularity is specified.' }).optional(),
  dimensions: stringMap.meta({ description: 'Dimension values for this data point. Empty object when no dimensions are requested.' }),
  metrics: z.record(z.string(), z.number()).meta({ description: 'Requested measure values for this data point.' }),
}));

export const metricsResponseSchema = named('MetricsResponse', z.object({
  data: z.array(metricsPointSchema),
  metadata: named('MetricsMetadata', z.object({
    granularity: z.string().optional(),
    query_time_ms: z.number().int(),
    row_count: z.number().int(),
    row_limit: z.number().int(),
    truncated: z.boolean(),
  })),
}));

// Compile-time drift checks: each answer the API builds is a value of its documented schema, and
// the schema names no field the answer lacks.
type Documents<Schema extends z.ZodType, Answer> = Answer extends z.input<Schema>
  ? (Exclude<keyof z.input<Schema>, keyof Answer> extends never ? true : false)
  : false;
const documented: [
  Documents<typeof tenantSchema, ReturnType<typeof presentTenant>>,
  Documents<typeof destinationSchema, ReturnType<typeof presentDestination>>,
  Documents<typeof eventSchema, ReturnType<typeof presentEvent>>,
  Documents<typeof attemptSchema, ReturnType<typeof presentAttempt>>,
  Documents<typeof eventPageSchema, ReturnType<typeof presentPage<ReturnType<typeof presentEvent>>>>,
  Documents<typeof destinationTypeSchema, DestinationTypeMetadata>,
  Documents<typeof metricsResponseSchema, ReturnType<typeof presentMetrics>>,
] = [true, true, true, true, true, true, true];
void documented;

/** Herald's extension: one event's delivery to one destination, from its workflow or its attempt log. */
export const deliveryTimelineSchema = named('DeliveryTimeline', z.object({
  tenant_id: z.string(),
  event_id: z.string(),
  destination_id: z.string(),
  status: z.enum(['pending', 'retrying', 'delivered', 'exhausted', 'skipped']),
  source: z.enum(['workflow', 'attempt_log']).meta({ description: '`workflow`: read from the live delivery workflow; `attempt_log`: the workflow is no longer kept, so no next attempt is known.' }),
  next_attempt_at: time.meta({ description: 'When the next automatic retry is scheduled; null when none is.' }),
  attempts: z.array(z.object({
    attempt_number: z.number().int(),
    attempt_id: z.string().nullable(),
    status: z.enum(['success', 'failed', 'skipped']),
    code: z.string(),
    manual: z.boolean(),
    time: z.string().meta({ format: 'date-time' }),
  })),
}));
