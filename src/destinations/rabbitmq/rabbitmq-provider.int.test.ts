import amqp, { type Channel, type ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { useAmqpChannel } from '../../../test/harness/amqp-channel.js';
import { startTcpProxy } from '../../../test/harness/tcp-proxy.js';
import type { Destination, StringMap } from '../../domain/types.js';
import { startRabbitMq } from '../../runtime/brokers/rabbitmq-server.js';
import { freeLoopbackPort } from '../../runtime/ports.js';
import { makeDestination, makeEvent, makeProvider } from '../testing/fixtures.js';
import { describePublisherContract, type ContractConsumer, type ReceivedMessage } from '../testing/publisher-contract.js';
import { closedLoopbackAddress, publishOnce, waitForCount } from '../testing/single-attempt.js';
import type { DestinationProvider } from '../types.js';
import { createRabbitMqProvider } from './rabbitmq-provider.js';

const RESTART_NODE_DIR = join(fileURLToPath(new URL('../../../', import.meta.url)), '.herald', 'test', 'rabbitmq-destination-restart');

const provider = (): DestinationProvider => makeProvider(createRabbitMqProvider);
const hostPort = (url: string) => new URL(url).host;

function rabbitDestination(serverUrl: string, exchange: string, extra: { deliveryMetadata?: StringMap; password?: string } = {}): Destination {
  return makeDestination({
    type: 'rabbitmq',
    topics: ['*'],
    config: { server_url: serverUrl, exchange, tls: 'false' },
    credentials: { username: 'guest', password: extra.password ?? 'guest' },
    deliveryMetadata: extra.deliveryMetadata ?? {},
  });
}

/** A topic exchange with an exclusive queue bound to every routing key, collecting what arrives. */
async function exchangeWithQueue(channel: Channel, exchange = `herald-dest-${randomUUID()}`) {
  // The broker's own amq.* exchanges always exist (and may not be declared).
  if (!exchange.startsWith('amq.')) await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: true });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, exchange, '#');
  const messages: ConsumeMessage[] = [];
  const { consumerTag } = await channel.consume(queue, (message) => message && messages.push(message), { noAck: true });
  return {
    exchange,
    messages,
    waitFor: (count: number, timeoutMs = 10_000) => waitForCount(messages, count, timeoutMs),
    stop: () => channel.cancel(consumerTag),
  };
}

const received = (message: ConsumeMessage): ReceivedMessage => ({
  body: JSON.parse(message.content.toString('utf8')) as unknown,
  metadata: Object.fromEntries(Object.entries(message.properties.headers ?? {}).map(([key, value]) => [key, String(value)])),
});

describe('rabbitmq destination (against the run\'s RabbitMQ)', () => {
  const url = inject('rabbitmqUrl');
  const broker = useAmqpChannel(url);

  async function consumer(): Promise<ContractConsumer> {
    const queue = await exchangeWithQueue(broker.channel);
    const stalling = await startTcpProxy(hostPort(url));
    stalling.stall();
    return {
      destination: (init) => rabbitDestination(hostPort(url), queue.exchange, init),
      stallingDestination: () => rabbitDestination(stalling.address, queue.exchange),
      waitForMessages: async (count, timeoutMs) => (await queue.waitFor(count, timeoutMs)).map(received),
      close: async () => {
        await stalling.close();
        await queue.stop();
      },
    };
  }

  describePublisherContract('rabbitmq', provider, consumer);

  it('when an event is published, then its topic is the routing key, the body is JSON and the broker confirmed it', async () => {
    const queue = await exchangeWithQueue(broker.channel);
    const rabbit = provider();
    const event = makeEvent({ topic: 'user.created' });

    const result = await rabbit.publish({ event, destination: rabbitDestination(hostPort(url), queue.exchange), signal: AbortSignal.timeout(5_000) });
    await rabbit.close();

    expect(result).toEqual({ ok: true, code: 'OK', responseData: null });
    const [message] = await queue.waitFor(1);
    expect(message!.fields).toMatchObject({ exchange: queue.exchange, routingKey: 'user.created' });
    expect(message!.properties).toMatchObject({ contentType: 'application/json', messageId: event.id, deliveryMode: 2 });
    await queue.stop();
  });

  it('when the exchange does not exist, then the attempt fails with exchange_not_found', async () => {
    const result = await publishOnce(provider(), rabbitDestination(hostPort(url), `missing-${randomUUID()}`));

    expect(result).toMatchObject({ ok: false, code: 'exchange_not_found', responseData: { error: expect.any(String) } });
  });

  it('when the password is wrong, then the attempt fails with auth_failed and the password is not in the response', async () => {
    const result = await publishOnce(provider(), rabbitDestination(hostPort(url), 'amq.topic', { password: 'not-the-password' }));

    expect(result).toMatchObject({ ok: false, code: 'auth_failed' });
    expect(JSON.stringify(result)).not.toContain('not-the-password');
  });

  it('when nothing listens on the server address, then the attempt fails with connection_refused', async () => {
    const result = await publishOnce(provider(), rabbitDestination(await closedLoopbackAddress(), 'x'));

    expect(result).toMatchObject({ ok: false, code: 'connection_refused' });
  });

  it('when the connection drops between attempts, then the next attempt fails classified and the one after reconnects', async () => {
    const queue = await exchangeWithQueue(broker.channel);
    const proxy = await startTcpProxy(hostPort(url));
    const rabbit = provider();
    const destination = rabbitDestination(proxy.address, queue.exchange);
    const publish = () => rabbit.publish({ event: makeEvent(), destination, signal: AbortSignal.timeout(5_000) });
    try {
      expect(await publish()).toMatchObject({ ok: true });

      proxy.cut();
      const failed = await publish();
      await proxy.restore();
      const recovered = await publish();

      expect(failed.ok).toBe(false);
      expect(['channel_error', 'connection_reset', 'connection_refused', 'rabbitmq_error']).toContain(failed.code);
      expect(recovered).toMatchObject({ ok: true, code: 'OK' });
      await queue.waitFor(2);
    } finally {
      await rabbit.close();
      await proxy.close();
      await queue.stop();
    }
  });
});

describe('rabbitmq destination across a broker restart', () => {
  it('when the broker stops, then the attempt fails classified and retryable, and after it restarts the next attempt reconnects', async () => {
    const port = await freeLoopbackPort();
    const start = () => startRabbitMq({ dataDir: RESTART_NODE_DIR, port, logger: pino({ level: 'silent' }), env: {} });
    let node = await start();
    const rabbit = provider();
    const destination = rabbitDestination(`127.0.0.1:${port}`, 'amq.topic');
    const publish = () => rabbit.publish({ event: makeEvent(), destination, signal: AbortSignal.timeout(5_000) });
    try {
      expect(await publish()).toMatchObject({ ok: true });

      await node.stop();
      const failed = await publish();
      expect(failed.ok).toBe(false);
      expect(['connection_refused', 'connection_reset', 'connection_forced', 'channel_error']).toContain(failed.code);

      node = await start();
      const consumerConnection = await amqp.connect(node.url);
      const queue = await exchangeWithQueue(await consumerConnection.createChannel(), 'amq.topic');
      expect(await publish()).toMatchObject({ ok: true, code: 'OK' });
      await queue.waitFor(1);
      await consumerConnection.close();
    } finally {
      await rabbit.close();
      await node.stop();
    }
  });
});
