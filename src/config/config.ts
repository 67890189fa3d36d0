import type { z } from 'zod';
import { envKeys, type EnvKeyName } from './env-schema.js';
import { computeRetryDelays } from '../domain/retry-schedule.js';
import { operatorEventsConfig } from './operator-events-config.js';

type Env = Record<string, string | undefined>;
type Parsed = { [K in EnvKeyName]: z.output<(typeof envKeys)[K]['schema']> };

/** Thrown at start-up when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Older or Outpost-documented names accepted for the same setting. */
const aliases: Record<string, EnvKeyName> = {
  POSTGRES_URL: 'DATABASE_URL',
  // Outpost's docs call the portal's brand color its accent color.
  PORTAL_ACCENT_COLOR: 'PORTAL_BRAND_COLOR',
  // Outpost's code reads OPERATOR_EVENTS_*; its docs (and Herald) say OPERATION_EVENTS_*.
  ...Object.fromEntries(
    Object.keys(envKeys)
      .filter((k) => k.startsWith('OPERATION_EVENTS_'))
      .map((k) => [k.replace('OPERATION_EVENTS_', 'OPERATOR_EVENTS_'), k as EnvKeyName]),
  ),
};

function readEnv(env: Env): { values: Partial<Parsed>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, key] of Object.entries(envKeys) as [EnvKeyName, (typeof envKeys)[EnvKeyName]][]) {
    const alias = Object.keys(aliases).find((a) => aliases[a] === name && env[a] !== undefined);
    const raw = env[name] ?? (alias ? env[alias] : undefined) ?? ('default' in key ? key.default : undefined);
    const result = key.schema.safeParse(raw === '' && !('default' in key) ? undefined : raw);
    if (result.success) values[name] = result.data;
    else problems.push(`${name}: ${result.error.issues.map((i) => i.message).join('; ')} (got ${JSON.stringify(raw)})`);
  }
  return { values, problems };
}

function buildConfig(v: Parsed, operatorEvents: ReturnType<typeof operatorEventsConfig>) {
  const retryDelaysSeconds = computeRetryDelays({
    schedule: v.RETRY_SCHEDULE,
    intervalSeconds: v.RETRY_INTERVAL_SECONDS,
    maxRetryLimit: v.MAX_RETRY_LIMIT,
  });
  return {
    api: {
      port: v.API_PORT,
      host: v.API_HOST,
      apiKey: v.API_KEY,
      jwtSecret: v.API_JWT_SECRET,
      maxRequestBodyBytes: v.API_MAX_REQUEST_BODY_BYTES,
      dependencyTimeoutMs: v.API_DEPENDENCY_TIMEOUT_SECONDS * 1000,
      maxInFlightStarts: v.API_MAX_IN_FLIGHT_STARTS,
    },
    deploymentId: v.DEPLOYMENT_ID,
    topics: { configured: v.TOPICS.length > 0 ? v.TOPICS : null, allowWildcards: v.TOPICS_ALLOW_WILDCARDS },
    ids: { type: v.IDGEN_TYPE, eventPrefix: v.IDGEN_EVENT_PREFIX, destinationPrefix: v.IDGEN_DESTINATION_PREFIX },
    maxDestinationsPerTenant: v.MAX_DESTINATIONS_PER_TENANT,
    log: { level: v.LOG_LEVEL, format: v.LOG_FORMAT },
    db: {
      url: v.DATABASE_URL, poolMax: v.DATABASE_POOL_MAX, encryptionSecret: v.AES_ENCRYPTION_SECRET,
      destinationCacheTtlMs: v.DESTINATION_CACHE_TTL_SECONDS * 1000,
    },
    temporal: {
      address: v.TEMPORAL_ADDRESS,
      namespace: v.TEMPORAL_NAMESPACE,
      taskQueue: v.TEMPORAL_TASK_QUEUE,
      apiKey: v.TEMPORAL_API_KEY,
      tls: {
        enabled: v.TEMPORAL_TLS || v.TEMPORAL_API_KEY !== undefined || v.TEMPORAL_TLS_CERT_PATH !== undefined,
        certPath: v.TEMPORAL_TLS_CERT_PATH,
        keyPath: v.TEMPORAL_TLS_KEY_PATH,
        caPath: v.TEMPORAL_TLS_CA_PATH,
        serverName: v.TEMPORAL_TLS_SERVER_NAME,
      },
      setupNamespace: v.TEMPORAL_SETUP_NAMESPACE,
      retentionDays: v.TEMPORAL_RETENTION_DAYS,
    },
    worker: {
      maxConcurrentActivities: v.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTasks: v.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ?? v.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxCachedWorkflows: v.WORKER_MAX_CACHED_WORKFLOWS,
      redriveAfterMs: v.WORKER_REDRIVE_AFTER_SECONDS * 1000,
      tuner: v.WORKER_TUNER,
      targetCpuUsage: v.WORKER_TARGET_CPU_USAGE,
      http: v.WORKER_HTTP_PORT > 0 ? { port: v.WORKER_HTTP_PORT, host: v.WORKER_HTTP_HOST } : null,
    },
    telemetry: telemetryConfig(v),
    delivery: {
      retryDelaysSeconds,
      timeoutMs: v.DELIVERY_TIMEOUT_SECONDS * 1000,
      attemptMode: v.DELIVERY_ATTEMPT_MODE,
      awaitManualRetrySeconds: v.DELIVERY_AWAIT_MANUAL_RETRY_SECONDS,
    },
    alerts: {
      consecutiveFailureCount: v.ALERT_CONSECUTIVE_FAILURE_COUNT,
      autoDisableDestination: v.ALERT_AUTO_DISABLE_DESTINATION,
      exhaustedRetriesWindowSeconds: v.ALERT_EXHAUSTED_RETRIES_WINDOW_SECONDS,
    },
    portal: {
      url: v.PORTAL_URL,
      refererUrl: v.PORTAL_REFERER_URL,
      refreshUrl: v.PORTAL_REFRESH_URL,
      organizationName: v.PORTAL_ORGANIZATION_NAME,
      brandColor: v.PORTAL_BRAND_COLOR,
      logo: v.PORTAL_LOGO,
      logoDark: v.PORTAL_LOGO_DARK,
      faviconUrl: v.PORTAL_FAVICON_URL,
      forceTheme: v.PORTAL_FORCE_THEME,
      disableOutpostBranding: v.PORTAL_DISABLE_OUTPOST_BRANDING,
      enableDestinationFilter: v.PORTAL_ENABLE_DESTINATION_FILTER,
      enableWebhookCustomHeaders: v.PORTAL_ENABLE_WEBHOOK_CUSTOM_HEADERS,
      proxyUrl: v.PORTAL_PROXY_URL,
    },
    operatorEvents,
    destinations: {
      deliveryTimeoutMs: v.DELIVERY_TIMEOUT_SECONDS * 1000,
      userAgent: v.HTTP_USER_AGENT,
      includeMillisecondTimestamp: v.DESTINATIONS_INCLUDE_MILLISECOND_TIMESTAMP,
      webhook: {
        mode: v.DESTINATIONS_WEBHOOK_MODE,
        headerPrefix: v.DESTINATIONS_WEBHOOK_HEADER_PREFIX,
        signatureAlgorithm: v.DESTINATIONS_WEBHOOK_SIGNATURE_ALGORITHM,
        signatureEncoding: v.DESTINATIONS_WEBHOOK_SIGNATURE_ENCODING,
        maxResponseBodyBytes: v.DESTINATIONS_WEBHOOK_MAX_RESPONSE_BODY_BYTES,
        blockPrivateNetworks: v.DESTINATIONS_WEBHOOK_BLOCK_PRIVATE_NETWORKS,
        allowedNetworks: v.DESTINATIONS_WEBHOOK_ALLOWED_NETWORKS,
      },
      awsKinesis: { metadataInPayload: v.DESTINATIONS_AWS_KINESIS_METADATA_IN_PAYLOAD },
      hookdeck: { apiUrl: v.DESTINATIONS_HOOKDECK_API_URL, eventsUrl: v.DESTINATIONS_HOOKDECK_EVENTS_URL },
    },
  };
}

/** Where one OTLP signal goes; null = that signal is not exported. */
export interface OtlpTarget {
  readonly protocol: 'grpc' | 'http/protobuf';
  /** Full URL: the per-signal endpoint as given, or the base endpoint (plus the signal's path over HTTP). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The OpenTelemetry specification's default collector addresses, per protocol. */
const OTLP_DEFAULT_ENDPOINT = { grpc: 'http://localhost:4317', 'http/protobuf': 'http://localhost:4318' } as const;

function otlpTarget(v: Parsed, signal: 'TRACES' | 'METRICS', exportOn: boolean): OtlpTarget | null {
  const own = v[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`];
  if (v[`OTEL_${signal}_EXPORTER`] === 'none' || (!exportOn && !own)) return null;
  const protocol = v[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] ?? v.OTEL_EXPORTER_OTLP_PROTOCOL;
  const base = (v.OTEL_EXPORTER_OTLP_ENDPOINT ?? OTLP_DEFAULT_ENDPOINT[protocol]).replace(/\/+$/, '');
  const url = own ?? (protocol === 'grpc' ? base : `${base}/v1/${signal.toLowerCase()}`);
  return { protocol, url, headers: { ...v.OTEL_EXPORTER_OTLP_HEADERS, ...v[`OTEL_EXPORTER_OTLP_${signal}_HEADERS`] } };
}

/** OTLP export is on when a service name or an endpoint is set; each signal can be turned off on its own. */
function telemetryConfig(v: Parsed) {
  const exportOn = v.OTEL_SERVICE_NAME !== undefined || v.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
  return {
    serviceName: v.OTEL_SERVICE_NAME ?? 'herald',
    traces: otlpTarget(v, 'TRACES', exportOn),
    metrics: otlpTarget(v, 'METRICS', exportOn),
    metricExportIntervalMs: v.OTEL_METRIC_EXPORT_INTERVAL,
    sampler: { name: v.OTEL_TRACES_SAMPLER, ratio: v.OTEL_TRACES_SAMPLER_ARG },
    prometheus: v.PROMETHEUS_ENABLED,
  };
}

export type Config = Readonly<ReturnType<typeof buildConfig>>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** What a given process needs beyond the always-valid keys. */
export interface ConfigNeeds {
  /** Processes that touch destinations (api, worker) need the encryption secret. */
  readonly encryption?: boolean;
}

/** Parses and validates the environment once; throws ConfigError naming every invalid variable. */
export function loadConfig(env: Env = process.env, needs: ConfigNeeds = { encryption: true }): Config {
  const { values, problems } = readEnv(env);
  if (needs.encryption && !values.AES_ENCRYPTION_SECRET) {
    problems.push('AES_ENCRYPTION_SECRET: is required (it encrypts destination credentials at rest)');
  }
  const operatorEvents = operatorEventsConfig(values, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(buildConfig(values as Parsed, operatorEvents));
}
