/**
 * @platformatic/kafka failures → TransportError codes. The client wraps what went wrong (a refused
 * socket, a SASL rejection, a broker error code) in NetworkError / MultipleErrors / ResponseError
 * layers, so the whole chain is searched, the most specific finding first.
 */
import { AuthenticationError, ProtocolError, TimeoutError, UserError } from '@platformatic/kafka';
import { TransportError, networkTransportError } from '../errors.js';
import { TRANSPORT_ERROR_MESSAGES } from '../network-errors.js';

/** The Kafka codes beyond the shared network vocabulary. */
export type KafkaErrorCode =
  | 'auth_failed'
  | 'access_denied'
  | 'topic_not_found'
  | 'invalid_topic'
  | 'message_too_large'
  | 'message_rejected'
  | 'throttled'
  | 'kafka_error';

interface Finding {
  readonly code: KafkaErrorCode | 'tls_error' | 'timeout' | 'connection_reset';
  readonly retryable: boolean;
  readonly message: string;
}

const FINDINGS = {
  auth_failed: { code: 'auth_failed', retryable: false, message: 'The Kafka brokers rejected the SASL username, password or mechanism.' },
  access_denied: { code: 'access_denied', retryable: false, message: 'The Kafka user is not allowed to write to the topic.' },
  topic_not_found: { code: 'topic_not_found', retryable: false, message: 'The Kafka topic does not exist.' },
  invalid_topic: { code: 'invalid_topic', retryable: false, message: 'The Kafka brokers refused the topic name.' },
  message_too_large: { code: 'message_too_large', retryable: false, message: 'The message is larger than the Kafka topic accepts.' },
  message_rejected: { code: 'message_rejected', retryable: false, message: 'The Kafka brokers refused the message.' },
  throttled: { code: 'throttled', retryable: true, message: 'The Kafka brokers are throttling this client.' },
  tls_error: { code: 'tls_error', retryable: true, message: TRANSPORT_ERROR_MESSAGES.tls_error },
  timeout: { code: 'timeout', retryable: true, message: TRANSPORT_ERROR_MESSAGES.timeout },
  connection_reset: { code: 'connection_reset', retryable: true, message: TRANSPORT_ERROR_MESSAGES.connection_reset },
  kafka_error: { code: 'kafka_error', retryable: true, message: 'Publishing to Kafka failed.' },
} as const satisfies Record<string, Finding>;

/** Broker error ids (the Kafka protocol's error names) → what they mean for a publish. */
const PROTOCOL_ERRORS: Readonly<Record<string, Finding>> = {
  SASL_AUTHENTICATION_FAILED: FINDINGS.auth_failed,
  UNSUPPORTED_SASL_MECHANISM: FINDINGS.auth_failed,
  ILLEGAL_SASL_STATE: FINDINGS.auth_failed,
  TOPIC_AUTHORIZATION_FAILED: FINDINGS.access_denied,
  CLUSTER_AUTHORIZATION_FAILED: FINDINGS.access_denied,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: FINDINGS.access_denied,
  UNKNOWN_TOPIC_OR_PARTITION: FINDINGS.topic_not_found,
  UNKNOWN_TOPIC_ID: FINDINGS.topic_not_found,
  INVALID_TOPIC_EXCEPTION: FINDINGS.invalid_topic,
  MESSAGE_TOO_LARGE: FINDINGS.message_too_large,
  RECORD_LIST_TOO_LARGE: FINDINGS.message_too_large,
  INVALID_RECORD: FINDINGS.message_rejected,
  CORRUPT_MESSAGE: FINDINGS.message_rejected,
  THROTTLING_QUOTA_EXCEEDED: FINDINGS.throttled,
  REQUEST_TIMED_OUT: FINDINGS.timeout,
};

/** The error, its `cause` chain and aggregated members, outermost first. */
function* chain(error: unknown, depth = 0): Generator<unknown> {
  if (error === undefined || error === null || depth > 10) return;
  yield error;
  if (error instanceof AggregateError) for (const member of error.errors) yield* chain(member, depth + 1);
  if (error instanceof Error && error.cause !== undefined) yield* chain(error.cause, depth + 1);
}

function findingOf(error: unknown): Finding | undefined {
  if (error instanceof ProtocolError) return PROTOCOL_ERRORS[String(error['apiId'])];
  if (error instanceof AuthenticationError) return FINDINGS.auth_failed;
  if (error instanceof TimeoutError) return FINDINGS.timeout;
  // The client reports these two as user errors; its message is the only thing telling them apart.
  if (error instanceof UserError && /^Unknown topic/i.test(error.message)) return FINDINGS.topic_not_found;
  if (error instanceof UserError && /TLS handshake/i.test(error.message)) return FINDINGS.tls_error;
  return undefined;
}

/** Any failure of a produce as a TransportError; the raw error stays as `cause`, for logs. */
export function classifyKafkaError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  for (const candidate of chain(error)) {
    const finding = findingOf(candidate);
    if (finding) return new TransportError(finding.code, finding.retryable, finding.message, { cause: error });
  }
  const network = networkTransportError(error);
  if (network) return network;
  // A broker that closes the socket without a word (a SASL listener meeting a client that skipped SASL).
  const closed = [...chain(error)].some((e) => e instanceof Error && /^Connection closed/i.test(e.message));
  const finding = closed ? FINDINGS.connection_reset : FINDINGS.kafka_error;
  return new TransportError(finding.code, finding.retryable, finding.message, { cause: error });
}
