import type { Attempt, Destination, EventRecord, StringMap, Tenant } from '../domain/types.js';
import type { DestinationRegistry } from '../destinations/registry.js';
import type { MetricsAnswer } from '../services/metrics-service.js';

/**
 * Wire shapes of the Outpost contract, shared by the API's answers and the operator events'
 * payloads: snake_case, empty maps omitted where Outpost omits them.
 */

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const nonEmpty = (m: StringMap | null | undefined) => (m && Object.keys(m).length > 0 ? m : undefined);

export function presentTenant(t: Tenant, summary: { destinationsCount: number; topics: string[] }) {
  return {
    id: t.id,
    destinations_count: summary.destinationsCount,
    topics: summary.topics,
    ...(nonEmpty(t.metadata) ? { metadata: t.metadata } : {}),
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
  };
}

export function presentDestination(d: Destination, registry: DestinationRegistry, now = new Date()) {
  const provider = registry.get(d.type);
  const shown = provider ? provider.present(d, now) : { credentials: {}, target: '' };
  return {
    id: d.id,
    tenant_id: d.tenantId,
    type: d.type,
    topics: d.topics,
    ...(d.filter && Object.keys(d.filter).length > 0 ? { filter: d.filter } : {}),
    config: d.config,
    credentials: shown.credentials,
    delivery_metadata: d.deliveryMetadata,
    ...(nonEmpty(d.metadata) ? { metadata: d.metadata } : {}),
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt),
    disabled_at: iso(d.disabledAt),
    target: shown.target,
    ...('targetUrl' in shown && shown.targetUrl ? { target_url: shown.targetUrl } : {}),
  };
}

export function presentEvent(e: EventRecord, options: { withData: boolean } = { withData: true }) {
  return {
    id: e.id,
    tenant_id: e.tenantId,
    matched_destination_ids: e.matchedDestinationIds,
    topic: e.topic,
    time: iso(e.time),
    eligible_for_retry: e.eligibleForRetry,
    ...(nonEmpty(e.metadata) ? { metadata: e.metadata } : {}),
    ...(options.withData ? { data: e.data } : {}),
  };
}

export interface AttemptIncludes {
  readonly responseData: boolean;
  readonly event?: EventRecord | null;
  readonly eventData: boolean;
  readonly destination?: ReturnType<typeof presentDestination> | null;
}

export function presentAttempt(a: Attempt, include: AttemptIncludes) {
  return {
    id: a.id,
    tenant_id: a.tenantId,
    event_id: a.eventId,
    destination_id: a.destinationId,
    destination_type: a.destinationType,
    status: a.status,
    code: a.code,
    attempt_number: a.attemptNumber,
    manual: a.manual,
    time: iso(a.time),
    ...(include.responseData ? { response_data: a.responseData } : {}),
    ...(include.event ? { event: presentEvent(include.event, { withData: include.eventData }) } : {}),
    ...(include.destination ? { destination: include.destination } : {}),
  };
}

export function presentPage<T>(
  models: T[],
  page: { next: string | null; prev: string | null },
  query: { dir: 'asc' | 'desc'; limit: number },
  orderBy = 'time',
) {
  return {
    models,
    pagination: { order_by: orderBy, dir: query.dir, limit: query.limit, next: page.next, prev: page.prev },
  };
}

/** A metrics answer; `time_bucket` and `granularity` only with a granularity, as the contract says. */
export function presentMetrics(answer: MetricsAnswer, granularity: string | undefined) {
  return {
    data: answer.points.map((p) => ({
      ...(p.bucket ? { time_bucket: p.bucket.toISOString() } : {}),
      dimensions: p.dimensions,
      metrics: p.metrics,
    })),
    metadata: {
      ...(granularity ? { granularity } : {}),
      query_time_ms: answer.queryTimeMs,
      row_count: answer.points.length,
      row_limit: answer.rowLimit,
      truncated: answer.truncated,
    },
  };
}
