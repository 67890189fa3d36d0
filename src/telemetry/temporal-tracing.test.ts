import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SerializableSpan } from '@temporalio/interceptors-opentelemetry';
import { describe, expect, it } from 'vitest';
import { workflowSpanToReadable } from './temporal-tracing.js';

const info = { workflowId: 'delivery/t/e/d', runId: 'run-1', workflowType: 'deliveryWorkflow', taskQueue: 'herald-delivery' };
const resource = resourceFromAttributes({ 'service.name': 'herald' });

function sandboxSpan(overrides: Partial<SerializableSpan> = {}): SerializableSpan {
  return {
    name: 'RunWorkflow:deliveryWorkflow', kind: SpanKind.INTERNAL,
    spanContext: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, traceState: 'k=v' },
    parentSpanId: 'c'.repeat(16), startTime: [1, 0], endTime: [2, 0], duration: [1, 0], ended: true,
    status: { code: SpanStatusCode.UNSET }, attributes: { temporalWorkflowId: 'delivery/t/e/d' }, links: [], events: [],
    droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0,
    instrumentationLibrary: { name: '@temporalio/interceptor-workflow' },
    ...overrides,
  };
}

describe('a workflow span handed over by the sandbox', () => {
  it('when it names its parent by id, then the span read by the exporters has that parent in the same trace', () => {
    const span = workflowSpanToReadable(sandboxSpan(), info, resource);
    expect(span.parentSpanContext).toEqual({ traceId: 'a'.repeat(32), spanId: 'c'.repeat(16), traceFlags: TraceFlags.SAMPLED });
    expect(span.spanContext()).toEqual({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED });
    expect(span.instrumentationScope).toEqual({ name: '@temporalio/interceptor-workflow' });
    expect(span.resource).toBe(resource);
  });

  it('when it is a root span, then it has no parent', () => {
    expect(workflowSpanToReadable(sandboxSpan({ parentSpanId: undefined }), info, resource).parentSpanContext).toBeUndefined();
  });

  it('when its attributes hold values OpenTelemetry cannot carry, then those are dropped and the workflow is named', () => {
    const attributes = { ok: 'yes', n: 2, list: ['a', 'b'], memo: { nested: true }, when: new Date(0) } as unknown as SerializableSpan['attributes'];
    expect(workflowSpanToReadable(sandboxSpan({ attributes }), info, resource).attributes).toEqual({
      ok: 'yes', n: 2, list: ['a', 'b'],
      temporalWorkflowId: 'delivery/t/e/d', temporalRunId: 'run-1', temporalWorkflowType: 'deliveryWorkflow', temporalTaskQueue: 'herald-delivery',
    });
  });
});
