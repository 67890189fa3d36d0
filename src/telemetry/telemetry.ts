import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerInterceptors, WorkerOptions } from '@temporalio/worker';
import type { RequestHandler } from 'express';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';

/**
 * Herald's traces and metrics behind one small object, so the code that measures never loads
 * OpenTelemetry itself. With telemetry off (the default) the object is `noTelemetry`: its methods
 * do nothing, it adds no middleware, no interceptor and no sink, and no OpenTelemetry module is
 * ever imported (the implementation is loaded with a dynamic import only when something is on).
 */

/** One recorded send of a delivery attempt. */
export interface AttemptSent {
  readonly tenantId: string;
  readonly eventId: string;
  readonly destinationId: string;
  readonly destinationType: string;
  readonly attemptNumber: number;
  readonly manual: boolean;
  readonly status: 'success' | 'failed';
  /** HTTP status, or the failure class (`timeout`, `connection_refused`, …). */
  readonly code: string;
  /** How long the send to the destination took. */
  readonly sendMs: number;
}

/** What the worker adds to its options for tracing (activity spans, workflow span export). */
export interface WorkerTracing {
  readonly interceptors: Pick<WorkerInterceptors, 'activity'>;
  readonly sinks: NonNullable<WorkerOptions['sinks']>;
  /** Workflow interceptor modules to bundle with the workflows. */
  readonly workflowModules: readonly string[];
}

export interface Telemetry {
  /** A publish stored a new event: `published_events`, and `eligible_events` when it matched a destination. */
  eventPublished(topic: string, matchedDestinations: number): void;
  /** `delivered_events` and `delivery_latency`, and the attempt's attributes on the active span. */
  attemptSent(attempt: AttemptSent): void;
  /** Server span and `api_calls` / `api_response_latency` per request; null when off. */
  readonly apiMiddleware: RequestHandler | null;
  /** Serves the Prometheus text format (GET /metrics); null unless PROMETHEUS_ENABLED. */
  readonly prometheusHandler: RequestHandler | null;
  /** Interceptors of the Temporal client: start and signal spans carrying the trace into workflows. */
  readonly clientInterceptors: ClientInterceptors | undefined;
  /** Null when tracing is off: the worker then bundles and runs exactly what it runs without telemetry. */
  readonly workerTracing: WorkerTracing | null;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

export const noTelemetry: Telemetry = Object.freeze({
  eventPublished: () => undefined,
  attemptSent: () => undefined,
  apiMiddleware: null,
  prometheusHandler: null,
  clientInterceptors: undefined,
  workerTracing: null,
  shutdown: async () => undefined,
});

/** Exporters a test substitutes for OTLP and Prometheus (an in-memory span exporter and metric reader). */
export interface TelemetryOverrides {
  readonly spanExporter?: unknown;
  readonly metricReader?: unknown;
}

/** Whether anything is configured on: OTLP traces or metrics, or the Prometheus endpoint. */
export function telemetryWanted(settings: Config['telemetry'], overrides: TelemetryOverrides = {}): boolean {
  return settings.traces !== null || settings.metrics !== null || settings.prometheus
    || overrides.spanExporter !== undefined || overrides.metricReader !== undefined;
}

/** `noTelemetry` unless something is on; only then is the OpenTelemetry implementation loaded. */
export async function createTelemetry(settings: Config['telemetry'], logger: Logger, overrides: TelemetryOverrides = {}): Promise<Telemetry> {
  if (!telemetryWanted(settings, overrides)) return noTelemetry;
  const { createOtelTelemetry } = await import('./otel-telemetry.js');
  return createOtelTelemetry(settings, logger, overrides);
}
