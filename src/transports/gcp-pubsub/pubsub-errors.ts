/**
 * Pub/Sub (gRPC) failures → TransportError codes. A missing topic, refused credentials and a
 * rejected message are permanent; throttling and an unavailable service are worth retrying.
 */
import { TransportError, networkTransportError } from '../errors.js';

/** gRPC status codes (grpc/status.proto). */
const GRPC = {
  INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9, UNAVAILABLE: 14, UNAUTHENTICATED: 16,
} as const;

/** Customer-safe texts; the gRPC details (which can name projects and hosts) go to logs only. */
export const PUBSUB_ERROR_MESSAGES = {
  topic_not_found: 'The Pub/Sub topic does not exist.',
  auth_failed: 'Google Cloud rejected the service account credentials or their permissions.',
  invalid_request: 'Pub/Sub rejected the message.',
  throttled: 'Pub/Sub throttled the request.',
  timeout: 'Pub/Sub did not answer before the deadline.',
  unavailable: 'Pub/Sub is unavailable.',
  invalid_config: 'The service account credentials are not service-account JSON.',
  pubsub_error: 'Publishing to Pub/Sub failed.',
} as const;

type PubSubCode = keyof typeof PUBSUB_ERROR_MESSAGES;

export const pubSubFailure = (code: PubSubCode, retryable: boolean, cause?: unknown) =>
  new TransportError(code, retryable, PUBSUB_ERROR_MESSAGES[code], { cause });

const RETRIES_EXHAUSTED_UNAVAILABLE = /Exceeded maximum number of retries.*\b14 UNAVAILABLE\b/s;

/** grpc-js reports the socket error of an UNAVAILABLE call only in `details` ("connect ECONNREFUSED 127.0.0.1:…"). */
function unavailable(details: string, error: unknown): TransportError {
  if (details.includes('ECONNREFUSED')) return new TransportError('connection_refused', true, 'Pub/Sub refused the connection.', { cause: error });
  if (/ENOTFOUND|EAI_AGAIN|Name resolution failed|DNS resolution failed/.test(details)) {
    return new TransportError('dns_error', true, 'The Pub/Sub host name could not be resolved.', { cause: error });
  }
  return pubSubFailure('unavailable', true, error);
}

export function classifyPubSubError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const { code, details, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; details?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  switch (code) {
    case GRPC.NOT_FOUND:
      return pubSubFailure('topic_not_found', false, error);
    case GRPC.PERMISSION_DENIED:
    case GRPC.UNAUTHENTICATED:
      return pubSubFailure('auth_failed', false, error);
    case GRPC.INVALID_ARGUMENT:
    case GRPC.FAILED_PRECONDITION:
      return pubSubFailure('invalid_request', false, error);
    case GRPC.RESOURCE_EXHAUSTED:
      return pubSubFailure('throttled', true, error);
    case GRPC.DEADLINE_EXCEEDED:
      // With retries off, google-gax reports an UNAVAILABLE call as DEADLINE_EXCEEDED with the original in its message.
      return RETRIES_EXHAUSTED_UNAVAILABLE.test(text) ? unavailable(text, error) : pubSubFailure('timeout', true, error);
    case GRPC.UNAVAILABLE:
      return unavailable(typeof details === 'string' ? details : '', error);
    default:
      return networkTransportError(error) ?? pubSubFailure('pubsub_error', true, error);
  }
}
