/** The one error every transport's send fails with: a stable code, retryability and safe text. */
import { classifyTransportError, type TransportErrorCode } from './network-errors.js';

/**
 * Thrown by a transport's send when the other side did not take the message. `code` is from the
 * shared network vocabulary (`timeout`, `connection_refused`, …) or the wire's own (`queue_not_found`,
 * `auth_failed`, …); `message` is safe to show a tenant (the raw driver error is the `cause`, for logs).
 * `retryable` is false when retrying cannot help (bad credentials, a missing queue, a refused message).
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';

  constructor(
    readonly code: TransportErrorCode | (string & {}),
    readonly retryable: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A network failure (no answer at all) as a TransportError, or undefined when `error` is something else. */
export function networkTransportError(error: unknown): TransportError | undefined {
  const { code, message } = classifyTransportError(error);
  return code === 'network_error' ? undefined : new TransportError(code, true, message, { cause: error });
}
