import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './errors.js';

/** Routes whose contract answers every bad request with 400, so a body that is not JSON is a 400 there too. */
const BAD_REQUEST_ROUTES: ReadonlySet<string> = new Set(['POST /retry']);

/**
 * Mounted right after the JSON body parser: gives a malformed body the status its route's contract
 * names; elsewhere the error handler's 422 `invalid JSON` stands.
 */
export function contractBodyErrors(error: unknown, req: Request, _res: Response, next: NextFunction): void {
  const failedParse = (error as { type?: string } | null)?.type === 'entity.parse.failed';
  if (failedParse && BAD_REQUEST_ROUTES.has(`${req.method} ${req.path}`)) return next(new ApiError(400, 'invalid JSON'));
  next(error);
}
