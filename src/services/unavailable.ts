/**
 * "Try again later": a dependency is down, slow or out of capacity. Nothing about the request was
 * wrong, so it is never a 4xx, and never a 500 either: the API answers 503 with Retry-After.
 */

/** `destination_verification`: the service that checks a destination's credentials (Hookdeck's API). */
export type Dependency = 'postgres' | 'temporal' | 'capacity' | 'destination_verification';

/** Thrown (or classified from a driver error) when a dependency cannot serve the request now. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    /** Seconds a caller should wait before trying again. */
    readonly retryAfterSeconds: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

/** Node socket errors: the peer is gone or unreachable. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** SQLSTATEs of a Postgres that is restarting, shutting down or out of connections. */
const POSTGRES_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);

/** What node-postgres says when a connection or the pool gives up. */
const POSTGRES_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'Client has encountered a connection error',
  'connection is not queryable',
];

/** gRPC status codes that mean "not now": CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE. */
const GRPC_UNAVAILABLE_CODES = new Set([1, 4, 8, 14]);

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < 8; ) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function isPostgresUnavailable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || POSTGRES_UNAVAILABLE_STATES.has(code) || code.startsWith('08'))) return true;
  return typeof message === 'string' && POSTGRES_MESSAGES.some((m) => message.includes(m));
}

function isTemporalUnavailable(error: unknown): boolean {
  const { name, code, details } = error as { name?: unknown; code?: unknown; details?: unknown };
  if (name === 'TransportError') return true;
  if (typeof code !== 'number' || details === undefined) return false;
  // The native client reports a connection it could not make as UNKNOWN "transport error".
  return GRPC_UNAVAILABLE_CODES.has(code) || (code === 2 && typeof details === 'string' && /transport error/i.test(details));
}

/**
 * The unavailability behind a driver error, or null when the error is something else (a bug, bad
 * data). Temporal's client errors carry the gRPC status in their cause; node-postgres puts a
 * socket code or SQLSTATE on the error itself.
 */
export function asDependencyUnavailable(error: unknown): DependencyUnavailableError | null {
  if (error instanceof DependencyUnavailableError) return error;
  for (const cause of causes(error)) {
    if (isTemporalUnavailable(cause)) {
      return new DependencyUnavailableError('temporal', 2, 'Temporal is unavailable', { cause: error });
    }
    if (isPostgresUnavailable(cause)) return new DependencyUnavailableError('postgres', 2, 'Postgres is unavailable', { cause: error });
  }
  return null;
}
