/**
 * Azure Service Bus failures → TransportError codes. The SDK reports a `ServiceBusError` whose
 * `code` names the broker's answer (`MessagingEntityNotFound`, `UnauthorizedAccess`, …). A socket
 * failure loses its Node code on the way (it becomes `GeneralError`, `ServiceCommunicationProblem`
 * or even `ServiceTimeout`) but keeps the numeric `errno`, from which the shared network
 * vocabulary (`connection_refused`, `dns_error`, …) is recovered.
 */
import { getSystemErrorName } from 'node:util';
import { TransportError } from '../errors.js';
import { classifyTransportError } from '../network-errors.js';

interface Classified {
  readonly code: string;
  readonly retryable: boolean;
  readonly message: string;
}

const BY_SERVICE_BUS_CODE: Readonly<Record<string, Classified>> = {
  MessagingEntityNotFound: { code: 'queue_not_found', retryable: false, message: 'The Service Bus queue or topic does not exist.' },
  MessagingEntityDisabled: { code: 'queue_disabled', retryable: false, message: 'The Service Bus queue or topic is disabled.' },
  UnauthorizedAccess: { code: 'auth_failed', retryable: false, message: 'Service Bus refused the connection string (missing or invalid Send rights).' },
  MessageSizeExceeded: { code: 'message_too_large', retryable: false, message: 'The event is larger than the Service Bus entity accepts.' },
  ServiceBusy: { code: 'throttled', retryable: true, message: 'Service Bus is busy and asked to slow down.' },
  QuotaExceeded: { code: 'throttled', retryable: true, message: 'The Service Bus queue or topic is full (its quota is exceeded).' },
  ServiceTimeout: { code: 'timeout', retryable: true, message: 'Service Bus did not answer in time.' },
};

const UNCLASSIFIED_MESSAGE = 'Service Bus did not accept the message.';

/** Sends reject with a `ServiceBusError`, or with core-amqp's `MessagingError` when no connection was made. */
const SDK_ERROR_NAMES: ReadonlySet<unknown> = new Set(['ServiceBusError', 'MessagingError']);

function serviceBusCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !SDK_ERROR_NAMES.has((error as { name?: unknown }).name)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The Node system error name (`ECONNREFUSED`, `EAI_NONAME`) behind an SDK error's `errno`, if any. */
function systemCode(error: unknown): string | undefined {
  const errno = (error as { errno?: unknown } | null)?.errno;
  if (typeof errno !== 'number' || errno >= 0) return undefined;
  try {
    return getSystemErrorName(errno);
  } catch {
    return undefined;
  }
}

/** The TransportError a send failed with; the raw error is its `cause` (for logs only). */
export function classifyServiceBusError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const members: unknown[] = error instanceof AggregateError ? [error, ...(error.errors as unknown[])] : [error];
  for (const candidate of members) {
    // The socket's own code first: the SDK files a reset or an unreachable network under ServiceTimeout.
    const socket = systemCode(candidate);
    const network = classifyTransportError(socket === undefined ? candidate : { code: socket });
    if (network.code !== 'network_error') return new TransportError(network.code, true, network.message, { cause: error });
    const known = BY_SERVICE_BUS_CODE[serviceBusCode(candidate) ?? ''];
    if (known) return new TransportError(known.code, known.retryable, known.message, { cause: error });
  }
  const retryable = (error as { retryable?: unknown } | null)?.retryable !== false;
  const fromSdk = serviceBusCode(error) !== undefined;
  return new TransportError(fromSdk ? 'servicebus_error' : 'network_error', retryable, UNCLASSIFIED_MESSAGE, { cause: error });
}
