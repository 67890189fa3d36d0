/**
 * The `webhook` destination provider: signed JSON POSTs in Outpost's default mode
 * or Standard Webhooks mode, over a hostile-by-default HTTP client.
 */
import { isTimeoutReason } from '../../transports/deadline.js';
import { PublishAbortedError, ProviderClosedError } from '../errors.js';
import { buildDeliveryMetadata } from '../metadata.js';
import type { DestinationOptions, WebhookMode } from '../options.js';
import { InvalidDestinationOptionsError } from '../options.js';
import type { DestinationProvider, DestinationLogger, ProviderDeps, PublishRequest, PublishResult } from '../types.js';
import { FORMAT_ERROR_CODE } from '../types.js';
import { InvalidNetworkError, createAddressPolicy } from '../../transports/http/address-policy.js';
import type { AddressPolicy } from '../../transports/http/address-policy.js';
import { TRANSPORT_ERROR_MESSAGES, classifyTransportError } from '../../transports/network-errors.js';
import { createHttpClient } from '../../transports/http/http-client.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../transports/http/http-client.js';
import { retryAfterForStatus } from '../../transports/http/retry-after.js';
import { activeSigningSecrets, createSecretGenerator } from './secrets.js';
import { WEBHOOK_TYPE, webhookTypeMetadata } from './webhook-metadata.js';
import { prepareWebhookDestination, presentWebhookDestination } from './webhook-prepare.js';
import { WebhookFormatError, buildWebhookRequest } from './webhook-request.js';
import type { StringMap } from '../../domain/types.js';
import { parseWebhookConfig } from './webhook-schema.js';

const DEFAULT_HEADER_PREFIX: Record<WebhookMode, string> = { default: 'x-outpost-', standard: 'webhook-' };

/** Undefined → the mode's default; blank → no prefix. @throws InvalidDestinationOptionsError */
export function resolveHeaderPrefix(mode: WebhookMode, prefix: string | undefined): string {
  if (prefix === undefined) return DEFAULT_HEADER_PREFIX[mode];
  const trimmed = prefix.trim().toLowerCase();
  if (trimmed !== '' && !/^[a-z0-9_.-]+$/.test(trimmed)) {
    throw new InvalidDestinationOptionsError([`webhook.headerPrefix "${prefix}" is not a valid header-name prefix`]);
  }
  return trimmed;
}

interface PublishContext {
  readonly options: DestinationOptions;
  readonly headerPrefix: string;
  readonly http: HttpClient;
  readonly clock: () => Date;
  readonly logger: DestinationLogger;
}

type HttpRequestParts = Omit<HttpRequest, 'signal'>;

function formatFailure(reason: string): PublishResult {
  return { ok: false, code: FORMAT_ERROR_CODE, responseData: { error: `could not format event for delivery: ${reason}` } };
}

function toPublishResult(response: HttpResponse, now: Date): PublishResult {
  const code = String(response.status);
  const responseData: Record<string, unknown> = { status: response.status, body: response.body };
  if (response.status >= 200 && response.status < 300) return { ok: true, code, responseData };
  const location = response.header('location');
  if (response.status < 400 && location !== undefined) responseData['location'] = location;
  const retryAfterMs = retryAfterForStatus(response.status, response.header('retry-after'), now);
  return retryAfterMs === undefined ? { ok: false, code, responseData } : { ok: false, code, responseData, retryAfterMs };
}

function failureFromError(error: unknown, req: PublishRequest, ctx: PublishContext): PublishResult {
  if (req.signal.aborted && !isTimeoutReason(req.signal.reason)) throw new PublishAbortedError(req.signal.reason);
  const failure = req.signal.aborted
    ? { code: 'timeout' as const, message: TRANSPORT_ERROR_MESSAGES.timeout }
    : classifyTransportError(error);
  const log = { destinationId: req.destination.id, eventId: req.event.id, code: failure.code, err: error };
  if (failure.code === 'network_error') ctx.logger.warn(log, 'webhook attempt failed with an unclassified error');
  else ctx.logger.debug(log, 'webhook attempt failed');
  return { ok: false, code: failure.code, responseData: { error: failure.message } };
}

/** The request parts for this attempt, or the permanent `ERR` result explaining why there are none. */
/**
 * The parsed config of a destination's config object: destinations are cached per tenant, so the
 * same object comes back attempt after attempt, and a changed destination is a new object.
 */
const parsedConfigs = new WeakMap<StringMap, ReturnType<typeof parseWebhookConfig>>();
function parsedConfig(config: StringMap): ReturnType<typeof parseWebhookConfig> {
  let parsed = parsedConfigs.get(config);
  if (!parsed) {
    parsed = parseWebhookConfig(config);
    parsedConfigs.set(config, parsed);
  }
  return parsed;
}

function formatAttempt(req: PublishRequest, ctx: PublishContext, attemptTime: Date): HttpRequestParts | PublishResult {
  const config = parsedConfig(req.destination.config);
  if (!config.ok) return formatFailure(`the destination config is invalid (${config.issues.join(', ')})`);
  const metadata = buildDeliveryMetadata({
    event: req.event,
    deliveryMetadata: req.destination.deliveryMetadata,
    attemptTime,
    includeMillisecondTimestamp: ctx.options.includeMillisecondTimestamp,
    attemptId: req.attemptId,
  });
  try {
    const parts = buildWebhookRequest({
      mode: ctx.options.webhook.mode,
      headerPrefix: ctx.headerPrefix,
      event: req.event,
      metadata,
      customHeaders: config.value.customHeaders,
      secrets: activeSigningSecrets(req.destination.credentials, attemptTime),
      attemptTime,
      userAgent: ctx.options.userAgent,
      algorithm: ctx.options.webhook.signatureAlgorithm,
      encoding: ctx.options.webhook.signatureEncoding,
    });
    return { url: config.value.url, ...parts };
  } catch (error) {
    if (error instanceof WebhookFormatError) return formatFailure(error.reason);
    throw error;
  }
}

async function publishWebhook(req: PublishRequest, ctx: PublishContext): Promise<PublishResult> {
  const parts = formatAttempt(req, ctx, ctx.clock());
  if ('ok' in parts) return parts;
  try {
    const response = await ctx.http.post({ ...parts, signal: req.signal });
    return toPublishResult(response, ctx.clock());
  } catch (error) {
    return failureFromError(error, req, ctx);
  }
}

function createPolicy(options: DestinationOptions): AddressPolicy | undefined {
  if (!options.webhook.blockPrivateNetworks) return undefined;
  try {
    return createAddressPolicy(options.webhook);
  } catch (error) {
    if (error instanceof InvalidNetworkError) throw new InvalidDestinationOptionsError([`webhook.allowedNetworks: ${error.message}`]);
    throw error;
  }
}

/** @throws InvalidDestinationOptionsError for unusable webhook options (fail fast at start-up). */
export function createWebhookProvider(options: DestinationOptions, deps: ProviderDeps): DestinationProvider {
  const { mode, maxResponseBodyBytes } = options.webhook;
  if (!Number.isInteger(maxResponseBodyBytes) || maxResponseBodyBytes < 0) {
    throw new InvalidDestinationOptionsError(['webhook.maxResponseBodyBytes must be a non-negative integer']);
  }
  const headerPrefix = resolveHeaderPrefix(mode, options.webhook.headerPrefix);
  const policy = createPolicy(options);
  const http = createHttpClient({ maxResponseBodyBytes, connectTimeoutMs: options.deliveryTimeoutMs, policy });
  const ctx: PublishContext = { options, headerPrefix, http, clock: deps.clock, logger: deps.logger };
  const generate = createSecretGenerator(mode);
  let closing: Promise<void> | undefined;

  return {
    type: WEBHOOK_TYPE,
    metadata: webhookTypeMetadata(mode, headerPrefix),
    prepare: (input) => prepareWebhookDestination(input, { mode, generate }),
    present: (destination, now) => presentWebhookDestination(destination, now),
    publish: (req) =>
      closing === undefined ? publishWebhook(req, ctx) : Promise.reject(new ProviderClosedError(WEBHOOK_TYPE)),
    close: () => (closing ??= http.close()),
  };
}
