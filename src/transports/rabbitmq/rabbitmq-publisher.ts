/**
 * One AMQP connection and one confirm channel to one server, opened on first use and opened again
 * on the next publish after the broker dropped either (a restart, a forced close, a channel the
 * broker closed because of an error). A publish resolves only once the broker confirmed the
 * message, so "sent" means the broker took responsibility for it.
 */
import amqp, { type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import { asError, untilAborted } from '../deadline.js';
import { classifyRabbitMqError } from './rabbitmq-errors.js';

export interface RabbitMqPublisherOptions {
  /** `amqp://` or `amqps://`, with optional vhost and query (`heartbeat`); credentials in it are used when `credentials` is absent. */
  readonly url: string;
  /** Sent as given (no URL escaping to get wrong). */
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Shown in the broker's connection list. */
  readonly connectionName: string;
  /** Bounds the TCP connect and the AMQP handshake (amqplib's socket timeout). */
  readonly connectTimeoutMs: number;
  /** Declared once per channel before the first publish; omitted, the exchange must already exist. */
  readonly assertExchange?: { readonly name: string; readonly type: 'topic' | 'direct' | 'fanout' | 'headers'; readonly durable: boolean };
  readonly onError?: (error: unknown, scope: 'connection' | 'channel') => void;
}

export interface RabbitMqMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly body: Buffer;
  readonly properties: Options.Publish;
}

export interface RabbitMqPublisher {
  /**
   * Publishes and waits for the broker's confirm.
   * @throws TransportError (classified) when the broker or the network refused; the signal's reason when it aborted.
   */
  publish(message: RabbitMqMessage, signal: AbortSignal): Promise<void>;
  /** Closes the connection; an open still under way is closed once it completes. Idempotent. */
  close(): Promise<void>;
}

interface Session {
  readonly connection: ChannelModel;
  readonly channel: ConfirmChannel;
  /** Why the broker closed the channel or connection, once it did: confirms still pending fail with it. */
  lostBecause?: Error;
}

export function createRabbitMqPublisher(options: RabbitMqPublisherOptions): RabbitMqPublisher {
  let pending: Promise<Session> | undefined;
  let live: Session | undefined;
  let closed = false;

  function forget(session: Session | undefined, opening: Promise<Session>) {
    if (pending === opening) pending = undefined;
    if (live === session) live = undefined;
  }

  /** Connects, opens the confirm channel and watches both; `onLost` runs once either closes. */
  async function open(onLost: (session: Session) => void): Promise<Session> {
    const connection = await amqp.connect(options.url, {
      timeout: options.connectTimeoutMs,
      ...(options.credentials ? { credentials: amqp.credentials.plain(options.credentials.username, options.credentials.password) } : {}),
      clientProperties: { connection_name: options.connectionName },
    });
    // Listeners go on before anything can fail: an 'error' event without one would crash the process.
    let session: Session | undefined;
    const lost = (error: unknown, scope: 'connection' | 'channel') => {
      if (session) session.lostBecause ??= asError(error);
      options.onError?.(error, scope);
    };
    connection.on('error', (error: unknown) => lost(error, 'connection'));
    connection.on('close', () => {
      if (session) onLost(session);
    });
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: unknown) => lost(error, 'channel'));
      // A channel the broker closed is not reused: the next publish starts over on a new connection.
      channel.on('close', () => {
        if (session) onLost(session);
        connection.close().catch(() => undefined);
      });
      if (options.assertExchange) {
        const { name, type, durable } = options.assertExchange;
        await channel.assertExchange(name, type, { durable });
      }
      session = { connection, channel };
      return session;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  /** The live session, or one being opened; concurrent publishes share a single open. */
  function current(): Promise<Session> {
    if (pending) return pending;
    const opening: Promise<Session> = open((session) => forget(session, opening)).then((session) => {
      if (closed) void session.connection.close().catch(() => undefined);
      else live = session;
      return session;
    });
    pending = opening;
    opening.catch(() => forget(undefined, opening));
    return opening;
  }

  function confirm(session: Session, message: RabbitMqMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (error: unknown) => (error ? reject(session.lostBecause ?? asError(error)) : resolve());
      try {
        session.channel.publish(message.exchange, message.routingKey, message.body, message.properties, settle);
      } catch (error) {
        settle(error); // the channel closed between the check-out and now
      }
    });
  }

  return {
    async publish(message, signal) {
      if (closed) throw new Error('the RabbitMQ publisher is closed');
      try {
        await untilAborted(current().then((session) => confirm(session, message)), signal);
      } catch (error) {
        if (signal.aborted) throw error;
        throw classifyRabbitMqError(error);
      }
    },
    async close() {
      closed = true;
      const session = live;
      pending = undefined;
      live = undefined;
      await session?.connection.close().catch(() => undefined);
    },
  };
}

/** Seconds between AMQP heartbeats, so a connection that died silently is noticed and reopened. */
export const HEARTBEAT_SECONDS = 30;

/**
 * The AMQP URL for a server address (`host:port`, optionally `/vhost`); `tls` selects `amqps`.
 * @throws TypeError when the address does not make a URL.
 */
export function amqpUrl(serverUrl: string, tls: boolean): string {
  const url = new URL(`${tls ? 'amqps' : 'amqp'}://${serverUrl}`);
  if (url.username || url.password || url.hostname === '') throw new TypeError('expected host:port');
  if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(HEARTBEAT_SECONDS));
  return url.toString();
}
