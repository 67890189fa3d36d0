import { fileURLToPath } from 'node:url';
import { TraceFlags, type AttributeValue, type Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type SerializableSpan,
} from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { WorkerTracing } from './telemetry.js';

/** The workflow interceptor module: Temporal's, with span ids drawn from a stream of their own. */
export const workflowTracingModule = fileURLToPath(new URL('../../workflows/tracing-interceptors.ts', import.meta.url));

/** Client side: `StartWorkflow:…` / `SignalWithStartWorkflow:…` spans, their context sent in the workflow's headers. */
export function tracingClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}

const isAttributeValue = (value: unknown): value is AttributeValue =>
  ['string', 'number', 'boolean'].includes(typeof value)
  || (Array.isArray(value) && value.every((item) => ['string', 'number', 'boolean'].includes(typeof item)));

/**
 * A span the workflow sandbox serialised, as the SDK's span processors read spans today. The
 * sandbox builds spans with OpenTelemetry 1.x, whose span names its parent by id and its
 * instrumentation "library"; current exporters read a parent span context and a "scope".
 */
export function workflowSpanToReadable(span: SerializableSpan, info: Pick<WorkflowInfo, 'workflowId' | 'runId' | 'workflowType' | 'taskQueue'>, resource: Resource): ReadableSpan {
  const { traceState: _traceState, ...spanContext } = span.spanContext;
  const attributes: Attributes = {
    ...Object.fromEntries(Object.entries(span.attributes).filter(([, value]) => isAttributeValue(value))),
    temporalWorkflowId: info.workflowId,
    temporalRunId: info.runId,
    temporalWorkflowType: info.workflowType,
    temporalTaskQueue: info.taskQueue,
  };
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => spanContext,
    parentSpanContext: span.parentSpanId
      ? { traceId: spanContext.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED }
      : undefined,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource,
    instrumentationScope: span.instrumentationLibrary,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * Worker side: `RunActivity:…` spans (children of the workflow's `StartActivity:…`), and the sink
 * through which the sandbox hands over its finished workflow spans. Not called during replay: a
 * replayed workflow task already exported its spans when it first ran.
 */
export function workerTracing(processor: SpanProcessor, resource: Resource): WorkerTracing {
  return {
    interceptors: {
      activity: [(ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      })],
    },
    sinks: {
      exporter: {
        export: {
          fn: (info: WorkflowInfo, spans: SerializableSpan[]) => {
            for (const span of spans) processor.onEnd(workflowSpanToReadable(span, info, resource));
          },
        },
      },
    },
    workflowModules: [workflowTracingModule],
  };
}
