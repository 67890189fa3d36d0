import { randomBytes } from 'node:crypto';
import { MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createTelemetry, type Telemetry } from '../../src/telemetry/telemetry.js';
import { startTestHerald, TEST_ENV, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { deliveryHandle, eventually, tenantWithWebhook } from './fixtures.js';

/** A metric reader the test collects from when it wants (no export interval). */
class PullReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

// A whole Herald in this process with telemetry on, its spans and metrics read in memory, and
// Prometheus on: publish → workflow start → workflow → attempt is one trace, and the metrics
// carry Outpost's names and attributes.
let herald: TestHerald;
let receiver: Receiver;
let telemetry: Telemetry;
const spans = new InMemorySpanExporter();
const reader = new PullReader();

beforeAll(async () => {
  const config = loadConfig({ ...TEST_ENV, PROMETHEUS_ENABLED: 'true' });
  telemetry = await createTelemetry(config.telemetry, pino({ level: 'silent' }), { spanExporter: spans, metricReader: reader });
  herald = await startTestHerald({ PROMETHEUS_ENABLED: 'true' }, { telemetry });
  receiver = await startReceiver();
});
afterAll(async () => {
  await herald?.close();
  await receiver?.close();
  await telemetry?.shutdown();
});

const named = (name: string) => spans.getFinishedSpans().filter((s) => s.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

async function metric(name: string) {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
}

describe('traces', () => {
  it('when an event is published with a W3C traceparent, then publish, start, workflow and attempt are one trace of parent and child spans', async () => {
    const { tenantId, destinationId } = await tenantWithWebhook(herald, `${receiver.url}/traced`);
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const published = await herald.call('POST', '/publish', { tenant_id: tenantId, topic: 'order.created', data: { n: 1 } }, {
      traceparent: `00-${traceId}-${callerSpanId}-01`,
    });
    expect(published.status).toBe(202);
    await deliveryHandle(herald, tenantId, published.body.id, destinationId).result();

    const inTrace = (name: string) => named(name).filter((s) => s.spanContext().traceId === traceId);
    const attempt = await eventually(async () => inTrace('RunActivity:deliverAttempt'), (found) => found.length === 1, 30_000);
    const [server] = inTrace('POST /api/v1/publish');
    const [start] = inTrace('StartWorkflow:deliveryWorkflow');
    const [run] = await eventually(async () => inTrace('RunWorkflow:deliveryWorkflow'), (found) => found.length === 1, 30_000);
    const [scheduled] = inTrace('StartActivity:deliverAttempt');
    expect(server).toBeDefined();
    expect(parentOf(server!)).toBe(callerSpanId);
    expect(server!.attributes).toMatchObject({ 'http.route': '/api/v1/publish', 'http.response.status_code': 202 });
    expect(parentOf(start!)).toBe(server!.spanContext().spanId);
    expect(parentOf(run!)).toBe(start!.spanContext().spanId);
    expect(run!.attributes).toMatchObject({ temporalWorkflowType: 'deliveryWorkflow' });
    expect(parentOf(scheduled!)).toBe(run!.spanContext().spanId);
    expect(parentOf(attempt[0]!)).toBe(scheduled!.spanContext().spanId);
    expect(attempt[0]!.attributes).toMatchObject({
      'herald.tenant_id': tenantId, 'herald.event_id': published.body.id, 'herald.destination_id': destinationId,
      'herald.destination_type': 'webhook', 'herald.attempt_number': 1, 'herald.attempt_status': 'success',
      'herald.attempt_code': '200', 'http.response.status_code': 200,
    });
    // Spans of the workflow and of the process share the resource naming the service.
    expect(run!.resource.attributes['service.name']).toBe('herald');
  });
});

describe('sampling', () => {
  it('when the caller\'s traceparent says not sampled, then no span of that trace is recorded, in the API, the workflow or the attempt', async () => {
    const { tenantId, destinationId } = await tenantWithWebhook(herald, `${receiver.url}/unsampled`);
    const traceId = randomBytes(16).toString('hex');
    const published = await herald.call('POST', '/publish', { tenant_id: tenantId, topic: 'order.created', data: {} }, {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-00`,
    });
    expect(published.status).toBe(202);
    await deliveryHandle(herald, tenantId, published.body.id, destinationId).result();
    // A sampled delivery after it: once its workflow span is in, the unsampled one's would be too.
    const sampledTrace = randomBytes(16).toString('hex');
    const after = await herald.call('POST', '/publish', { tenant_id: tenantId, topic: 'order.created', data: {} }, {
      traceparent: `00-${sampledTrace}-${randomBytes(8).toString('hex')}-01`,
    });
    await deliveryHandle(herald, tenantId, after.body.id, destinationId).result();
    await eventually(async () => named('RunWorkflow:deliveryWorkflow').filter((s) => s.spanContext().traceId === sampledTrace), (f) => f.length === 1, 30_000);
    expect(spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId)).toEqual([]);
  });
});

describe('metrics', () => {
  it('when an event is delivered, then Outpost\'s metrics count it by topic, destination type, status and API route', async () => {
    const { tenantId, destinationId } = await tenantWithWebhook(herald, `${receiver.url}/counted`);
    const published = await herald.call('POST', '/publish', { tenant_id: tenantId, topic: 'user.created', data: {} });
    await deliveryHandle(herald, tenantId, published.body.id, destinationId).result();

    const point = (points: DataPoint<unknown>[] | undefined, attributes: Record<string, unknown>) =>
      points?.find((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
    const published_ = await metric('outpost.published_events');
    expect(point(published_?.dataPoints, { topic: 'user.created' })?.value).toBe(1);
    expect(point((await metric('outpost.eligible_events'))?.dataPoints, { topic: 'user.created' })?.value).toBe(1);
    const delivered = await eventually(() => metric('outpost.delivered_events'), (m) => m !== undefined, 30_000);
    expect(point(delivered?.dataPoints, { type: 'webhook', status: 'success' })?.value).toBeGreaterThanOrEqual(1);
    const latency = await metric('outpost.delivery_latency');
    expect(latency?.descriptor.unit).toBe('ms');
    expect((point(latency?.dataPoints, { type: 'webhook' })?.value as Histogram | undefined)?.count).toBeGreaterThanOrEqual(1);
    const calls = await metric('outpost.api_calls');
    expect(point(calls?.dataPoints, { method: 'POST', path: '/api/v1/publish', status: 202 })?.value).toBeGreaterThanOrEqual(1);
    expect(point(calls?.dataPoints, { method: 'POST', path: '/api/v1/tenants/:tenant_id/destinations', status: 201 })).toBeDefined();
    const apiLatency = await metric('outpost.api_response_latency');
    expect(point(apiLatency?.dataPoints, { method: 'POST', path: '/api/v1/publish' })).toBeDefined();
  });

  it('when Prometheus scrapes GET /metrics on the API, then the same metrics are there in its text format, without a token', async () => {
    const res = await fetch(`${herald.api.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of ['outpost_published_events', 'outpost_delivered_events', 'outpost_delivery_latency', 'outpost_api_calls', 'outpost_api_response_latency']) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/outpost_delivered_events_total\{[^}]*type="webhook"[^}]*status="success"/);
  });
});
