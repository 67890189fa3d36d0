/**
 * HTTP sink: POSTs the JSON envelope, signed like Outpost (`X-Outpost-Signature: v0=<hex
 * HMAC-SHA256(secret, raw body)>`) when a secret is set. The URL is the operator's own, so unlike
 * destination webhooks it is not checked against private addresses.
 */
import { createHmac } from 'node:crypto';
import { Pool } from 'undici';
import { createDeadline } from '../../transports/deadline.js';
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
  const path = `${url.pathname}${url.search}`;
  // One keep-alive pool for the sink's single origin, shared by concurrent sends.
  const pool = new Pool(url.origin, { connect: { timeout: config.timeoutMs }, keepAliveTimeout: 4_000 });
  const lifecycle = closeOnce(() => pool.close());

  async function send(event: OperatorEvent, signal?: AbortSignal): Promise<void> {
    if (lifecycle.closed) throw sinkError('http', 'sink_closed', true);
    const body = encodeEnvelope(event);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': USER_AGENT };
    if (config.signingSecret) headers[SIGNATURE_HEADER] = outpostSignature(config.signingSecret, body);
    const deadline = createDeadline(config.timeoutMs, signal);
    let status: number;
    try {
      const response = await pool.request({ method: 'POST', path, headers, body, signal: deadline.signal });
      status = response.statusCode;
      // The status decides; a body cut short by the deadline does not undo an accepted event.
      await response.body.dump({ limit: MAX_DRAINED_BODY_BYTES }).catch(() => undefined);
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
