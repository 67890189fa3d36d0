import amqp, { type ChannelModel, type ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { attemptsOf, deliveryHandle, eventually, publish, uid } from './fixtures.js';

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
    const tenantId = uid('tenant');
    expect((await herald.call('PUT', `/tenants/${tenantId}`, {})).status).toBe(201);

    const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, {
      type: 'rabbitmq',
      topics: ['order.created'],
      config: { server_url: server.host, exchange },
      credentials: { username: server.username, password: server.password },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.config).toMatchObject({ server_url: server.host, exchange, tls: 'false' });
    expect(created.body.credentials.username).toBe(server.username);
    expect(created.body.credentials.password).not.toBe(server.password);
    expect(created.body.target).toBe(`${exchange} -> order.created`);
    const fetched = await herald.call('GET', `/tenants/${tenantId}/destinations/${created.body.id}`);
    expect(fetched.body.credentials.password).not.toBe(server.password);

    const published = await publish(herald, { tenant_id: tenantId, data: { order: 7 }, metadata: { region: 'eu' } });
    expect(await deliveryHandle(herald, tenantId, published.id, created.body.id as string).result())
      .toEqual({ status: 'delivered', attemptCount: 1 });

    const [message] = await eventually(async () => messages, (arrived) => arrived.length >= 1);
    expect(JSON.parse(message!.content.toString('utf8'))).toEqual({ order: 7 });
    expect(message!.fields.routingKey).toBe('order.created');
    expect(message!.properties.headers).toMatchObject({ 'event-id': published.id, topic: 'order.created', region: 'eu' });
    const attempts = await attemptsOf(herald, published.id);
    expect(attempts).toMatchObject([{ attempt_number: 1, status: 'success', code: 'OK' }]);
    await channel.close();
  });
});
