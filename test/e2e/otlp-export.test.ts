import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HeraldProcess } from '../../bench/herald-process.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { eventually } from '../harness/eventually.js';
import { receivedMetrics, receivedSpans, startOtelCollector, type OtelCollector } from '../harness/otel-collector.js';
import { createTestDatabase } from '../harness/postgres.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { killSpawnedHeralds, spawnHerald } from '../harness/spawn-herald.js';

// `herald api` exporting over OTLP/gRPC and `herald worker` over OTLP/HTTP (protobuf), as their own
// processes, to a real OTLP receiver: a publish is one trace across both processes, and each
// exports Outpost's metrics.
let collector: OtelCollector;
let receiver: Receiver;
let api: HeraldProcess;
let worker: HeraldProcess;
let apiUrl: string;

beforeAll(async () => {
  collector = await startOtelCollector();
  receiver = await startReceiver();
  const databaseUrl = await createTestDatabase(inject('databaseAdminUrl'));
  const shared = {
    DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: `otlp-${randomBytes(6).toString('hex')}`,
    OTEL_METRIC_EXPORT_INTERVAL: '500',
  };
  const apiPort = await freeLoopbackPort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  api = spawnHerald('api', {
    ...shared, API_PORT: String(apiPort), API_HOST: '127.0.0.1',
    OTEL_SERVICE_NAME: 'herald-api', OTEL_EXPORTER_OTLP_ENDPOINT: collector.grpcEndpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
  });
  worker = spawnHerald('worker', {
    ...shared, OTEL_SERVICE_NAME: 'herald-worker', OTEL_EXPORTER_OTLP_ENDPOINT: collector.httpEndpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
  });
  await Promise.all([api.waitForOutput(/"msg":"Herald is running"/, 180_000), worker.waitForOutput(/"msg":"Herald is running"/, 180_000)]);
});
afterAll(async () => {
  await killSpawnedHeralds();
  await receiver?.close();
  await collector?.stop();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${apiUrl}/api/v1${path}`, {
    method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const hex = (base64: string | undefined) => (base64 ? Buffer.from(base64, 'base64').toString('hex') : undefined);

describe('OTLP export to a collector', () => {
  it('when an event is published and delivered, then the collector gets one trace from both processes, over gRPC and over HTTP', async () => {
    const tenantId = `tenant_${randomBytes(4).toString('hex')}`;
    expect((await call('PUT', `/tenants/${tenantId}`, {})).status).toBe(201);
    const destination = await call('POST', `/tenants/${tenantId}/destinations`, { type: 'webhook', topics: '*', config: { url: `${receiver.url}/otlp` } });
    expect(destination.status).toBe(201);
    const traceId = randomBytes(16).toString('hex');
    const published = await call('POST', '/publish', { tenant_id: tenantId, topic: 'order.created', data: {} }, {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    });
    expect(published.status).toBe(202);
    await receiver.waitFor(1, 60_000);

    const spansOfTrace = () => receivedSpans(collector.received()).filter((s) => hex(s.traceId) === traceId);
    const spans = await eventually(async () => spansOfTrace(), (found) => found.some((s) => s.name === 'RunWorkflow:deliveryWorkflow'), 60_000);
    const find = (name: string) => spans.find((s) => s.name === name);
    expect(find('POST /api/v1/publish')).toMatchObject({ service: 'herald-api', transport: 'grpc' });
    expect(find('StartWorkflow:deliveryWorkflow')).toMatchObject({ service: 'herald-api', transport: 'grpc' });
    expect(find('RunWorkflow:deliveryWorkflow')).toMatchObject({ service: 'herald-worker', transport: 'http' });
    expect(find('RunActivity:deliverAttempt')).toMatchObject({
      service: 'herald-worker', transport: 'http',
      attributes: expect.objectContaining({ 'herald.tenant_id': tenantId, 'herald.destination_type': 'webhook', 'herald.attempt_status': 'success' }),
    });
    // The workflow's span is a child of the API's start span: the context crossed Temporal.
    expect(find('RunWorkflow:deliveryWorkflow')!.parentSpanId).toBe(find('StartWorkflow:deliveryWorkflow')!.spanId);
  });

  it('when metrics are exported, then the API\'s arrive over gRPC and the worker\'s over HTTP under Outpost\'s names', async () => {
    const names = (service: string, transport: 'grpc' | 'http') =>
      new Set(receivedMetrics(collector.received(), transport).filter((m) => m.service === service).map((m) => m.name));
    const apiNames = await eventually(async () => names('herald-api', 'grpc'), (found) => found.has('outpost.published_events') && found.has('outpost.api_calls'), 60_000);
    expect([...apiNames]).toEqual(expect.arrayContaining(['outpost.api_response_latency', 'outpost.eligible_events']));
    const workerNames = await eventually(async () => names('herald-worker', 'http'), (found) => found.has('outpost.delivered_events'), 60_000);
    expect([...workerNames]).toEqual(expect.arrayContaining(['outpost.delivery_latency']));
    const delivered = receivedMetrics(collector.received(), 'http').find((m) => m.name === 'outpost.delivered_events');
    expect(delivered?.points).toContainEqual({ type: 'webhook', status: 'success' });
  });
});
