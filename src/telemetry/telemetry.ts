import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerInterceptors, WorkerOptions } from '@temporalio/worker';
import type { RequestHandler } from 'express';
import type { Config } from '../config/config.js';
import type { Attempt } from '../domain/types.js';
import type { Logger } from '../logger.js';

/**
 * Herald's traces and metrics behind one small object, so the code that measures never loads
 * OpenTelemetry itself. With telemetry off (the default) the object is `noTelemetry`: its methods
 * do nothing, it adds no middleware, no interceptor and no sink, and no OpenTelemetry module is
 * ever imported (the implementation is loaded with a dynamic import only when something is on).
 */

/** What the metrics and the attempt's span read of a recorded attempt (src/domain/types.ts). */
export type AttemptSent = Pick<Attempt,
  'tenantId' | 'eventId' | 'destinationId' | 'destinationType' | 'attemptNumber' | 'manual' | 'status' | 'code'>;

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
  /** `delivered_events` and `delivery_latency` (`sendMs`: how long the send to the destination took), and the attempt's attributes on the active span. */
  attemptSent(attempt: AttemptSent, sendMs: number): void;
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
