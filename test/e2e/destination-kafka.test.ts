import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopic, headersOf, readTopic } from '../../src/destinations/kafka/kafka-test-consumer.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { createDestination } from './destination-fixtures.js';
import { attemptsOf, createTenant, eventually, publish } from './fixtures.js';

const kafka = inject('kafkaBrokers');
let herald: TestHerald;

beforeAll(async () => {
  herald = await startTestHerald({ RETRY_SCHEDULE: '1,1' });
});
afterAll(async () => {
  await herald?.close();
});

describe('kafka destination through the API', () => {
  it('when an event is published, then the record arrives on the topic, the attempt is OK and the password stays masked', async () => {
    const topic = await createTopic(kafka.brokers);
    const reader = await readTopic(kafka.brokers, topic);
    try {
      const tenantId = await createTenant(herald);
      const { created, fetched } = await createDestination(herald, tenantId, {
        type: 'kafka', topics: '*',
        config: { brokers: kafka.saslBrokers, topic, sasl_mechanism: 'scram-sha-256', tls: 'false', partition_key_template: 'data.customer_id' },
        credentials: { username: kafka.username, password: kafka.password },
      });
      expect(created.credentials.password).not.toBe(kafka.password);
      expect(fetched.credentials).toMatchObject({ username: kafka.username });
      expect(JSON.stringify(fetched)).not.toContain(kafka.password);

      const published = await publish(herald, { tenant_id: tenantId, data: { customer_id: 'cus_7', total: 12 }, metadata: { region: 'eu' } });

      const [record] = await reader.waitFor(1, 60_000);
      expect(record?.key).toBe('cus_7');
      expect(JSON.parse(record?.value ?? 'null')).toEqual({ customer_id: 'cus_7', total: 12 });
      expect(headersOf(record!)).toMatchObject({ 'content-type': 'application/json', 'event-id': published.id, topic: 'order.created', region: 'eu' });
      const attempts = await eventually(() => attemptsOf(herald, published.id), (list) => list.length > 0, 60_000);
      expect(attempts[0]).toMatchObject({ status: 'success', code: 'OK' });
    } finally {
      await reader.close();
    }
  });
});
