import type { Meter } from '@opentelemetry/api';

/**
 * The metrics Outpost exports, under Outpost's names and attributes, so dashboards built for
 * Outpost read Herald's unchanged. Latencies are whole milliseconds, as Outpost records them.
 */
export const METRIC_NAMES = {
  deliveryLatency: 'outpost.delivery_latency',
  deliveredEvents: 'outpost.delivered_events',
  publishedEvents: 'outpost.published_events',
  eligibleEvents: 'outpost.eligible_events',
  apiResponseLatency: 'outpost.api_response_latency',
  apiCalls: 'outpost.api_calls',
} as const;

export function createInstruments(meter: Meter) {
  return {
    deliveryLatency: meter.createHistogram(METRIC_NAMES.deliveryLatency, {
      unit: 'ms', description: 'How long the send of one delivery attempt to its destination took, by destination type.',
    }),
    deliveredEvents: meter.createCounter(METRIC_NAMES.deliveredEvents, {
      description: 'Delivery attempts sent, by destination type and status (success or failed).',
    }),
    publishedEvents: meter.createCounter(METRIC_NAMES.publishedEvents, { description: 'Events published, by topic.' }),
    eligibleEvents: meter.createCounter(METRIC_NAMES.eligibleEvents, {
      description: 'Published events that matched at least one destination, by topic.',
    }),
    apiResponseLatency: meter.createHistogram(METRIC_NAMES.apiResponseLatency, {
      unit: 'ms', description: 'API response latency, by method, route and status.',
    }),
    apiCalls: meter.createCounter(METRIC_NAMES.apiCalls, { description: 'API calls, by method, route and status.' }),
  };
}

export type Instruments = ReturnType<typeof createInstruments>;
