/**
 * Errors the API answers with. Every error body is the contract's envelope
 * `{status, message, data?}`; 5xx detail never leaves the process.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly data?: string[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, data?: ApiError['data']) => new ApiError(400, message, data);
export const unauthorized = () => new ApiError(401, 'unauthorized');
export const forbidden = () => new ApiError(403, 'forbidden');
export const notFound = (message = 'not found') => new ApiError(404, message);
