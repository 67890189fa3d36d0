import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StringMap } from '../../domain/types.js';
import { freeLoopbackPort } from '../../runtime/ports.js';
import { describePublisherContract, type ContractConsumer } from '../testing/publisher-contract.js';
import { makeDestination, makeEvent, makeOptions } from '../testing/fixtures.js';
import type { DestinationProvider, ProviderDeps } from '../types.js';
import { createKafkaProvider } from './kafka-provider.js';
import { createTopic, headersOf, readTopic } from './kafka-test-consumer.js';

const kafka = inject('kafkaBrokers');
const deps: ProviderDeps = { clock: () => new Date(), logger: { debug: () => undefined, warn: () => undefined } };
const makeProvider = () => createKafkaProvider(makeOptions(), deps);

function kafkaDestination(config: StringMap, credentials: StringMap = {}, deliveryMetadata: StringMap = {}) {
  return makeDestination({
    type: 'kafka',
    config: { brokers: kafka.saslBrokers, sasl_mechanism: 'scram-sha-256', tls: 'false', ...config },
    credentials: { username: kafka.username, password: kafka.password, ...credentials },
    deliveryMetadata,
  });
}

/** A port that accepts connections and never answers: a broker that hangs. */
async function stallingPort(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => void sockets.add(socket));
  const port = await freeLoopbackPort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

async function makeConsumer(): Promise<ContractConsumer> {
  const reader = await readTopic(kafka.brokers, await createTopic(kafka.brokers));
  const stall = await stallingPort();
  return {
    destination: (init) => kafkaDestination({ topic: reader.topic }, {}, init?.deliveryMetadata ?? {}),
    stallingDestination: () => kafkaDestination({ topic: reader.topic, brokers: `127.0.0.1:${stall.port}` }),
    async waitForMessages(count, timeoutMs) {
      const records = await reader.waitFor(count, timeoutMs);
      return records.map((record) => ({ body: JSON.parse(record.value) as unknown, metadata: headersOf(record) }));
    },
    close: async () => {
      await reader.close();
      await stall.close();
    },
  };
}

describePublisherContract('kafka', makeProvider, makeConsumer);

describe('kafka provider against the run\'s Kafka', () => {
  let provider: DestinationProvider;
  beforeAll(() => void (provider = makeProvider()));
  afterAll(() => provider.close());
  const publish = (destination: ReturnType<typeof kafkaDestination>, event = makeEvent()) =>
    provider.publish({ event, destination, signal: AbortSignal.timeout(15_000) });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])('when the SASL mechanism is %s, then the record arrives with its key, JSON value and content-type header', async (mechanism) => {
    const topic = await createTopic(kafka.brokers);
    const reader = await readTopic(kafka.brokers, topic);
    const event = makeEvent({ data: { customer: { id: 'cus_42' } } });
    try {
      const result = await publish(kafkaDestination({ topic, sasl_mechanism: mechanism, partition_key_template: 'data.customer.id' }), event);

      expect(result).toMatchObject({ ok: true, code: 'OK' });
      const [record] = await reader.waitFor(1);
      expect(record?.key).toBe('cus_42');
      expect(JSON.parse(record?.value ?? 'null')).toEqual(event.data);
      expect(headersOf(record!)).toMatchObject({ 'content-type': 'application/json', 'event-id': event.id });
    } finally {
      await reader.close();
    }
  });

  it('when no partition key template is set, then the key is the event id', async () => {
    const topic = await createTopic(kafka.brokers);
    const reader = await readTopic(kafka.brokers, topic);
    const event = makeEvent();
    try {
      await publish(kafkaDestination({ topic }), event);

      const [record] = await reader.waitFor(1);
      expect(record?.key).toBe(event.id);
    } finally {
      await reader.close();
    }
  });

  it('when nothing listens on the brokers\' port, then the attempt fails as connection_refused', async () => {
    const result = await publish(kafkaDestination({ topic: 'anything', brokers: `127.0.0.1:${await freeLoopbackPort()}` }));

    expect(result).toMatchObject({ ok: false, code: 'connection_refused' });
  });

  it('when the password is wrong, then the attempt fails as auth_failed without the driver text', async () => {
    const result = await publish(kafkaDestination({ topic: 'anything' }, { password: 'wrong' }));

    expect(result).toMatchObject({ ok: false, code: 'auth_failed' });
    expect(JSON.stringify(result.responseData)).not.toContain('127.0.0.1');
  });

  it('when the topic does not exist, then the attempt fails as topic_not_found', async () => {
    const result = await publish(kafkaDestination({ topic: 'herald-no-such-topic' }));

    expect(result).toMatchObject({ ok: false, code: 'topic_not_found' });
  });

  it('when TLS is on but the listener is plaintext, then the attempt fails as tls_error', async () => {
    const result = await publish(kafkaDestination({ topic: 'anything', tls: 'true' }));

    expect(result).toMatchObject({ ok: false, code: 'tls_error' });
  });
});
