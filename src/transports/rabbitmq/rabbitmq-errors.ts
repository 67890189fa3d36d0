/**
 * amqplib and network failures → TransportError codes. The AMQP reply code is read first (a
 * channel or connection closed by the broker carries it), then amqplib's own wording for failures
 * it raises without one. The vocabulary follows Outpost's RabbitMQ classes (`exchange_not_found`,
 * `channel_error`, `connection_forced`, `rabbitmq_error`, …) plus the shared network codes.
 */
import { TransportError, networkTransportError } from '../errors.js';

/** AMQP 0-9-1 reply codes the broker closes a channel or connection with. */
const AMQP = { CONNECTION_FORCED: 320, ACCESS_REFUSED: 403, NOT_FOUND: 404, PRECONDITION_FAILED: 406, NOT_ALLOWED: 530 } as const;

/** Customer-safe texts; the driver's message (which can name hosts and users) goes to logs only. */
export const RABBITMQ_ERROR_MESSAGES = {
  auth_failed: 'RabbitMQ rejected the username or password.',
  access_denied: 'RabbitMQ refused access to the virtual host.',
  exchange_not_found: 'The exchange does not exist on the RabbitMQ server.',
  exchange_mismatch: 'The exchange exists with other settings than the ones required.',
  connection_forced: 'RabbitMQ closed the connection.',
  nacked: 'RabbitMQ did not accept the message.',
  channel_error: 'The channel closed before RabbitMQ confirmed the message.',
  timeout: 'RabbitMQ did not answer before the deadline.',
  rabbitmq_error: 'Publishing to RabbitMQ failed.',
} as const;

type RabbitMqCode = keyof typeof RABBITMQ_ERROR_MESSAGES;

const failure = (code: RabbitMqCode, retryable: boolean, cause: unknown) =>
  new TransportError(code, retryable, RABBITMQ_ERROR_MESSAGES[code], { cause });

function replyCodeAndText(error: unknown): { code: unknown; text: string } {
  if (typeof error !== 'object' || error === null) return { code: undefined, text: String(error) };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { code, text: typeof message === 'string' ? message : '' };
}

/** The TransportError for a failed connect, channel open or confirm; already-classified errors pass through. */
export function classifyRabbitMqError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const network = networkTransportError(error);
  if (network) return network;
  const { code, text } = replyCodeAndText(error);
  if (code === AMQP.ACCESS_REFUSED || /ACCESS[-_]REFUSED/.test(text)) return failure('auth_failed', false, error);
  if (code === AMQP.NOT_ALLOWED || text.includes('NOT_ALLOWED')) return failure('access_denied', false, error);
  if (code === AMQP.NOT_FOUND) return failure('exchange_not_found', false, error);
  if (code === AMQP.PRECONDITION_FAILED) return failure('exchange_mismatch', false, error);
  if (code === AMQP.CONNECTION_FORCED) return failure('connection_forced', true, error);
  // amqplib's socket timeout during the handshake carries no `code`.
  if (text === 'connect ETIMEDOUT') return failure('timeout', true, error);
  if (text === 'message nacked') return failure('nacked', true, error);
  if (/channel (closed|ended)|connection closed|socket closed/i.test(text)) return failure('channel_error', true, error);
  return failure('rabbitmq_error', true, error);
}
