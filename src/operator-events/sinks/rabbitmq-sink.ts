/**
 * RabbitMQ sink: an adapter over the RabbitMQ transport. Publishes the envelope to a durable topic
 * exchange it declares itself, with routing key = event topic, and resolves once the broker
 * confirmed. The transport keeps one connection and reopens it after a drop.
 */
import { createDeadline } from '../../transports/deadline.js';
import { TransportError } from '../../transports/errors.js';
import { classifyRabbitMqError } from '../../transports/rabbitmq/rabbitmq-errors.js';
import { createRabbitMqPublisher } from '../../transports/rabbitmq/rabbitmq-publisher.js';
import { SinkError, type OperatorEvent, type OperatorEventSink, type SinkConfig } from '../types.js';
import { closeOnce, DEFAULT_SEND_TIMEOUT_MS, encodeEnvelope, reportFailure, sinkError, type SinkDeps } from './sink-support.js';

type RabbitMqSinkConfig = Extract<SinkConfig, { kind: 'rabbitmq' }>;

/** The sink's failures carry the transport's codes and retryability. */
export { classifyRabbitMqError } from '../../transports/rabbitmq/rabbitmq-errors.js';

function assertAmqpUrl(raw: string): void {
  const protocol = URL.canParse(raw) ? new URL(raw).protocol : undefined;
  if (protocol !== 'amqp:' && protocol !== 'amqps:') {
    throw sinkError('rabbitmq', 'invalid_config', false, 'the server URL must be an amqp:// or amqps:// URL');
  }
}

const asSinkError = (failure: TransportError) =>
  new SinkError(`rabbitmq operator-event sink: ${failure.message}`, failure.code, failure.retryable);

export function createRabbitMqSink(config: RabbitMqSinkConfig, deps: SinkDeps): OperatorEventSink {
  assertAmqpUrl(config.serverUrl);
  const publisher = createRabbitMqPublisher({
    url: config.serverUrl,
    connectionName: 'herald-operator-events',
    connectTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
    assertExchange: { name: config.exchange, type: 'topic', durable: true },
    onError: (error, scope) => deps.logger.warn({ err: error, sink: 'rabbitmq' }, `RabbitMQ ${scope} error`),
  });
  const lifecycle = closeOnce(() => publisher.close());

  async function send(event: OperatorEvent, signal?: AbortSignal): Promise<void> {
    if (lifecycle.closed) throw sinkError('rabbitmq', 'sink_closed', true);
    const deadline = createDeadline(DEFAULT_SEND_TIMEOUT_MS, signal);
    try {
      await publisher.publish({
        exchange: config.exchange,
        routingKey: event.topic,
        body: encodeEnvelope(event),
        properties: { contentType: 'application/json', persistent: true, messageId: event.id, type: event.topic },
      }, deadline.signal);
    } catch (error) {
      const abortCode = deadline.reason();
      const failure = abortCode ? sinkError('rabbitmq', abortCode, true) : asSinkError(classifyRabbitMqError(error));
      throw reportFailure(deps, failure, error instanceof TransportError ? (error.cause ?? error) : error, { sink: 'rabbitmq', eventId: event.id });
    } finally {
      deadline.dispose();
    }
  }

  return { kind: 'rabbitmq', send, close: lifecycle.close };
}
