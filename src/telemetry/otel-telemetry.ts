import { context, metrics, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import { createApiMiddleware } from './api-middleware.js';
import { createInstruments } from './instruments.js';
import { otlpMetricExporter, otlpSpanExporter } from './otlp-exporters.js';
import { samplerFor } from './sampler.js';
import type { Telemetry, TelemetryOverrides } from './telemetry.js';
import { tracingClientInterceptors, workerTracing } from './temporal-tracing.js';

const SERVICE_VERSION = '0.1.0';

/**
 * How long the last flush may take at shutdown: a collector that is gone must not hold the
 * process's exit up to its export timeout (what is unsent then is dropped).
 */
const SHUTDOWN_FLUSH_MS = 3_000;

/**
 * The OpenTelemetry implementation of the facade: one tracer provider (when traces are on) and one
 * meter provider whose readers are the OTLP periodic reader and the Prometheus reader, whichever
 * are on. Registers the global context manager and W3C propagator that Temporal's interceptors use.
 */
export async function createOtelTelemetry(settings: Config['telemetry'], logger: Logger, overrides: TelemetryOverrides): Promise<Telemetry> {
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName, [ATTR_SERVICE_VERSION]: SERVICE_VERSION });

  const spanExporter = (overrides.spanExporter as SpanExporter | undefined)
    ?? (settings.traces ? await otlpSpanExporter(settings.traces) : undefined);
  // A test's in-memory exporter sees each span as it ends; OTLP export is batched.
  const spanProcessor: SpanProcessor | undefined = spanExporter
    && (overrides.spanExporter ? new SimpleSpanProcessor(spanExporter) : new BatchSpanProcessor(spanExporter));
  const tracerProvider = spanProcessor ? new BasicTracerProvider({ resource, sampler: samplerFor(settings.sampler), spanProcessors: [spanProcessor] }) : undefined;
  if (tracerProvider) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(tracerProvider);
  }
  const tracer: Tracer | null = tracerProvider ? tracerProvider.getTracer('herald', SERVICE_VERSION) : null;

  const readers: IMetricReader[] = [];
  if (overrides.metricReader) readers.push(overrides.metricReader as IMetricReader);
  if (settings.metrics) {
    readers.push(new PeriodicExportingMetricReader({
      exporter: await otlpMetricExporter(settings.metrics), exportIntervalMillis: settings.metricExportIntervalMs,
    }));
  }
  const prometheus = settings.prometheus ? new PrometheusExporter({ preventServerStart: true }) : undefined;
  if (prometheus) readers.push(prometheus);
  const meterProvider = new MeterProvider({ resource, readers });
  const instruments = createInstruments(meterProvider.getMeter('herald', SERVICE_VERSION));
  logger.info({
    traces: settings.traces?.url ?? (overrides.spanExporter ? 'in memory' : 'off'),
    metrics: settings.metrics?.url ?? (overrides.metricReader ? 'in memory' : 'off'),
    prometheus: settings.prometheus,
  }, 'telemetry on');

  let stopped: Promise<void> | undefined;
  return {
    eventPublished(topic, matchedDestinations) {
      instruments.publishedEvents.add(1, { topic });
      if (matchedDestinations > 0) instruments.eligibleEvents.add(1, { topic });
    },
    attemptSent(a, sendMs) {
      instruments.deliveredEvents.add(1, { type: a.destinationType, status: a.status });
      instruments.deliveryLatency.record(Math.round(sendMs), { type: a.destinationType });
      trace.getActiveSpan()?.setAttributes({
        'herald.tenant_id': a.tenantId, 'herald.event_id': a.eventId, 'herald.destination_id': a.destinationId,
        'herald.destination_type': a.destinationType, 'herald.attempt_number': a.attemptNumber, 'herald.manual': a.manual,
        'herald.attempt_status': a.status, 'herald.attempt_code': a.code,
        ...(/^\d{3}$/.test(a.code) ? { 'http.response.status_code': Number(a.code) } : {}),
      });
    },
    apiMiddleware: createApiMiddleware(tracer, instruments),
    prometheusHandler: prometheus ? (req, res) => prometheus.getMetricsRequestHandler(req, res) : null,
    clientInterceptors: tracer ? tracingClientInterceptors() : undefined,
    workerTracing: spanProcessor ? workerTracing(spanProcessor, resource) : null,
    shutdown: () => (stopped ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS)));
      await Promise.race([Promise.allSettled([tracerProvider?.shutdown(), meterProvider.shutdown()]), deadline]);
      clearTimeout(timer);
      if (tracerProvider) {
        trace.disable();
        propagation.disable();
        context.disable();
      }
      metrics.disable();
    })()),
  };
}
