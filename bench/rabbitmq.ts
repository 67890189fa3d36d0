import amqp, { type ConsumeMessage } from 'amqplib';
import { pino } from 'pino';
import { startRabbitMq, type RunningRabbitMq } from '../src/runtime/brokers/index.js';
import { freeLoopbackPort } from '../src/runtime/ports.js';
import { now } from './clock.js';
import type { Receiver } from './receiver.js';
import { retried } from './stack-support.js';

/**
 * The bench's side of RabbitMQ: its own broker (or a given one), the destination config pointing
 * at it, and a consumer that hands every message to the receiver, so the scenario's ledger counts
 * and times broker deliveries the way it does webhook requests.
 */

/**
 * Starts a node in `dir` on a free loopback port, or returns `givenUrl` untouched. A RABBITMQ_URL
 * in the developer's shell is ignored, like every other setting of theirs: only `givenUrl` names
 * a broker. The node is a guarded child, so it never outlives this process.
 */
export function startBenchRabbitMq(dir: string, givenUrl: string | undefined, log: (line: string) => void): Promise<RunningRabbitMq> {
  const env = { ...process.env };
  delete env.RABBITMQ_URL;
  if (givenUrl) env.RABBITMQ_URL = givenUrl;
  return retried('RabbitMQ', log, async () => startRabbitMq({ dataDir: dir, port: await freeLoopbackPort(), logger: pino({ level: 'warn' }), env }));
}

/** A `rabbitmq` destination's config and credentials for the broker at `url` (amqp[s]://user:pass@host:port[/vhost]). */
export function rabbitMqDestination(url: string, exchange: string): { config: Record<string, string>; credentials: Record<string, string> } {
  const u = new URL(url);
  return {
    config: { server_url: `${u.host}${u.pathname === '/' ? '' : u.pathname}`, exchange, tls: u.protocol === 'amqps:' ? 'true' : 'false' },
    credentials: { username: decodeURIComponent(u.username) || 'guest', password: decodeURIComponent(u.password) || 'guest' },
  };
}

export interface LedgerConsumer {
  /** Messages with neither a message id nor an `event-id` header (acked, not counted). */
  readonly unidentified: number;
  /** Why the broker closed the consumer's connection or channel, if it did. */
  readonly lost: string | null;
  /** Stops consuming and removes the queue and the exchange (they are per run). Idempotent. */
  close(): Promise<void>;
}

/**
 * Enough unacked messages in flight that the consumer never waits on its own acks: more than the
 * highest concurrency step has deliveries outstanding.
 */
const PREFETCH = 1_000;

/**
 * Declares a durable topic exchange and a durable queue bound to it with `bindingKey` (durable,
 * so the persistent messages Herald publishes are stored as a production setup would store them),
 * and consumes it, acking each message and recording it for `tag` at the moment it arrived.
 */
export async function consumeIntoReceiver(options: {
  readonly url: string;
  readonly exchange: string;
  readonly queue: string;
  readonly bindingKey: string;
  readonly tag: string;
  readonly receiver: Receiver;
}): Promise<LedgerConsumer> {
  const connection = await amqp.connect(options.url, { clientProperties: { connection_name: 'herald-bench-consumer' } });
  let lost: string | null = null;
  let unidentified = 0;
  // Without listeners an 'error' event would crash the bench; the loss fails the scenario instead.
  connection.on('error', (error: unknown) => (lost ??= `connection: ${String(error)}`));
  try {
    const channel = await connection.createChannel();
    channel.on('error', (error: unknown) => (lost ??= `channel: ${String(error)}`));
    await channel.assertExchange(options.exchange, 'topic', { durable: true });
    await channel.assertQueue(options.queue, { durable: true });
    await channel.bindQueue(options.queue, options.exchange, options.bindingKey);
    await channel.prefetch(PREFETCH);
    const { consumerTag } = await channel.consume(options.queue, (message: ConsumeMessage | null) => {
      if (!message) return void (lost ??= 'the broker cancelled the consumer');
      const t3 = now();
      channel.ack(message);
      const header = message.properties.headers?.['event-id'] as unknown;
      const id = (message.properties.messageId as string | undefined) ?? (typeof header === 'string' ? header : undefined);
      if (id) options.receiver.recordDelivery(options.tag, id, t3);
      else unidentified += 1;
    });
    let closing: Promise<void> | undefined;
    return {
      get unidentified() {
        return unidentified;
      },
      get lost() {
        return lost;
      },
      close: () => (closing ??= (async () => {
        if (lost === null) {
          await channel.cancel(consumerTag);
          await channel.deleteQueue(options.queue);
          await channel.deleteExchange(options.exchange);
        }
        await connection.close();
      })().catch(() => undefined)),
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
