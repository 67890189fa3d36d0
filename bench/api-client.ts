import { Pool } from 'undici';
import { now } from './clock.js';

/**
 * Herald's public REST API, as a benchmark client sees it: keep-alive connections through one
 * undici Pool, JSON bodies, optional admin bearer key. Nothing here knows Herald's internals.
 */

export interface PublishTiming {
  readonly t1: number;
  readonly t2: number;
  readonly status: number;
  /** Destination ids from the 202 body (empty on error). */
  readonly destinationIds: readonly string[];
  readonly error?: string;
  /** Seconds the API asked the caller to wait (`Retry-After` of a 503 or 429). */
  readonly retryAfterS?: number;
}

export class HeraldApi {
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly headers: Record<string, string>;

  /** `baseUrl` is the API root, with or without the `/api/v1` suffix. */
  constructor(baseUrl: string, apiKey: string | undefined, connections: number) {
    const url = new URL(baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '').replace(/(\/api\/v1)?$/, '/api/v1');
    this.pool = new Pool(url.origin, { connections, keepAliveTimeout: 30_000, pipelining: 1 });
    this.headers = { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) };
  }

  async call(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await this.pool.request({
      method, path: `${this.prefix}${path}`, headers: this.headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async healthy(): Promise<boolean> {
    try {
      return (await this.call('GET', '/healthz')).status === 200;
    } catch {
      return false;
    }
  }

  async createTenant(tenantId: string): Promise<void> {
    const res = await this.call('PUT', `/tenants/${encodeURIComponent(tenantId)}`, {});
    if (res.status !== 200 && res.status !== 201) throw new Error(`PUT /tenants/${tenantId} → ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** Creates a webhook destination for `topic` and returns its id. */
  createWebhook(tenantId: string, topic: string, url: string): Promise<string> {
    return this.createDestination(tenantId, { type: 'webhook', topics: [topic], config: { url } });
  }

  /** Creates a destination of any type and returns its id. */
  async createDestination(tenantId: string, destination: {
    type: string; topics: readonly string[]; config: Record<string, string>; credentials?: Record<string, string>;
  }): Promise<string> {
    const res = await this.call('POST', `/tenants/${encodeURIComponent(tenantId)}/destinations`, destination);
    if (res.status !== 201) throw new Error(`POST destinations → ${res.status} ${JSON.stringify(res.body)}`);
    return String(res.body.id);
  }

  /**
   * POST /publish with a caller-chosen event id. t1 is taken just before the request is handed to
   * undici (so pool queueing counts as publish latency), t2 when the response head arrives.
   */
  async publish(body: { id: string; tenant_id: string; topic: string; data: Record<string, unknown> }): Promise<PublishTiming> {
    const payload = JSON.stringify(body);
    const t1 = now();
    try {
      const res = await this.pool.request({ method: 'POST', path: `${this.prefix}/publish`, headers: this.headers, body: payload });
      const t2 = now();
      const text = await res.body.text();
      if (res.statusCode !== 202) {
        const retryAfter = Number(res.headers['retry-after']);
        return {
          t1, t2, status: res.statusCode, destinationIds: [], error: `${res.statusCode} ${text.slice(0, 200)}`,
          ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterS: retryAfter } : {}),
        };
      }
      const parsed = JSON.parse(text) as { destination_ids?: string[] };
      return { t1, t2, status: 202, destinationIds: parsed.destination_ids ?? [] };
    } catch (error) {
      return { t1, t2: now(), status: 0, destinationIds: [], error: String(error) };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
