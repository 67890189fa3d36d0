import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpTarget } from '../config/config.js';

/** gRPC sends headers as call metadata. */
async function grpcMetadata(headers: Readonly<Record<string, string>>) {
  const { Metadata } = await import('@grpc/grpc-js');
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  return metadata;
}

/** The OTLP span exporter for the target's protocol; only that protocol's exporter is loaded. */
export async function otlpSpanExporter(target: OtlpTarget): Promise<SpanExporter> {
  if (target.protocol === 'grpc') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
    return new OTLPTraceExporter({ url: target.url, metadata: await grpcMetadata(target.headers) });
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter({ url: target.url, headers: { ...target.headers } });
}

/** The OTLP metric exporter for the target's protocol (cumulative temporality, the SDK's default). */
export async function otlpMetricExporter(target: OtlpTarget): Promise<PushMetricExporter> {
  if (target.protocol === 'grpc') {
    const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-grpc');
    return new OTLPMetricExporter({ url: target.url, metadata: await grpcMetadata(target.headers) });
  }
  const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-proto');
  return new OTLPMetricExporter({ url: target.url, headers: { ...target.headers } });
}
