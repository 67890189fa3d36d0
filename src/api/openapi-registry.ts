import type { RequestHandler, Router } from 'express';
import type { z } from 'zod';

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** A schema, or one built from the destination types the registry holds (their enums depend on it). */
export type SchemaSource = z.ZodType | ((destinationTypes: readonly string[]) => z.ZodType);

export interface ResponseSpec {
  readonly description: string;
  /** Absent on a 4xx/5xx: the error envelope. */
  readonly schema?: z.ZodType;
  /** A body that is not JSON (`text/plain; version=0.0.4` for the Prometheus scrape), described as text. */
  readonly textContentType?: string;
}

/**
 * One HTTP operation: what the router mounts and what the OpenAPI document describes, read from
 * the same object so the two cannot disagree. The handler parses with the same schemas.
 */
export interface Operation {
  readonly method: HttpMethod;
  /** OpenAPI form, relative to `/api/v1`: `/tenants/{tenant_id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly description?: string;
  /** Answered without a bearer token. */
  readonly public?: boolean;
  /** Served at the host's root (`/metrics`), not under `/api/v1`. */
  readonly atRoot?: boolean;
  /** Path parameter schemas where they are checked as more than text. */
  readonly params?: z.ZodObject;
  readonly query?: SchemaSource;
  readonly body?: z.ZodType;
  readonly bodyRequired?: boolean;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

export const defineOperation = <const O extends Operation>(operation: O): O => operation;

/** `/tenants/{tenant_id}` → `/tenants/:tenant_id`. */
export const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Mounts the operation's handlers at its method and path. */
export function mount(router: Router, operation: Operation, ...handlers: RequestHandler[]): void {
  router[operation.method](expressPath(operation.path), ...handlers);
}
