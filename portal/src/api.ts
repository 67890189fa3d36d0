/**
 * The public API as the portal calls it, with the tenant's token. Shapes are the server's own
 * response schemas (types only: nothing of the server is bundled).
 */
import type { z } from 'zod';
import type {
  attemptPageSchema, attemptSchema, deliveryTimelineSchema, destinationSchema, destinationTypeSchema, errorSchema,
  eventPageSchema, eventSchema, metricsResponseSchema,
} from '../../src/api/openapi-schemas.js';

export type Destination = z.output<typeof destinationSchema>;
export type DestinationType = z.output<typeof destinationTypeSchema>;
export type DestinationField = DestinationType['config_fields'][number];
export type Attempt = z.output<typeof attemptSchema>;
export type AttemptPage = z.output<typeof attemptPageSchema>;
export type EventPage = z.output<typeof eventPageSchema>;
export type HeraldEvent = z.output<typeof eventSchema>;
export type Timeline = z.output<typeof deliveryTimelineSchema>;
export type Metrics = z.output<typeof metricsResponseSchema>;
type ErrorBody = z.output<typeof errorSchema>;

/** An answer other than 2xx, with the contract's error envelope when there was one. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly data?: ErrorBody['data']) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problems of a 422, or the message. */
  get details(): string[] {
    return Array.isArray(this.data) ? this.data : [this.message];
  }
}

export interface ApiClient {
  readonly tenantId: string;
  get<T>(path: string, query?: Record<string, string | string[] | undefined>): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** `{a: '1', b: ['x', 'y']}` → `a=1&b[]=x&b[]=y` (the contract's array form); empty values dropped. */
export function queryString(query: Record<string, string | string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(`${key}[]`, v);
    else params.append(key, value);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function createApiClient(options: { token: string; tenantId: string; onUnauthorized: () => void; base?: string }): ApiClient {
  const base = options.base ?? '/api/v1';
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (res.status === 401) options.onUnauthorized();
    if (!res.ok) {
      const envelope = parsed as Partial<ErrorBody> | undefined;
      throw new ApiError(res.status, envelope?.message ?? res.statusText, envelope?.data);
    }
    return parsed as T;
  };
  return {
    tenantId: options.tenantId,
    get: (path, query = {}) => call('GET', `${path}${queryString(query)}`),
    send: (method, path, body) => call(method, path, body),
  };
}

/** The tenant-scoped path of a destination (and below it). */
export const destinationPath = (tenantId: string, destinationId?: string, rest = '') =>
  `/tenants/${encodeURIComponent(tenantId)}/destinations${destinationId ? `/${encodeURIComponent(destinationId)}` : ''}${rest}`;
