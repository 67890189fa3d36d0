/**
 * Network failures (no response from the other side) → the stable code vocabulary every wire
 * shares, plus a customer-safe message. Raw driver messages never reach a tenant (driver text can
 * name internal hosts); they go to logs.
 */
import { isTimeoutReason } from './deadline.js';

/** The stable vocabulary for failures that happen before a response arrives. */
export type TransportErrorCode =
  | 'timeout'
  | 'dns_error'
  | 'connection_refused'
  | 'connection_reset'
  | 'network_unreachable'
  | 'tls_error'
  | 'redirect_error'
  | 'private_address_blocked'
  | 'network_error';

/** The `code` of the error a connection refused by the outbound address policy fails with. */
export const PRIVATE_ADDRESS_BLOCKED_CODE = 'HERALD_PRIVATE_ADDRESS_BLOCKED';

export interface TransportFailure {
  readonly code: TransportErrorCode;
  /** Customer-safe text for `responseData.error`. */
  readonly message: string;
}

export const TRANSPORT_ERROR_MESSAGES: Readonly<Record<TransportErrorCode, string>> = {
  timeout: 'The endpoint did not respond before the delivery timeout.',
  dns_error: 'The endpoint host name could not be resolved.',
  connection_refused: 'The endpoint refused the connection.',
  connection_reset: 'The endpoint closed the connection before sending a response.',
  network_unreachable: 'The endpoint network is unreachable.',
  tls_error: 'The TLS handshake with the endpoint failed (for example an invalid or expired certificate).',
  redirect_error: 'The endpoint answered with a redirect that was not followed.',
  private_address_blocked: 'The endpoint resolves to a private or reserved network address, which is not allowed.',
  network_error: 'The request to the endpoint failed because of a network or protocol error.',
};

const CODE_TABLE: Readonly<Record<string, TransportErrorCode>> = {
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  ENOTFOUND: 'dns_error',
  EAI_AGAIN: 'dns_error',
  EAI_FAIL: 'dns_error',
  EAI_NODATA: 'dns_error',
  EAI_NONAME: 'dns_error',
  ENODATA: 'dns_error',
  ESERVFAIL: 'dns_error',
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  ECONNABORTED: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  ENETUNREACH: 'network_unreachable',
  EHOSTUNREACH: 'network_unreachable',
  ENETDOWN: 'network_unreachable',
  EHOSTDOWN: 'network_unreachable',
  EPROTO: 'tls_error',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls_error',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls_error',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls_error',
  UNABLE_TO_GET_ISSUER_CERT: 'tls_error',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls_error',
  HOSTNAME_MISMATCH: 'tls_error',
  [PRIVATE_ADDRESS_BLOCKED_CODE]: 'private_address_blocked',
};

const TLS_CODE_PREFIXES = ['ERR_TLS_', 'ERR_SSL_', 'CERT_'];

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function classifyOne(error: unknown): TransportErrorCode | undefined {
  if (isTimeoutReason(error)) return 'timeout';
  const code = codeOf(error);
  if (code === undefined) return undefined;
  const mapped = CODE_TABLE[code];
  if (mapped !== undefined) return mapped;
  return TLS_CODE_PREFIXES.some((prefix) => code.startsWith(prefix)) ? 'tls_error' : undefined;
}

/** The error, its `cause` chain and `AggregateError` members (Happy Eyeballs), outermost first. */
function* errorChain(error: unknown, depth = 0): Generator<unknown> {
  if (error === undefined || error === null || depth > 8) return;
  yield error;
  if (error instanceof AggregateError) {
    for (const member of error.errors) yield* errorChain(member, depth + 1);
  }
  if (error instanceof Error && error.cause !== undefined) yield* errorChain(error.cause, depth + 1);
}

export function classifyTransportError(error: unknown): TransportFailure {
  for (const candidate of errorChain(error)) {
    const code = classifyOne(candidate);
    if (code !== undefined) return { code, message: TRANSPORT_ERROR_MESSAGES[code] };
  }
  return { code: 'network_error', message: TRANSPORT_ERROR_MESSAGES.network_error };
}
