/**
 * HTTP sink: POSTs the JSON envelope over the shared HTTP transport, signed like Outpost
 * (`X-Outpost-Signature: v0=<hex HMAC-SHA256(secret, raw body)>`) when a secret is set. The URL is
 * the operator's own, so unlike destination webhooks it is not checked against private addresses.
 */
import { createHmac } from 'node:crypto';
import { createDeadline } from '../../transports/deadline.js';
import { createHttpClient } from '../../transports/http/http-client.js';
import type { OperatorEvent, OperatorEventSink, SinkConfig } from '../types.js';
import {
  closeOnce, encodeEnvelope, networkErrorCode, reportFailure, sinkError, type SinkDeps,
} from './sink-support.js';

type HttpSinkConfig = Extract<SinkConfig, { kind: 'http' }>;

export const SIGNATURE_HEADER = 'x-outpost-signature';
const USER_AGENT = 'Herald-OperatorEvents/1';
/** Response bodies are read and dropped; past this the connection is dropped instead. */
const MAX_DRAINED_BODY_BYTES = 64 * 1024;

/** `v0=<hex HMAC-SHA256(secret, body)>` over exactly the bytes sent. */
export function outpostSignature(secret: string, body: Buffer): string {
  return `v0=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** 4xx other than 408 and 429 mean the request itself is refused: retrying cannot help. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429 || status < 400;
}

function parseUrl(raw: string): URL {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // Reported below.
  }
  throw sinkError('http', 'invalid_config', false, 'the URL must be an absolute http(s) URL');
}

export function createHttpSink(config: HttpSinkConfig, deps: SinkDeps): OperatorEventSink {
  const url = parseUrl(config.url);
  // Only the status decides: bodies are drained and dropped. No address policy: the operator chose the URL.
  const http = createHttpClient({
    maxResponseBodyBytes: MAX_DRAINED_BODY_BYTES, connectTimeoutMs: config.timeoutMs, policy: undefined, discardResponseBodies: true,
  });
  const lifecycle = closeOnce(() => http.close());

  async function send(event: OperatorEvent, signal?: AbortSignal): Promise<void> {
    if (lifecycle.closed) throw sinkError('http', 'sink_closed', true);
    const body = encodeEnvelope(event);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': USER_AGENT };
    if (config.signingSecret) headers[SIGNATURE_HEADER] = outpostSignature(config.signingSecret, body);
    const deadline = createDeadline(config.timeoutMs, signal);
    let status: number;
    try {
      status = (await http.post({ url, headers, body, signal: deadline.signal })).status;
    } catch (error) {
      const code = deadline.reason() ?? networkErrorCode(error) ?? 'network_error';
      throw reportFailure(deps, sinkError('http', code, true), error, { sink: 'http', eventId: event.id });
    } finally {
      deadline.dispose();
    }
    if (status >= 400) {
      const failure = sinkError('http', String(status), isRetryableStatus(status), `the endpoint answered HTTP ${status}`);
      throw reportFailure(deps, failure, undefined, { sink: 'http', eventId: event.id, status });
    }
  }

  return { kind: 'http', send, close: lifecycle.close };
}
