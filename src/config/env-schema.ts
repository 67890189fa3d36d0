import { z } from 'zod';

/**
 * Every environment variable Herald reads, with its default and meaning.
 * Names follow Outpost's where Outpost has one. `.env.example` mirrors this table
 * (a unit test keeps them in step).
 */

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, `must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`));

const bool = z.stringbool({ truthy: ['true', '1', 'on', 'yes'], falsy: ['false', '0', 'off', 'no', ''] });

const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));

const optionalText = z.string().trim().optional();

const url = z.string().trim().pipe(z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }));

/** Short and id-safe, so a prefixed generated id stays within the 255-character id limits and the id pattern. */
const idPrefix = z.string().regex(/^[A-Za-z0-9_.:-]{0,64}$/, 'must be at most 64 of A-Z a-z 0-9 _ . : -');

/** Outpost's convention for alert knobs: unset = default, empty string = turned off. */
const intOrOff = (min: number) =>
  z.string().trim().transform((s, ctx) => {
    if (s === '') return null;
    if (!/^\d+$/.test(s) || Number(s) < min) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number ≥ ${min}, or empty to turn it off` });
      return z.NEVER;
    }
    return Number(s);
  });

const otlpProtocol = z.enum(['grpc', 'http/protobuf', 'http']).transform((p) => (p === 'http' ? 'http/protobuf' : p));

/** `key=value,key2=value2` as the OpenTelemetry specification writes OTLP headers (values URL-encoded). */
const otlpHeaders = z.string().transform((s, ctx) => {
  const headers: Record<string, string> = {};
  for (const pair of s.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      ctx.addIssue({ code: 'custom', message: 'must be key=value pairs separated by commas' });
      return z.NEVER;
    }
    headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
});

export interface EnvKey {
  readonly schema: z.ZodType;
  readonly default?: string;
  readonly description: string;
}

export const envKeys = {
  // --- api
  API_PORT: { schema: int(0, 65535), default: '3333', description: 'HTTP port of the REST API (routes under /api/v1).' },
  API_HOST: { schema: z.string().min(1), default: '0.0.0.0', description: 'Address the API binds to (`herald start` binds 127.0.0.1 unless told otherwise).' },
  API_KEY: { schema: z.string(), default: '', description: 'Admin bearer token. Empty = no auth at all ("VPC mode"), as in Outpost.' },
  API_JWT_SECRET: { schema: z.string(), default: '', description: 'HS256 secret for tenant JWTs (GET /tenants/{id}/token and the portal links of GET /tenants/{id}/portal). Empty disables tenant tokens; `herald start` generates one once into .herald/dev-secrets.json when unset.' },
  API_DEPENDENCY_TIMEOUT_SECONDS: { schema: int(1, 60), default: '2', description: 'How long a request waits on Temporal or for a Postgres connection before it is answered 503 with Retry-After (load is shed, not queued into timeouts).' },
  API_MAX_IN_FLIGHT_STARTS: { schema: int(1, 100000), default: '256', description: 'Workflow starts one API process has under way at Temporal at once (a start that timed out counts until it ends); a publish that does not fit is answered 503 with Retry-After at once, before its event is stored.' },
  API_MAX_REQUEST_BODY_BYTES: { schema: int(1024), default: '1048576', description: 'Largest accepted request body; larger bodies get 413.' },
  DEPLOYMENT_ID: { schema: z.string().regex(/^[A-Za-z0-9_-]{0,64}$/, 'must match [A-Za-z0-9_-]{1,64}'), default: '', description: 'Deployment identifier, added to operator events.' },
  TOPICS: { schema: list, default: '', description: 'Comma list of allowed topics. Empty = any topic.' },
  TOPICS_ALLOW_WILDCARDS: { schema: bool, default: 'false', description: 'Allow wildcard topic patterns such as user.* in destination topics.' },
  MAX_DESTINATIONS_PER_TENANT: { schema: int(1), default: '20', description: 'Destination cap per tenant.' },
  IDGEN_TYPE: { schema: z.enum(['uuidv4', 'uuidv7', 'nanoid']), default: 'uuidv4', description: 'Generated id format for events and destinations.' },
  IDGEN_EVENT_PREFIX: { schema: idPrefix, default: '', description: 'Prefix for generated event ids (include your own separator); up to 64 of A-Z a-z 0-9 _ . : -.' },
  IDGEN_DESTINATION_PREFIX: { schema: idPrefix, default: '', description: 'Prefix for generated destination ids; up to 64 of A-Z a-z 0-9 _ . : -.' },
  LOG_LEVEL: { schema: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']), default: 'info', description: 'Log level.' },
  LOG_FORMAT: { schema: z.enum(['json', 'pretty']), default: 'json', description: 'json for machines, pretty for people (npm start uses pretty).' },

  // --- storage
  DATABASE_URL: { schema: optionalText, description: 'PostgreSQL URL. Unset with `herald start`: embedded Postgres. Alias: POSTGRES_URL.' },
  DATABASE_POOL_MAX: { schema: int(1, 1000), default: '20', description: 'Postgres connections per process.' },
  DESTINATION_CACHE_TTL_SECONDS: { schema: int(0, 86400), default: '60', description: 'Each process keeps every tenant\'s destinations in memory for publish and attempts, dropped by Postgres change notifications within milliseconds of a change made by any process (at once for its own) and reloaded at the latest after this many seconds. 0 = no cache: every publish and attempt reads them.' },
  AES_ENCRYPTION_SECRET: { schema: z.string(), default: '', description: 'Secret that encrypts destination credentials and delivery metadata at rest. Required (npm start generates one under .herald/).' },

  // --- temporal
  TEMPORAL_ADDRESS: { schema: optionalText, description: 'Temporal frontend host:port. Unset with `herald start`: a local dev server is started.' },
  TEMPORAL_NAMESPACE: { schema: z.string().min(1), default: 'herald', description: 'Temporal namespace.' },
  TEMPORAL_TASK_QUEUE: { schema: z.string().min(1), default: 'herald-delivery', description: 'Task queue of the delivery worker.' },
  TEMPORAL_API_KEY: { schema: optionalText, description: 'API key for Temporal Cloud (implies TLS).' },
  TEMPORAL_TLS: { schema: bool, default: 'false', description: 'Use TLS to reach Temporal.' },
  TEMPORAL_TLS_CERT_PATH: { schema: optionalText, description: 'Client certificate (mTLS) PEM path.' },
  TEMPORAL_TLS_KEY_PATH: { schema: optionalText, description: 'Client key (mTLS) PEM path.' },
  TEMPORAL_TLS_CA_PATH: { schema: optionalText, description: 'CA bundle PEM path for the server certificate.' },
  TEMPORAL_TLS_SERVER_NAME: { schema: optionalText, description: 'TLS server name override.' },
  TEMPORAL_SETUP_NAMESPACE: { schema: bool, default: 'true', description: 'At start, register Herald search attributes (and retention, when TEMPORAL_RETENTION_DAYS is set). Turn off where the worker may not call operator APIs.' },
  TEMPORAL_RETENTION_DAYS: { schema: int(1, 3650).optional(), description: 'Namespace retention to apply at start (the attempt log in the UI). `herald start` defaults it to 30.' },
  WORKER_MAX_CONCURRENT_ACTIVITIES: { schema: int(1, 10000), default: '200', description: 'Concurrent delivery attempts per worker.' },
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: { schema: int(2, 10000).optional(), description: 'Concurrent workflow tasks per worker; unset = WORKER_MAX_CONCURRENT_ACTIVITIES. With local attempts (the default) a task holds its slot while its attempt sends, so the two bound the same thing; and a workflow started eagerly by `herald start` needs a free slot, so fewer slots than deliveries in flight send starts the slow way, through the task queue.' },
  WORKER_TUNER: { schema: z.enum(['fixed', 'resource-based']), default: 'fixed', description: '`fixed`: the worker runs up to the WORKER_MAX_CONCURRENT_* numbers of tasks at once. `resource-based`: Temporal\'s tuner hands out task slots (up to those numbers) only while the machine\'s CPU is under WORKER_TARGET_CPU_USAGE, so a worker on a crowded machine takes less work instead of letting tasks time out.' },
  WORKER_TARGET_CPU_USAGE: { schema: z.string().trim().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a fraction between 0 and 1').transform(Number).pipe(z.number().gt(0, 'must be > 0')), default: '0.8', description: 'With WORKER_TUNER=resource-based: the share of the machine\'s CPU above which no new task slots are handed out.' },
  WORKER_MAX_CACHED_WORKFLOWS: { schema: int(1, 1000000), default: '1000', description: 'Sticky workflow cache size. Bounds worker memory when many deliveries wait on retry timers (an evicted workflow is replayed from its short history when its timer fires). At least 1: with no cache the worker evicts workflows whose local activities are still running and throws their results away.' },
  WORKER_REDRIVE_AFTER_SECONDS: { schema: int(1, 86400), default: '10', description: 'An event stored this long ago whose delivery workflows were never all started (the API lost Temporal, or crashed, mid-publish) is started by the worker.' },
  WORKER_HTTP_PORT: { schema: int(0, 65535), default: '0', description: 'Port of the standalone `herald worker`\'s HTTP listener, which serves GET /healthz (Postgres, Temporal and the task-queue poller; 503 naming what is down) and, with PROMETHEUS_ENABLED, GET /metrics. 0 = no listener. `herald start` and `herald api` serve both on the API port instead.' },
  WORKER_HTTP_HOST: { schema: z.string().min(1), default: '0.0.0.0', description: 'Address the worker\'s HTTP listener binds to (see WORKER_HTTP_PORT).' },

  // --- delivery
  MAX_RETRY_LIMIT: { schema: int(0, 1000), default: '10', description: 'Automatic retries after the first attempt (exponential schedule).' },
  RETRY_INTERVAL_SECONDS: { schema: int(1), default: '30', description: 'Base of the exponential schedule: delay before retry n is interval × 2^(n-1).' },
  RETRY_SCHEDULE: { schema: list.pipe(z.array(z.string().regex(/^\d+$/, 'entries must be whole seconds').transform(Number).pipe(z.number().int().min(1, 'entries must be ≥ 1 second')))), default: '', description: 'Comma list of delays in seconds; overrides RETRY_INTERVAL_SECONDS and MAX_RETRY_LIMIT.' },
  DELIVERY_TIMEOUT_SECONDS: { schema: int(1, 600), default: '5', description: 'Per-attempt timeout for every destination type.' },
  DELIVERY_ATTEMPT_MODE: { schema: z.enum(['local', 'activity']), default: 'local', description: 'How attempts run: `local` (a local activity inside the workflow task: one task and about half the history per one-shot delivery; measured at about 70 % of the CPU per delivery of `activity`) or `activity` (a normal activity, eagerly dispatched where the server allows; a slow destination then holds an activity slot instead of a workflow-task slot). Either way a re-run attempt never re-sends a recorded one. Fixed into each delivery when it starts.' },
  DELIVERY_AWAIT_MANUAL_RETRY_SECONDS: { schema: int(0), default: '604800', description: 'How long an exhausted delivery workflow stays open for a `retry` signal from the UI/CLI (POST /retry works after that too).' },
  HTTP_USER_AGENT: { schema: z.string(), default: 'Herald/0.1', description: 'User-Agent of outbound deliveries.' },

  // --- observability (OpenTelemetry and Prometheus; everything off by default, at no cost)
  OTEL_SERVICE_NAME: { schema: optionalText, description: 'service.name of exported traces and metrics (default `herald`). Setting it turns OTLP export on, as in Outpost: to OTEL_EXPORTER_OTLP_ENDPOINT, or to the protocol\'s default local collector address when no endpoint is set.' },
  OTEL_EXPORTER_OTLP_ENDPOINT: { schema: optionalText, description: 'OTLP collector for traces and metrics, e.g. http://collector:4317 (grpc) or http://collector:4318 (http/protobuf, /v1/traces and /v1/metrics are appended). Setting it turns OTLP export on.' },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: { schema: optionalText, description: 'OTLP endpoint for traces only (used as is, no path appended); turns trace export on.' },
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: { schema: optionalText, description: 'OTLP endpoint for metrics only (used as is, no path appended); turns metric export on.' },
  OTEL_EXPORTER_OTLP_PROTOCOL: { schema: otlpProtocol, default: 'grpc', description: 'OTLP transport: grpc, or http/protobuf (`http` is accepted for it, as Outpost does).' },
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: { schema: otlpProtocol.optional(), description: 'OTLP transport for traces (default OTEL_EXPORTER_OTLP_PROTOCOL).' },
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: { schema: otlpProtocol.optional(), description: 'OTLP transport for metrics (default OTEL_EXPORTER_OTLP_PROTOCOL).' },
  OTEL_EXPORTER_OTLP_HEADERS: { schema: otlpHeaders, default: '', description: 'Headers sent with every OTLP export, as key=value pairs separated by commas (values URL-encoded), e.g. an API key of a hosted collector.' },
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: { schema: otlpHeaders, default: '', description: 'Headers for trace exports, added to OTEL_EXPORTER_OTLP_HEADERS.' },
  OTEL_EXPORTER_OTLP_METRICS_HEADERS: { schema: otlpHeaders, default: '', description: 'Headers for metric exports, added to OTEL_EXPORTER_OTLP_HEADERS.' },
  OTEL_TRACES_EXPORTER: { schema: z.enum(['otlp', 'none']), default: 'otlp', description: '`none` keeps traces off while OTLP export is on for metrics.' },
  OTEL_METRICS_EXPORTER: { schema: z.enum(['otlp', 'none']), default: 'otlp', description: '`none` keeps OTLP metric export off while traces are exported (Prometheus is separate).' },
  OTEL_TRACES_SAMPLER: { schema: z.enum(['parentbased_always_on', 'parentbased_traceidratio', 'parentbased_always_off', 'always_on', 'traceidratio', 'always_off']), default: 'parentbased_always_on', description: 'Which traces are recorded: every one (default), a share of them by trace id (`…traceidratio` with OTEL_TRACES_SAMPLER_ARG), or none. `parentbased_…` follows the caller\'s choice when a request carries a W3C traceparent; Temporal carries the choice on to the workflow and its attempts.' },
  OTEL_TRACES_SAMPLER_ARG: { schema: z.string().trim().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a ratio between 0 and 1').transform(Number), default: '1', description: 'The share of traces recorded with a `…traceidratio` sampler, 0 to 1.' },
  OTEL_METRIC_EXPORT_INTERVAL: { schema: int(100, 3_600_000), default: '60000', description: 'Milliseconds between OTLP metric exports.' },
  PROMETHEUS_ENABLED: { schema: bool, default: 'false', description: 'Serve the same metrics for Prometheus to scrape at GET /metrics: on the API port (outside /api/v1, without authentication, like /healthz) and on the standalone worker\'s WORKER_HTTP_PORT.' },

  // --- destinations
  DESTINATIONS_INCLUDE_MILLISECOND_TIMESTAMP: { schema: bool, default: 'false', description: 'Add timestamp-ms metadata.' },
  DESTINATIONS_AWS_KINESIS_METADATA_IN_PAYLOAD: { schema: bool, default: 'true', description: 'Kinesis records are {"metadata":…,"data":…} (true) or the event data alone (false).' },
  DESTINATIONS_WEBHOOK_MODE: { schema: z.enum(['default', 'standard']), default: 'default', description: 'default (X-Outpost-* headers, v0= signature) or standard (Standard Webhooks).' },
  DESTINATIONS_WEBHOOK_HEADER_PREFIX: { schema: optionalText, description: 'Metadata header prefix (default x-outpost- / webhook- by mode).' },
  DESTINATIONS_WEBHOOK_SIGNATURE_ALGORITHM: { schema: z.enum(['hmac-sha256', 'hmac-sha1']), default: 'hmac-sha256', description: 'Default-mode signature HMAC.' },
  DESTINATIONS_WEBHOOK_SIGNATURE_ENCODING: { schema: z.enum(['hex', 'base64']), default: 'hex', description: 'Default-mode signature encoding.' },
  DESTINATIONS_WEBHOOK_MAX_RESPONSE_BODY_BYTES: { schema: int(0), default: '131072', description: 'Stored response body cap (0 = unlimited).' },
  DESTINATIONS_WEBHOOK_BLOCK_PRIVATE_NETWORKS: { schema: bool, default: 'true', description: 'Refuse webhook targets that resolve to loopback/private/link-local addresses.' },
  DESTINATIONS_WEBHOOK_ALLOWED_NETWORKS: { schema: list, default: '', description: 'CIDRs allowed even when private networks are blocked (npm start allows 127.0.0.0/8 and ::1/128).' },
  DESTINATIONS_HOOKDECK_API_URL: { schema: z.string().trim().url(), default: 'https://api.hookdeck.com/2025-01-01', description: "Hookdeck API base where a hookdeck destination's source token is verified on create and on token change." },
  DESTINATIONS_HOOKDECK_EVENTS_URL: { schema: z.string().trim().url(), default: 'https://hkdk.events', description: 'Hookdeck ingestion base; hookdeck destinations POST each event to <this>/<source id>.' },

  // --- alerts (destination health)
  ALERT_CONSECUTIVE_FAILURE_COUNT: { schema: intOrOff(1), default: '100', description: 'Consecutive failures that make 100 %; alerts at 50/70/90/100 %. Empty turns consecutive-failure alerts (and auto-disable) off.' },
  ALERT_AUTO_DISABLE_DESTINATION: { schema: bool, default: 'false', description: 'Disable a destination when its consecutive failures reach 100 %.' },
  ALERT_EXHAUSTED_RETRIES_WINDOW_SECONDS: { schema: intOrOff(0), default: '3600', description: 'alert.attempt.exhausted_retries at most once per event+destination within this window (0 = every time, empty = never).' },

  // --- portal (the tenant portal's link and branding; the portal reads these at its start)
  PORTAL_URL: { schema: url.optional(), description: 'Base URL that GET /tenants/{id}/portal links to, with ?token=<tenant JWT>&tenant_id=…[&theme=]. Unset = the origin the request reached + /portal, where the API process serves the portal.' },
  PORTAL_REFERER_URL: { schema: url.optional(), description: 'Where the portal sends the user back to (its back link, and where it goes when its token is missing or expired and no refresh URL is set).' },
  PORTAL_REFRESH_URL: { schema: url.optional(), description: 'Where the portal sends a user whose token is missing or expired, for your app to mint a new portal link.' },
  PORTAL_ORGANIZATION_NAME: { schema: optionalText, description: 'Organization name shown in the portal.' },
  PORTAL_BRAND_COLOR: { schema: optionalText, description: 'Brand (accent) color of the portal, a CSS color. PORTAL_ACCENT_COLOR is accepted too.' },
  PORTAL_LOGO: { schema: optionalText, description: 'Logo URL shown in the portal (light theme).' },
  PORTAL_LOGO_DARK: { schema: optionalText, description: 'Logo URL shown in the portal in the dark theme (default PORTAL_LOGO).' },
  PORTAL_FAVICON_URL: { schema: optionalText, description: 'Favicon URL of the portal.' },
  PORTAL_FORCE_THEME: { schema: z.enum(['light', 'dark']).optional(), description: 'Force the portal theme (light or dark); unset = the user\'s preference or the link\'s theme.' },
  PORTAL_DISABLE_OUTPOST_BRANDING: { schema: bool, default: 'false', description: 'Hide the "Powered by Herald" line in the portal.' },
  PORTAL_ENABLE_DESTINATION_FILTER: { schema: bool, default: 'false', description: 'Show the destination filter editor in the portal.' },
  PORTAL_ENABLE_WEBHOOK_CUSTOM_HEADERS: { schema: bool, default: 'false', description: 'Let portal users set custom headers on webhook destinations.' },
  PORTAL_PROXY_URL: { schema: url.optional(), description: 'Development only: proxy the portal\'s files to this URL (`npm run portal:dev`, the Vite dev server on http://127.0.0.1:5173) instead of serving the built portal/dist.' },

  // --- operator events (OPERATOR_EVENTS_* accepted as aliases)
  OPERATION_EVENTS_TOPICS: { schema: list, default: '', description: 'Operator-event topics to send: a comma list or * for all. Empty = operator events off.' },
  OPERATION_EVENTS_HTTP_URL: { schema: optionalText, description: 'HTTP sink: POST each operator event here.' },
  OPERATION_EVENTS_HTTP_SIGNING_SECRET: { schema: optionalText, description: 'HTTP sink: sign bodies with X-Outpost-Signature: v0=<hex HMAC-SHA256>.' },
  OPERATION_EVENTS_AWS_SQS_QUEUE_URL: { schema: optionalText, description: 'SQS sink: queue URL.' },
  OPERATION_EVENTS_AWS_SQS_ACCESS_KEY_ID: { schema: optionalText, description: 'SQS sink: access key id (default credential chain when unset).' },
  OPERATION_EVENTS_AWS_SQS_SECRET_ACCESS_KEY: { schema: optionalText, description: 'SQS sink: secret access key.' },
  OPERATION_EVENTS_AWS_SQS_REGION: { schema: optionalText, description: 'SQS sink: region (default us-east-1).' },
  OPERATION_EVENTS_AWS_SQS_ENDPOINT: { schema: optionalText, description: 'SQS sink: endpoint override (e.g. a local SQS-compatible server).' },
  OPERATION_EVENTS_GCP_PUBSUB_PROJECT_ID: { schema: optionalText, description: 'Pub/Sub sink: project id.' },
  OPERATION_EVENTS_GCP_PUBSUB_TOPIC_ID: { schema: optionalText, description: 'Pub/Sub sink: topic id.' },
  OPERATION_EVENTS_GCP_PUBSUB_CREDENTIALS: { schema: optionalText, description: 'Pub/Sub sink: service-account JSON (not needed with PUBSUB_EMULATOR_HOST).' },
  OPERATION_EVENTS_RABBITMQ_SERVER_URL: { schema: optionalText, description: 'RabbitMQ sink: amqp(s):// URL.' },
  OPERATION_EVENTS_RABBITMQ_EXCHANGE: { schema: optionalText, description: 'RabbitMQ sink: exchange (routing key = topic).' },
  OPERATION_EVENTS_TIMEOUT_SECONDS: { schema: int(1, 300), default: '10', description: 'Per-send timeout of the operator-event sink.' },
} satisfies Record<string, EnvKey>;

export type EnvKeyName = keyof typeof envKeys;
