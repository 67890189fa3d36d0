import { Router, type Request } from 'express';
import { z } from 'zod';
import { filterableDestinationTypes } from '../../destinations/contract-types.js';
import { bucketsCovering, formatGranularity, parseGranularity, type Granularity } from '../../services/metrics-granularity.js';
import { METRICS_ROW_LIMIT, METRICS_VOCABULARY, type MetricsRequest, type MetricsSubject } from '../../services/metrics-service.js';
import { presentMetrics } from '../../wire/shapes.js';
import type { AppDeps } from '../app.js';
import { scopedTenantIds } from '../auth.js';
import { ApiError } from '../errors.js';
import { defineOperation, mount, type Operation } from '../openapi-registry.js';
import { metricsResponseSchema } from '../openapi-schemas.js';
import { parseQuery, queryEnumList, queryList, requiredQueryEnumList } from '../validate.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const instant = z.string().meta({ format: 'date-time' })
  .refine((s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 date-time')
  .transform((s) => new Date(s));

const granularity = z.string().optional().transform((text, ctx): Granularity | undefined => {
  if (text === undefined || text === '') return undefined;
  const parsed = parseGranularity(text);
  if ('problem' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  }
  return parsed.granularity;
});

/** Filters whose values the contract restricts; every other dimension filters on any text. */
function filterSchema(subject: MetricsSubject, destinationTypes: readonly string[]) {
  const restricted: Record<string, z.ZodType> = subject === 'events' ? {} : {
    destination_type: queryEnumList(destinationTypes),
    status: queryEnumList(['success', 'failed']),
    manual: queryEnumList(['true', 'false']),
    attempt_number: queryList.refine((values) => values?.every((v) => /^[1-9]\d{0,8}$/.test(v)) ?? true, 'must be positive whole numbers'),
  };
  const shape = Object.fromEntries(METRICS_VOCABULARY[subject].dimensions.map((d) => [d, restricted[d] ?? queryList]));
  return z.object(shape as Record<string, typeof queryList>).strict().optional();
}

const metricsQuery = (subject: MetricsSubject) => (destinationTypes: readonly string[]) => z.object({
  time: z.object({ start: instant, end: instant }).strict(),
  granularity,
  measures: requiredQueryEnumList(METRICS_VOCABULARY[subject].measures),
  dimensions: queryEnumList(METRICS_VOCABULARY[subject].dimensions),
  filters: filterSchema(subject, destinationTypes),
  // Not in the contract, which scopes by filters[tenant_id]; Outpost's server reads it as the
  // other log routes do: a tenant token may name only its own tenant.
  tenant_id: queryList,
}).superRefine((q, ctx) => {
  if (q.time.end <= q.time.start) ctx.addIssue({ code: 'custom', path: ['time', 'end'], message: 'must be after time.start' });
  else if (q.granularity && bucketsCovering(q.time.start, q.time.end, q.granularity, METRICS_ROW_LIMIT) === null) {
    ctx.addIssue({ code: 'custom', path: ['granularity'], message: `gives more than ${METRICS_ROW_LIMIT} buckets over this time range` });
  }
});

const responses = (what: string) => ({
  200: { description: `Aggregated ${what} metrics.`, schema: metricsResponseSchema },
  400: { description: 'Missing time range or measures, or an unknown measure, dimension, filter or granularity.' },
  403: { description: 'A tenant token used the tenant_id dimension or filter, or named another tenant.' },
});

const describeSubject = (subject: MetricsSubject) => {
  const { measures, dimensions } = METRICS_VOCABULARY[subject];
  return `Measures: ${measures.join(', ')}. Dimensions and filters: ${dimensions.join(', ')} (tenant_id admin only).`;
};

export const metricsOperations = {
  events: defineOperation({
    method: 'get', path: '/metrics/events', operationId: 'getEventMetrics', tag: 'Metrics', summary: 'Get event metrics',
    description: describeSubject('events'), query: metricsQuery('events'), responses: responses('event'),
  }),
  attempts: defineOperation({
    method: 'get', path: '/metrics/attempts', operationId: 'getAttemptMetrics', tag: 'Metrics', summary: 'Get attempt metrics',
    description: describeSubject('attempts'), query: metricsQuery('attempts'), responses: responses('attempt'),
  }),
};

const intersect = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  a === undefined ? b : b === undefined ? a : a.filter((id) => b.includes(id));

/** The request a caller may make: a tenant token sees its own tenant only and never groups by tenant. */
function metricsRequest(req: Request, subject: MetricsSubject, q: z.output<ReturnType<ReturnType<typeof metricsQuery>>>): MetricsRequest {
  const { tenant_id: tenantFilter, ...filters } = q.filters ?? {};
  if (req.principal?.role === 'tenant') {
    if (q.dimensions?.includes('tenant_id')) throw new ApiError(403, 'tenant_id dimension is not allowed for tenant-scoped requests');
    if (tenantFilter !== undefined) throw new ApiError(403, 'tenant_id filter is not allowed for tenant-scoped requests');
  }
  const tenants = intersect(scopedTenantIds(req, q.tenant_id), tenantFilter);
  const given = Object.entries(filters).filter((entry): entry is [string, string[]] => entry[1] !== undefined);
  return {
    subject, start: q.time.start, end: q.time.end, granularity: q.granularity ?? null,
    measures: [...new Set(q.measures)], dimensions: [...new Set(q.dimensions ?? [])],
    filters: Object.fromEntries([...given, ...(tenants ? [['tenant_id', tenants] as const] : [])]),
  };
}

/** GET /metrics/events and /metrics/attempts. */
export function metricsRoutes(deps: AppDeps): Router {
  const router = Router();
  const destinationTypes = filterableDestinationTypes(deps.registry.types());
  for (const subject of ['events', 'attempts'] as const) {
    const operation: Operation = metricsOperations[subject];
    const schema = metricsQuery(subject)(destinationTypes);
    mount(router, operation, async (req, res) => {
      const q = parseQuery(schema, req.query);
      const answer = await deps.metrics.query(metricsRequest(req, subject, q));
      res.json(presentMetrics(answer, q.granularity ? formatGranularity(q.granularity) : undefined));
    });
  }
  return router;
}
