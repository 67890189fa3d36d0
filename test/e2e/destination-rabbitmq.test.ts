import amqp, { type ChannelModel, type ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { createDestination, expectCredentialsMasked, expectOneOkAttempt, publishDelivered } from './destination-fixtures.js';
import { createTenant, eventually } from './fixtures.js';

let herald: TestHerald;
let consumer: ChannelModel;

beforeAll(async () => {
  herald = await startTestHerald();
  consumer = await amqp.connect(inject('rabbitmqUrl'));
});
afterAll(async () => {
  await consumer?.close();
  await herald?.close();
});

describe('rabbitmq destination through the public API', () => {
  it('when an event is published, then it arrives on the exchange routed by topic, the attempt is OK and the password is masked', async () => {
    const channel = await consumer.createChannel();
    const exchange = `herald-e2e-${randomUUID()}`;
    await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: true });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, exchange, 'order.*');
    const messages: ConsumeMessage[] = [];
    await channel.consume(queue, (message) => message && messages.push(message), { noAck: true });
    const server = new URL(inject('rabbitmqUrl'));
    const tenantId = await createTenant(herald);

    const { created, fetched } = await createDestination(herald, tenantId, {
      type: 'rabbitmq',
      topics: ['order.created'],
      config: { server_url: server.host, exchange },
      credentials: { username: server.username, password: server.password },
    });
    expect(created.config).toMatchObject({ server_url: server.host, exchange, tls: 'false' });
    expect(created.credentials.username).toBe(server.username);
    expect(created.target).toBe(`${exchange} -> order.created`);
    expectCredentialsMasked([created, fetched], { password: server.password });

    const published = await publishDelivered(herald, tenantId, created.id, { data: { order: 7 }, metadata: { region: 'eu' } });

    const [message] = await eventually(async () => messages, (arrived) => arrived.length >= 1);
    expect(JSON.parse(message!.content.toString('utf8'))).toEqual({ order: 7 });
    expect(message!.fields.routingKey).toBe('order.created');
    expect(message!.properties.headers).toMatchObject({ 'event-id': published.id, topic: 'order.created', region: 'eu' });
    await expectOneOkAttempt(herald, published.id);
    await channel.close();
  });
});
