/** An AMQP channel for the RabbitMQ tests' own side (declaring, binding, consuming). */
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll } from 'vitest';

/** Connects before the enclosing suite's tests and closes after them; read `channel` inside a test. */
export function useAmqpChannel(url: string): { readonly channel: Channel } {
  let connection: ChannelModel | undefined;
  let channel: Channel | undefined;
  beforeAll(async () => {
    connection = await amqp.connect(url);
    channel = await connection.createChannel();
  });
  afterAll(() => connection?.close());
  return {
    get channel() {
      if (!channel) throw new Error('the AMQP channel is read before the tests opened it');
      return channel;
    },
  };
}
