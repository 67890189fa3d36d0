/**
 * The outbound HTTP client every HTTP wire shares (webhooks, Hookdeck, the operator-event sink):
 * one undici `Agent` (keep-alive pool per origin), a deadline from the caller's AbortSignal, a
 * capped response body, and no redirect following (a 3xx is returned as is; the caller decides
 * what it means). With an address policy, its connector refuses private addresses after DNS
 * resolution: hostile by default where tenants choose the URLs, absent where the operator does.
 */
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import type { AddressPolicy } from './address-policy.js';
import { createGuardedConnector } from './guarded-connect.js';
import type { Resolver } from './guarded-connect.js';

export interface HttpRequest {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  readonly signal: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** Response header value (first one if repeated), by lower-case name. */
  header(name: string): string | undefined;
  /** UTF-8 text, or a placeholder when larger than the cap; empty when bodies are discarded. */
  readonly body: string;
  readonly bodyTruncated: boolean;
}

export interface HttpClient {
  /** Rejects with the driver error on transport failure; resolves for any HTTP status. */
  post(req: HttpRequest): Promise<HttpResponse>;
  /** As `post`, without a body. */
  get(req: Omit<HttpRequest, 'body'>): Promise<HttpResponse>;
  /** Lets in-flight requests finish, then closes pooled connections. */
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** 0 = unlimited. */
  readonly maxResponseBodyBytes: number;
  readonly connectTimeoutMs: number;
  /** Checked on every connection; undefined = no restriction. */
  readonly policy: AddressPolicy | undefined;
  /** DNS resolver override (tests). */
  readonly resolve?: Resolver;
  /**
   * When only the status matters: bodies are drained up to the cap and dropped, and a body cut
   * short (by the deadline or the peer) does not fail a request whose status already arrived.
   */
  readonly discardResponseBodies?: boolean;
}

const KEEP_ALIVE_TIMEOUT_MS = 4_000;

export function oversizedBodyPlaceholder(maxBytes: number): string {
  return `[response body not stored: larger than ${maxBytes} bytes]`;
}

type ResponseBody = Dispatcher.ResponseData['body'];

/** Reads at most `maxBytes` (0 = all); past the cap it stops reading and drops the connection. */
export async function readCappedBody(
  body: ResponseBody,
  maxBytes: number,
  declaredLength: string | undefined,
): Promise<{ text: string; truncated: boolean }> {
  const oversized = { text: oversizedBodyPlaceholder(maxBytes), truncated: true };
  if (maxBytes > 0 && declaredLength !== undefined && Number(declaredLength) > maxBytes) {
    body.destroy();
    return oversized;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (maxBytes > 0 && size > maxBytes) {
      body.destroy();
      return oversized;
    }
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

function headerReader(headers: Record<string, string | string[] | undefined>): (name: string) => string | undefined {
  return (name) => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const connect =
    options.policy === undefined
      ? { timeout: options.connectTimeoutMs }
      : createGuardedConnector({
          policy: options.policy,
          connectTimeoutMs: options.connectTimeoutMs,
          ...(options.resolve ? { resolve: options.resolve } : {}),
        });
  const agent = new Agent({ connect, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });

  async function send(method: 'GET' | 'POST', req: Omit<HttpRequest, 'body'> & { body?: string | Buffer }): Promise<HttpResponse> {
    const response = await request(req.url, { dispatcher: agent, method, headers: req.headers, body: req.body, signal: req.signal });
    const header = headerReader(response.headers);
    if (options.discardResponseBodies === true) {
      const limit = options.maxResponseBodyBytes > 0 ? options.maxResponseBodyBytes : Number.MAX_SAFE_INTEGER;
      await response.body.dump({ limit }).catch(() => undefined);
      return { status: response.statusCode, header, body: '', bodyTruncated: false };
    }
    const body = await readCappedBody(response.body, options.maxResponseBodyBytes, header('content-length'));
    return { status: response.statusCode, header, body: body.text, bodyTruncated: body.truncated };
  }

  return {
    post: (req) => send('POST', req),
    get: (req) => send('GET', req),
    close: () => agent.close(),
  };
}
