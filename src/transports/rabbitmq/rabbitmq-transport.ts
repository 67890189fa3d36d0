/**
 * RabbitMQ as a transport: one publisher (connection + confirm channel) per server configuration,
 * cached by `clientKey(config, credentials)` so consecutive attempts to the same place reuse the
 * connection, closed once idle, when the configuration changes, or on close.
 */
import { clientKey, createClientCache } from '../client-cache.js';
import { amqpUrl, createRabbitMqPublisher, type RabbitMqMessage, type RabbitMqPublisher } from './rabbitmq-publisher.js';

/** Where and as whom to connect. */
export interface RabbitMqServer {
  /** `host:port`, optionally followed by `/vhost`. */
  readonly serverUrl: string;
  readonly tls: boolean;
  readonly username: string;
  readonly password: string;
}

export interface RabbitMqTransportOptions {
  readonly connectTimeoutMs: number;
  readonly idleMs: number;
  readonly maxConnections: number;
  readonly connectionName: string;
  readonly onError?: (error: unknown, scope: 'connection' | 'channel') => void;
}

export interface RabbitMqTransport {
  /** @throws TransportError (classified), or the signal's reason once it aborted. */
  publish(server: RabbitMqServer, message: RabbitMqMessage, signal: AbortSignal): Promise<void>;
  /** Closes the cached connection for `server` (its destination changed or was deleted). */
  release(server: RabbitMqServer): Promise<void>;
  close(): Promise<void>;
}

const keyOf = ({ serverUrl, tls, username, password }: RabbitMqServer) => clientKey({ serverUrl, tls }, { username, password });

export function createRabbitMqTransport(options: RabbitMqTransportOptions): RabbitMqTransport {
  const publishers = createClientCache<RabbitMqPublisher>({
    close: (publisher) => publisher.close(),
    idleMs: options.idleMs,
    maxEntries: options.maxConnections,
  });

  const open = (server: RabbitMqServer) => () =>
    createRabbitMqPublisher({
      url: amqpUrl(server.serverUrl, server.tls),
      credentials: { username: server.username, password: server.password },
      connectionName: options.connectionName,
      connectTimeoutMs: options.connectTimeoutMs,
      onError: options.onError,
    });

  return {
    publish: (server, message, signal) => publishers.get(keyOf(server), open(server)).publish(message, signal),
    release: (server) => publishers.evict(keyOf(server)),
    close: () => publishers.close(),
  };
}
