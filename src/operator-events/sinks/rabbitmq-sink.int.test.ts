import amqp, { type Channel, type ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { useAmqpChannel } from '../../../test/harness/amqp-channel.js';
import { freeLoopbackPort } from '../../runtime/ports.js';
import { startRabbitMq } from '../../runtime/brokers/rabbitmq-server.js';
import { SinkError, type OperatorEvent } from '../types.js';
import { createSink } from './create-sink.js';
import { makeOperatorEvent, recordingLogger } from './sink-test-fixtures.js';

const RECOVERY_NODE_DIR = join(fileURLToPath(new URL('../../../', import.meta.url)), '.herald', 'test', 'rabbitmq-recovery');

async function failureOf(promise: Promise<unknown>): Promise<SinkError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SinkError);
  return error as SinkError;
}

/** An exclusive queue bound to `exchange` for every routing key, collecting what arrives. */
async function bindQueue(channel: Channel, exchange: string) {
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, exchange, '#');
  const messages: ConsumeMessage[] = [];
  await channel.consume(queue, (message) => message && messages.push(message), { noAck: true });
  return {
    async waitFor(count: number, timeoutMs = 5_000): Promise<ConsumeMessage[]> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return messages;
    },
  };
}

function envelopeOf(message: ConsumeMessage): OperatorEvent {
  return JSON.parse(message.content.toString('utf8')) as OperatorEvent;
}

describe('RabbitMQ operator-event sink (against the run\'s RabbitMQ)', () => {
  const url = inject('rabbitmqUrl');
  const broker = useAmqpChannel(url);

  it('when events are sent, then each is confirmed and arrives on a bound queue with its topic as routing key', async () => {
    const exchange = `herald-opevents-${randomUUID()}`;
    const sink = createSink({ kind: 'rabbitmq', serverUrl: url, exchange }, { logger: recordingLogger() });
    // The sink declares the exchange itself; bind after its first send so that path is exercised.
    const first = makeOperatorEvent('alert.attempt.exhausted_retries');
    await sink.send(first);
    const queue = await bindQueue(broker.channel, exchange);
    const events = Array.from({ length: 20 }, (_, i) => makeOperatorEvent(i % 2 ? 'attempt.success' : 'attempt.failed'));

    await Promise.all(events.map((event) => sink.send(event)));
    await Promise.all([sink.close(), sink.close()]);

    const messages = await queue.waitFor(events.length);
    expect(messages.map(envelopeOf)).toEqual(expect.arrayContaining(events));
    const sample = messages.find((m) => envelopeOf(m).id === events[1]!.id)!;
    expect(sample.fields.routingKey).toBe('attempt.success');
    expect(sample.properties).toMatchObject({ contentType: 'application/json', deliveryMode: 2, messageId: events[1]!.id });
  });

  it('when the exchange exists with another type, then send fails with exchange_mismatch, not retryable', async () => {
    const exchange = `herald-fanout-${randomUUID()}`;
    await broker.channel.assertExchange(exchange, 'fanout', { durable: false, autoDelete: false });
    const sink = createSink({ kind: 'rabbitmq', serverUrl: url, exchange }, { logger: recordingLogger() });

    const failure = await failureOf(sink.send(makeOperatorEvent()));
    await sink.close();
    await broker.channel.deleteExchange(exchange);

    expect(failure).toMatchObject({ code: 'exchange_mismatch', retryable: false });
  });

  it('when the password is wrong, then send fails with auth_failed, not retryable, and the password is not in the error', async () => {
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    const logger = recordingLogger();
    const sink = createSink({ kind: 'rabbitmq', serverUrl: wrong.toString(), exchange: 'herald-x' }, { logger });

    const failure = await failureOf(sink.send(makeOperatorEvent()));
    await sink.close();

    expect(failure).toMatchObject({ code: 'auth_failed', retryable: false });
    expect(failure.message).not.toContain('not-the-password');
    expect(logger.warnings).toHaveLength(1);
  });

  it('when the URL is not amqp, then createSink throws invalid_config', () => {
    expect(() => createSink({ kind: 'rabbitmq', serverUrl: 'http://127.0.0.1', exchange: 'x' }, { logger: recordingLogger() }))
      .toThrow(expect.objectContaining({ code: 'invalid_config', retryable: false }) as Error);
  });
});

describe('RabbitMQ operator-event sink across a broker restart', () => {
  it('when the node stops, then sends fail retryable, and after it restarts a later send is confirmed on a new connection', async () => {
    const port = await freeLoopbackPort();
    const start = () => startRabbitMq({ dataDir: RECOVERY_NODE_DIR, port, logger: pino({ level: 'silent' }), env: {} });
    let node = await start();
    const exchange = `herald-recovery-${randomUUID()}`;
    const sink = createSink({ kind: 'rabbitmq', serverUrl: node.url, exchange }, { logger: recordingLogger() });
    try {
      await sink.send(makeOperatorEvent());

      await node.stop();
      const failure = await failureOf(sink.send(makeOperatorEvent()));
      expect(failure.retryable).toBe(true);
      expect(['connection_refused', 'connection_reset', 'connection_forced', 'channel_error']).toContain(failure.code);

      node = await start();
      const consumer = await amqp.connect(node.url);
      const queue = await bindQueue(await consumer.createChannel(), exchange);
      const event = makeOperatorEvent('alert.destination.disabled');
      await sink.send(event);
      const [message] = await queue.waitFor(1);
      expect(envelopeOf(message!)).toEqual(event);
      await consumer.close();
    } finally {
      await sink.close();
      await node.stop();
    }
  });
});
