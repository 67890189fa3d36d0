import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { telemetryWanted } from './telemetry.js';

const script = fileURLToPath(new URL('./testing/loaded-modules.ts', import.meta.url));

/** What a fresh process running Herald's modules with `env` has loaded. */
function loadedBy(env: Record<string, string>): { isNoTelemetry: boolean; packages: string[] } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_') && key !== 'PROMETHEUS_ENABLED'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 120_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { isNoTelemetry: boolean; packages: string[] };
}

// @google-cloud/pubsub loads the OpenTelemetry API (a no-op until an SDK registers), the semantic
// conventions and its own nested 1.x core on its own. What telemetry off must not load is Herald's
// copy of any SDK, exporter or context package, or Temporal's interceptors (top-level packages).
const shared = new Set(['@opentelemetry/api', '@opentelemetry/semantic-conventions']);
const telemetryPackages = (packages: string[]) => packages.filter((name) => !name.includes('>')
  && ((name.startsWith('@opentelemetry/') && !shared.has(name)) || name === '@temporalio/interceptors-opentelemetry'));

describe('telemetry off', () => {
  it('when no OTEL_* key and no Prometheus are set, then the process loads no OpenTelemetry SDK and gets the no-op facade', () => {
    const off = loadedBy({});
    expect(off.isNoTelemetry).toBe(true);
    expect(telemetryPackages(off.packages)).toEqual([]);
    // The check sees what is loaded: with Prometheus on, the SDK is there.
    const on = loadedBy({ PROMETHEUS_ENABLED: 'true' });
    expect(on.isNoTelemetry).toBe(false);
    expect(telemetryPackages(on.packages)).toEqual(expect.arrayContaining(['@opentelemetry/sdk-metrics', '@opentelemetry/exporter-prometheus']));
  }, 240_000);
});

describe('telemetry config', () => {
  const base = { AES_ENCRYPTION_SECRET: 'x' };

  it('when nothing is set, then every signal is off', () => {
    const { telemetry } = loadConfig(base);
    expect(telemetry).toMatchObject({ traces: null, metrics: null, prometheus: false });
    expect(telemetryWanted(telemetry)).toBe(false);
  });

  it('when only OTEL_SERVICE_NAME is set, then both signals go to the default local gRPC collector, as in Outpost', () => {
    const { telemetry } = loadConfig({ ...base, OTEL_SERVICE_NAME: 'herald-eu' });
    expect(telemetry).toMatchObject({
      serviceName: 'herald-eu',
      traces: { protocol: 'grpc', url: 'http://localhost:4317' },
      metrics: { protocol: 'grpc', url: 'http://localhost:4317' },
    });
  });

  it('when the base endpoint is HTTP, then each signal gets its path, per-signal endpoints are used as given, and headers merge', () => {
    const { telemetry } = loadConfig({
      ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_PROTOCOL: 'http',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:9000/otlp', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%20b,x=1',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x=2',
    });
    expect(telemetry.traces).toEqual({ protocol: 'http/protobuf', url: 'http://collector:4318/v1/traces', headers: { 'api-key': 'a b', x: '2' } });
    expect(telemetry.metrics).toEqual({ protocol: 'http/protobuf', url: 'http://metrics:9000/otlp', headers: { 'api-key': 'a b', x: '1' } });
  });

  it('when a signal exporter is none, then only the other is exported', () => {
    const { telemetry } = loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_METRICS_EXPORTER: 'none' });
    expect(telemetry.metrics).toBeNull();
    expect(telemetry.traces?.url).toBe('http://c:4317');
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, 'OTEL_EXPORTER_OTLP_HEADERS'],
    [{ WORKER_HTTP_PORT: '-1' }, 'WORKER_HTTP_PORT'],
  ])('when %o, then start-up fails naming %s', (env, name) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(name);
  });
});
