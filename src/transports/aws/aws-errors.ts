/**
 * AWS SDK v3 failures → TransportError. Every service reports errors the same way: the error
 * `name` (or `Code`) is the AWS error code, `$fault` says whose fault it was, and
 * `$metadata.httpStatusCode` the status. What is common to all services is classified here; each
 * service adds only its own "the target does not exist" names.
 */
import { TransportError, networkTransportError } from '../errors.js';

/** The wire's own codes, beside the shared network vocabulary. */
export type AwsErrorCode = 'auth_failed' | 'throttled' | 'invalid_request' | 'server_error' | 'aws_error';

/** A service's missing-target names (`QueueDoesNotExist`) and the code and text they map to. */
export interface NotFoundRule {
  readonly names: ReadonlySet<string>;
  readonly code: string;
  readonly message: string;
}

interface AwsErrorShape {
  readonly name?: string;
  readonly Code?: string;
  readonly code?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const AUTH_FAILED: ReadonlySet<string> = new Set([
  'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'AccessDenied',
  'AccessDeniedException', 'InvalidAccessKeyId', 'InvalidSecurity', 'MissingAuthenticationToken', 'ExpiredToken',
  'ExpiredTokenException', 'InvalidToken', 'CredentialsProviderError', 'KmsAccessDenied', 'KMSAccessDeniedException',
  'AllAccessDisabled', 'AccountProblem',
]);
const THROTTLED: ReadonlySet<string> = new Set([
  'ThrottlingException', 'Throttling', 'RequestThrottled', 'RequestThrottledException', 'TooManyRequestsException',
  'ProvisionedThroughputExceededException', 'SlowDown', 'KmsThrottled', 'KMSThrottlingException', 'RequestLimitExceeded',
  'LimitExceededException',
]);
/** Node refuses a header value (an S3 user-metadata value with control characters) before sending. */
const REFUSED_BY_NODE: ReadonlySet<string> = new Set(['ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN']);

const MESSAGES: Readonly<Record<AwsErrorCode, string>> = {
  auth_failed: 'AWS rejected the credentials or denied access.',
  throttled: 'AWS throttled the request.',
  invalid_request: 'AWS rejected the request as invalid.',
  server_error: 'AWS failed to process the request.',
  aws_error: 'The request to AWS failed.',
};

const failure = (code: AwsErrorCode, retryable: boolean, cause: unknown) =>
  new TransportError(code, retryable, MESSAGES[code], { cause });

/**
 * Classifies any failure of an AWS send; always a TransportError. Missing targets, refused
 * credentials and invalid requests are not retryable; throttling, server faults and network
 * failures are.
 */
export function classifyAwsError(error: unknown, notFound?: NotFoundRule): TransportError {
  const network = networkTransportError(error);
  if (network) return network;
  const aws = (typeof error === 'object' && error !== null ? error : {}) as AwsErrorShape;
  const name = aws.Code ?? aws.name ?? '';
  const status = aws.$metadata?.httpStatusCode;
  if (notFound?.names.has(name)) return new TransportError(notFound.code, false, notFound.message, { cause: error });
  if (AUTH_FAILED.has(name) || status === 401 || status === 403) return failure('auth_failed', false, error);
  if (THROTTLED.has(name) || status === 429) return failure('throttled', true, error);
  if (aws.code !== undefined && REFUSED_BY_NODE.has(aws.code)) return failure('invalid_request', false, error);
  if (aws.$fault === 'client' && status !== undefined && status >= 400 && status < 500) {
    return failure('invalid_request', false, error);
  }
  if (aws.$fault === 'server' || (status !== undefined && status >= 500)) return failure('server_error', true, error);
  return failure('aws_error', true, error);
}
