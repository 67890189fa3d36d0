import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { spawnBroker, stopBrokerProcess, tcpAccepts, waitUntilReady } from '../../src/runtime/brokers/broker-process.js';
import { ensureGoTool } from '../../src/runtime/go-build.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';

const SOURCE_DIR = fileURLToPath(new URL('../../tools/otel-collector/', import.meta.url));

/** One export request the collector received, in OTLP's JSON mapping. */
export interface ReceivedExport {
  readonly signal: 'traces' | 'metrics';
  readonly transport: 'grpc' | 'http';
  readonly request: any;
}

export interface OtelCollector {
  /** OTLP/gRPC endpoint, for OTEL_EXPORTER_OTLP_ENDPOINT with protocol grpc. */
  readonly grpcEndpoint: string;
  /** OTLP/HTTP base endpoint (the exporters append /v1/traces and /v1/metrics). */
  readonly httpEndpoint: string;
  /** Every export request received so far. */
  received(): ReceivedExport[];
  stop(): Promise<void>;
}

/**
 * A real OTLP receiver (tools/otel-collector, built once into Herald's cache with Go) on two free
 * loopback ports, writing what it receives to a file the test reads. Stop it in afterAll; it is
 * guarded, so it does not outlive a killed test run either.
 */
export async function startOtelCollector(): Promise<OtelCollector> {
  const binary = await ensureGoTool({
    label: 'the OTLP test collector', sourceDir: SOURCE_DIR, binaryPrefix: 'herald-otel-collector-',
    logger: pino({ level: 'info' }),
    onFailure: (reason) => new Error(`the OTLP test collector could not be built: ${reason}. Install Go >= 1.26 (go on PATH).`),
  });
  const [grpcPort, httpPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const out = join(mkdtempSync(join(tmpdir(), 'herald-otlp-')), 'received.jsonl');
  const proc = spawnBroker(binary, ['-grpc-port', String(grpcPort), '-http-port', String(httpPort), '-out', out], {});
  const stop = () => stopBrokerProcess(proc, 5_000);
  try {
    await waitUntilReady('OTLP collector', proc, async () => (await tcpAccepts(grpcPort)) && (await tcpAccepts(httpPort)), 60_000, 25);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    grpcEndpoint: `http://127.0.0.1:${grpcPort}`,
    httpEndpoint: `http://127.0.0.1:${httpPort}`,
    received: () => completeLines(existsSync(out) ? readFileSync(out, 'utf8') : '').map((line) => JSON.parse(line) as ReceivedExport),
    stop,
  };
}

/** The finished lines of a file another process is still appending to: a trailing line without its newline is still being written. */
function completeLines(text: string): string[] {
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((line) => line.trim() !== '');
}

/** The spans of the received trace exports, with their service name and attributes as a plain object. */
export function receivedSpans(exports: readonly ReceivedExport[], transport?: ReceivedExport['transport']) {
  return exports.filter((e) => e.signal === 'traces' && (!transport || e.transport === transport)).flatMap((e) =>
    (e.request.resourceSpans ?? []).flatMap((rs: any) => {
      const service = attributesOf(rs.resource?.attributes)['service.name'];
      return (rs.scopeSpans ?? []).flatMap((ss: any) => (ss.spans ?? []).map((span: any) => ({
        service, transport: e.transport, name: span.name as string, traceId: span.traceId as string,
        spanId: span.spanId as string, parentSpanId: span.parentSpanId as string | undefined, attributes: attributesOf(span.attributes),
      })));
    }));
}

/** The metric names of the received metric exports, with the attribute sets of their data points. */
export function receivedMetrics(exports: readonly ReceivedExport[], transport?: ReceivedExport['transport']) {
  return exports.filter((e) => e.signal === 'metrics' && (!transport || e.transport === transport)).flatMap((e) =>
    (e.request.resourceMetrics ?? []).flatMap((rm: any) => (rm.scopeMetrics ?? []).flatMap((sm: any) => (sm.metrics ?? []).map((m: any) => {
      const points = m.sum?.dataPoints ?? m.histogram?.dataPoints ?? m.gauge?.dataPoints ?? [];
      return { service: attributesOf(rm.resource?.attributes)['service.name'], name: m.name as string, points: points.map((p: any) => attributesOf(p.attributes)) };
    }))));
}

function attributesOf(list: { key: string; value: Record<string, unknown> }[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
}
