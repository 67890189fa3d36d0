/**
 * The `rabbitmq` destination: each event is published to the configured exchange with routing key
 * = event topic, body = the event data as JSON, and the metadata map as AMQP headers; an attempt
 * succeeds once the broker confirmed the message. Like Outpost, the exchange is not declared: a
 * tenant's broker topology is theirs.
 */
import type { Destination, StringMap } from '../../domain/types.js';
import { amqpUrl } from '../../transports/rabbitmq/rabbitmq-publisher.js';
import { createRabbitMqTransport, type RabbitMqServer } from '../../transports/rabbitmq/rabbitmq-transport.js';
import { checkboxValue } from '../field-validation.js';
import { createMessageProvider } from '../message-provider.js';
import type { DestinationOptions } from '../options.js';
import type { DestinationProvider, ProviderDeps } from '../types.js';
import { RABBITMQ_METADATA, RABBITMQ_TYPE } from './rabbitmq-metadata.js';

/** Connections unused this long are closed; the next attempt reconnects. */
const IDLE_CONNECTION_MS = 5 * 60_000;
/** Open connections per process, least recently used closed first beyond it. */
const MAX_CONNECTIONS = 256;

/** Outpost accepts `on` for a checked box and stores `"false"` when it is omitted. */
function normaliseTls(config: StringMap): StringMap {
  const tls = config['tls'];
  if (tls === 'on') return { ...config, tls: 'true' };
  if (tls === undefined || tls === '') return { ...config, tls: 'false' };
  return config;
}

function check(config: StringMap): string[] {
  const serverUrl = config['server_url'];
  if (!serverUrl || /\s/.test(serverUrl)) return []; // the declared pattern reports it
  try {
    amqpUrl(serverUrl, false);
    return [];
  } catch {
    return ['config.server_url is invalid'];
  }
}

const serverOf = ({ config, credentials }: Destination): RabbitMqServer => ({
  serverUrl: config['server_url'] ?? '',
  tls: checkboxValue(config, 'tls'),
  username: credentials['username'] ?? '',
  password: credentials['password'] ?? '',
});

export function createRabbitMqProvider(options: DestinationOptions, deps: ProviderDeps): DestinationProvider {
  const transport = createRabbitMqTransport({
    connectTimeoutMs: options.deliveryTimeoutMs,
    idleMs: IDLE_CONNECTION_MS,
    maxConnections: MAX_CONNECTIONS,
    connectionName: 'herald-destinations',
    onError: (error, scope) => deps.logger.debug({ err: error }, `RabbitMQ destination ${scope} closed with an error`),
  });

  const provider = createMessageProvider({
    type: RABBITMQ_TYPE,
    metadata: RABBITMQ_METADATA,
    check,
    target: (destination) => `${destination.config['exchange'] ?? ''} -> ${destination.topics.join(', ')}`,
    send: (message, destination, signal) =>
      transport.publish(serverOf(destination), {
        exchange: destination.config['exchange'] ?? '',
        routingKey: message.event.topic,
        body: message.body,
        properties: { contentType: 'application/json', persistent: true, messageId: message.event.id, headers: message.metadata },
      }, signal),
    release: (destination) => transport.release(serverOf(destination)),
    close: () => transport.close(),
  }, options, deps);

  return { ...provider, prepare: (input) => provider.prepare({ ...input, config: normaliseTls(input.config) }) };
}
