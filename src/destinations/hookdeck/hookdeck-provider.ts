/**
 * The `hookdeck` destination provider: each event is a signed JSON POST to a Hookdeck managed
 * source, over the shared HTTP transport. The source token is checked with Hookdeck's API when a
 * destination is created or its token changes, and the source's id and name are stored in
 * `config` (read-only: derived from the token, never taken from the caller). Both Hookdeck base
 * URLs are operator configuration, so the private-address policy for tenant URLs does not apply.
 */
import type { Destination, StringMap } from '../../domain/types.js';
import { isTimeoutReason } from '../../transports/deadline.js';
import { createHttpClient } from '../../transports/http/http-client.js';
import type { HttpResponse } from '../../transports/http/http-client.js';
import { retryAfterForStatus } from '../../transports/http/retry-after.js';
import { TRANSPORT_ERROR_MESSAGES, classifyTransportError } from '../../transports/network-errors.js';
import { maskCredentials } from '../credentials-mask.js';
import { DestinationValidationError, ProviderClosedError, PublishAbortedError } from '../errors.js';
import { checkDeclaredFields } from '../field-validation.js';
import { buildDeliveryMetadata } from '../metadata.js';
import type { DestinationOptions } from '../options.js';
import { InvalidDestinationOptionsError } from '../options.js';
import type { DestinationProvider, PrepareInput, ProviderDeps, PublishRequest, PublishResult } from '../types.js';
import { FORMAT_ERROR_CODE } from '../types.js';
import { HookdeckFormatError, buildHookdeckRequest, verifyHookdeckToken } from './hookdeck-api.js';
import { HOOKDECK_DASHBOARD_URL, HOOKDECK_TYPE, hookdeckTypeMetadata } from './hookdeck-metadata.js';
import { parseHookdeckToken } from './hookdeck-token.js';

/** Stored response bodies are Hookdeck's short acknowledgements; anything longer is cut. */
const MAX_RESPONSE_BODY_BYTES = 16_384;

function assertBaseUrl(name: string, value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new InvalidDestinationOptionsError([`hookdeck.${name} must be an absolute http(s) URL`]);
  }
}

const formatFailure = (reason: string): PublishResult =>
  ({ ok: false, code: FORMAT_ERROR_CODE, responseData: { error: `could not format event for delivery: ${reason}` } });

function toPublishResult(response: HttpResponse, now: Date): PublishResult {
  const code = String(response.status);
  const responseData = { status: response.status, body: response.body };
  if (response.status >= 200 && response.status < 300) return { ok: true, code, responseData };
  const retryAfterMs = retryAfterForStatus(response.status, response.header('retry-after'), now);
  return retryAfterMs === undefined ? { ok: false, code, responseData } : { ok: false, code, responseData, retryAfterMs };
}

/** Config as stored: the source id from the token, and the name Hookdeck gave when it verified it. */
function derivedConfig(sourceId: string, existing: Destination | undefined, token: string): StringMap {
  const unchanged = existing?.credentials['token'] === token && existing.config['source_id'] === sourceId;
  return unchanged ? { ...existing.config } : { source_id: sourceId };
}

/** @throws InvalidDestinationOptionsError when a Hookdeck base URL is unusable (fail fast at start-up). */
export function createHookdeckProvider(options: DestinationOptions, deps: ProviderDeps): DestinationProvider {
  assertBaseUrl('apiUrl', options.hookdeck.apiUrl);
  assertBaseUrl('eventsUrl', options.hookdeck.eventsUrl);
  const http = createHttpClient({ maxResponseBodyBytes: MAX_RESPONSE_BODY_BYTES, connectTimeoutMs: options.deliveryTimeoutMs, policy: undefined });
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  function prepare({ credentials, existing }: PrepareInput) {
    const token = credentials['token']?.trim() ?? '';
    const problems = checkDeclaredFields('credentials', hookdeckTypeMetadata.credential_fields, { token });
    const parsed = problems.length === 0 ? parseHookdeckToken(token) : undefined;
    if (problems.length === 0 && parsed === undefined) problems.push('credentials.token is invalid');
    if (parsed === undefined) throw new DestinationValidationError(problems);
    return { config: derivedConfig(parsed.sourceId, existing, token), credentials: { token } };
  }

  async function verify(prepared: { config: StringMap; credentials: StringMap }, existing: Destination | undefined, signal: AbortSignal) {
    const token = parseHookdeckToken(prepared.credentials['token'] ?? '');
    if (token === undefined) throw new DestinationValidationError(['credentials.token is invalid']);
    if (existing?.credentials['token'] === token.signingKey && prepared.config['source_name'] !== undefined) return prepared;
    const source = await verifyHookdeckToken(http, options.hookdeck.apiUrl, token, signal, deps.logger);
    return { ...prepared, config: { ...prepared.config, source_name: source.name } };
  }

  async function attempt(req: PublishRequest): Promise<PublishResult> {
    const token = parseHookdeckToken(req.destination.credentials['token'] ?? '');
    if (token === undefined) return formatFailure('the destination token is not a Hookdeck source token');
    const metadata = buildDeliveryMetadata({
      event: req.event, deliveryMetadata: req.destination.deliveryMetadata, attemptTime: deps.clock(),
      includeMillisecondTimestamp: options.includeMillisecondTimestamp, attemptId: req.attemptId,
    });
    const body = JSON.stringify(req.event.data);
    let parts;
    try {
      parts = buildHookdeckRequest({ eventsUrl: options.hookdeck.eventsUrl, token, body, metadata, userAgent: options.userAgent });
    } catch (error) {
      if (error instanceof HookdeckFormatError) return formatFailure(error.reason);
      throw error;
    }
    try {
      return toPublishResult(await http.post({ ...parts, body, signal: req.signal }), deps.clock());
    } catch (error) {
      if (req.signal.aborted && !isTimeoutReason(req.signal.reason)) throw new PublishAbortedError(req.signal.reason);
      const failure = req.signal.aborted ? { code: 'timeout' as const, message: TRANSPORT_ERROR_MESSAGES.timeout } : classifyTransportError(error);
      deps.logger.debug({ destinationId: req.destination.id, eventId: req.event.id, code: failure.code, err: error }, 'hookdeck attempt failed');
      return { ok: false, code: failure.code, responseData: { error: failure.message } };
    }
  }

  return {
    type: HOOKDECK_TYPE,
    metadata: hookdeckTypeMetadata,
    prepare,
    verify,
    present(destination) {
      const token = parseHookdeckToken(destination.credentials['token'] ?? '');
      const credentials = maskCredentials(destination.credentials, hookdeckTypeMetadata.credential_fields);
      if (token === undefined) return { credentials, target: 'Hookdeck (invalid token)' };
      const name = destination.config['source_name'];
      const target = name ? name : `Hookdeck source ID: ${token.sourceId}`;
      return { credentials, target, targetUrl: `${HOOKDECK_DASHBOARD_URL}/sources/${encodeURIComponent(token.sourceId)}` };
    },
    publish(req) {
      if (closing !== undefined) return Promise.reject(new ProviderClosedError(HOOKDECK_TYPE));
      const task = attempt(req);
      const settled = task.catch(() => undefined);
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return task;
    },
    close: () => (closing ??= Promise.allSettled(inFlight).then(() => http.close())),
  };
}
