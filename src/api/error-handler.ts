import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { ConflictError, ForbiddenError, NotFoundError, RetryRefusedError, ValidationError } from '../services/errors.js';
import { asDependencyUnavailable } from '../services/unavailable.js';
import { ApiError } from './errors.js';

/** The contract's error envelope `{status, message, data?}`: `data` only when there is some. */
export function errorBody(status: number, message: string, data?: unknown) {
  return data === undefined ? { status, message } : { status, message, data };
}

/** The status (and `data`) of each error the services throw; null for anything else. */
function fromDomainError(error: unknown): ApiError | null {
  if (error instanceof ValidationError) return new ApiError(422, error.message, [...error.problems]);
  if (error instanceof NotFoundError) return new ApiError(404, error.message);
  if (error instanceof ForbiddenError) return new ApiError(403, error.message);
  // The contract answers a clash with stored state, and a refused retry, with 400 rather than 409.
  if (error instanceof ConflictError) return new ApiError(400, error.message);
  if (error instanceof RetryRefusedError) {
    return new ApiError(400, error.message, error.reason === 'destination_disabled' ? { error: error.reason } : undefined);
  }
  return null;
}

/** The one error handler: typed errors map to their status; anything else is a 500 without detail. */
export function createErrorHandler(deps: { readonly logger: Logger; readonly maxRequestBodyBytes: number }): ErrorRequestHandler {
  const lastUnavailableLog = new Map<string, number>();
  return (error: unknown, req, res, _next) => {
    const typed = error instanceof ApiError ? error : fromDomainError(error);
    if (typed) {
      res.status(typed.status).json(errorBody(typed.status, typed.message, typed.data));
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') return void res.status(422).json(errorBody(422, 'invalid JSON'));
    if (type === 'entity.too.large') {
      return void res.status(413).json(errorBody(413, `request body is larger than ${deps.maxRequestBodyBytes} bytes`));
    }
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return void res.status(status).json(errorBody(status, (error as Error).message || 'bad request'));
    }
    // A dependency that is down, slow or saturated: the caller may retry, so 503, never 500.
    const unavailable = asDependencyUnavailable(error);
    if (unavailable) {
      // Under overload this fires per request: one line per dependency per second is enough.
      const now = Date.now();
      if (now - (lastUnavailableLog.get(unavailable.dependency) ?? 0) >= 1000) {
        lastUnavailableLog.set(unavailable.dependency, now);
        deps.logger.warn({ dependency: unavailable.dependency, method: req.method, path: req.path, err: unavailable.cause }, 'answering 503');
      }
      res.setHeader('Retry-After', String(unavailable.retryAfterSeconds));
      return void res.status(503).json(errorBody(503, unavailable.message, { dependency: unavailable.dependency }));
    }
    deps.logger.error({ err: error, method: req.method, path: req.path }, 'unhandled API error');
    res.status(500).json(errorBody(500, 'internal server error'));
  };
}
