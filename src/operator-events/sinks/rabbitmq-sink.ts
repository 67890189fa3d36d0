/**
 * RabbitMQ sink: one connection and one confirm channel, opened on first use and again after a
 * drop. Publishes to a durable topic exchange with routing key = event topic and resolves only
 * once the broker confirmed the message.
 */
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { asError, createDeadline, untilAborted } from '../../transports/deadline.js';
import type { OperatorEvent, OperatorEventSink, SinkConfig, SinkError } from '../types.js';
import {
  closeOnce, DEFAULT_SEND_TIMEOUT_MS, encodeEnvelope, networkErrorCode, reportFailure, sinkError,
  type SinkDeps,
} from './sink-support.js';

type RabbitMqSinkConfig = Extract<SinkConfig, { kind: 'rabbitmq' }>;

interface Session {
  readonly connection: ChannelModel;
  readonly channel: ConfirmChannel;
}

/** AMQP reply codes (AMQP 0-9-1 §1.9). */
const AMQP = { CONNECTION_FORCED: 320, ACCESS_REFUSED: 403, NOT_FOUND: 404, PRECONDITION_FAILED: 406, NOT_ALLOWED: 530 } as const;

/** amqplib and network failures → stable codes (the vocabulary of Outpost's ClassifyRabbitMQError). */
export function classifyRabbitMqError(error: unknown): SinkError {
  const network = networkErrorCode(error);
  if (network) return sinkError('rabbitmq', network, true);
  const { code, message } = (error instanceof Error ? error : {}) as { code?: unknown; message?: string };
  const text = message ?? '';
  if (code === AMQP.ACCESS_REFUSED || text.includes('ACCESS-REFUSED') || text.includes('ACCESS_REFUSED')) {
    return sinkError('rabbitmq', 'auth_failed', false);
  }
  if (code === AMQP.NOT_ALLOWED || text.includes('NOT_ALLOWED')) {
    return sinkError('rabbitmq', 'access_denied', false, 'the broker refused access to the virtual host');
  }
  if (code === AMQP.NOT_FOUND) return sinkError('rabbitmq', 'exchange_not_found', false, 'the exchange does not exist');
  if (code === AMQP.PRECONDITION_FAILED) {
    return sinkError('rabbitmq', 'exchange_mismatch', false, 'the exchange exists with other settings than a durable topic exchange');
  }
  if (code === AMQP.CONNECTION_FORCED) return sinkError('rabbitmq', 'connection_forced', true, 'the broker closed the connection');
  if (text === 'message nacked') return sinkError('rabbitmq', 'nacked', true, 'the broker did not accept the message');
  if (/channel (closed|ended)|connection closed|Channel ended|Connection closed/i.test(text)) {
    return sinkError('rabbitmq', 'channel_error', true, 'the channel closed before the broker confirmed the message');
  }
  return sinkError('rabbitmq', 'rabbitmq_error', true, 'publishing to RabbitMQ failed');
}

function assertAmqpUrl(raw: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // Reported below.
  }
  if (protocol !== 'amqp:' && protocol !== 'amqps:') {
    throw sinkError('rabbitmq', 'invalid_config', false, 'the server URL must be an amqp:// or amqps:// URL');
  }
}

export function createRabbitMqSink(config: RabbitMqSinkConfig, deps: SinkDeps): OperatorEventSink {
  assertAmqpUrl(config.serverUrl);
  let session: Promise<Session> | undefined;

  /** The live session, opening one when there is none; concurrent sends share the same attempt. */
  function current(): Promise<Session> {
    if (session) return session;
    const opening: Promise<Session> = open(() => {
      if (session === opening) session = undefined;
    });
    session = opening;
    opening.catch(() => {
      if (session === opening) session = undefined;
    });
    return opening;
  }

  async function open(onLost: () => void): Promise<Session> {
    const connection = await amqp.connect(config.serverUrl, {
      timeout: DEFAULT_SEND_TIMEOUT_MS,
      clientProperties: { connection_name: 'herald-operator-events' },
    });
    connection.on('error', (error: unknown) => deps.logger.warn({ err: error, sink: 'rabbitmq' }, 'RabbitMQ connection error'));
    connection.on('close', onLost);
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: unknown) => deps.logger.warn({ err: error, sink: 'rabbitmq' }, 'RabbitMQ channel error'));
      // A channel closed by the broker (e.g. an access error) is not reused: start over next time.
      channel.on('close', () => {
        onLost();
        connection.close().catch(() => undefined);
      });
      await channel.assertExchange(config.exchange, 'topic', { durable: true });
      return { connection, channel };
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  function publish({ channel }: Session, event: OperatorEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        channel.publish(
          config.exchange,
          event.topic,
          encodeEnvelope(event),
          { contentType: 'application/json', persistent: true, messageId: event.id, type: event.topic },
          (error: unknown) => (error ? reject(asError(error)) : resolve()),
        );
      } catch (error) {
        reject(asError(error)); // the channel closed between the check-out and now
      }
    });
  }

  const lifecycle = closeOnce(async () => {
    const open = session;
    session = undefined;
    const live = await open?.catch(() => undefined);
    await live?.connection.close().catch(() => undefined);
  });

  async function send(event: OperatorEvent, signal?: AbortSignal): Promise<void> {
    if (lifecycle.closed) throw sinkError('rabbitmq', 'sink_closed', true);
    const deadline = createDeadline(DEFAULT_SEND_TIMEOUT_MS, signal);
    try {
      await untilAborted(current().then((live) => publish(live, event)), deadline.signal);
    } catch (error) {
      const abortCode = deadline.reason();
      const failure = abortCode ? sinkError('rabbitmq', abortCode, true) : classifyRabbitMqError(error);
      throw reportFailure(deps, failure, error, { sink: 'rabbitmq', eventId: event.id });
    } finally {
      deadline.dispose();
    }
  }

  return { kind: 'rabbitmq', send, close: lifecycle.close };
}
