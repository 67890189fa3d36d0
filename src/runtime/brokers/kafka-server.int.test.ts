import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { processesMentioning } from '../../../test/harness/processes.js';
import { tcpAccepts } from './broker-process.js';
import { freeLoopbackPort } from '../ports.js';
import { startKafka } from './kafka-server.js';

const logger = pino({ level: 'silent' });
const DATA_DIR = join(fileURLToPath(new URL('../../../', import.meta.url)), '.herald', 'test', 'kafka-lifecycle');

describe('local Kafka', () => {
  it('when KAFKA_BROKERS is set, then nothing is started and it is returned', async () => {
    const env = { KAFKA_BROKERS: 'kafka:9092', KAFKA_SASL_BROKERS: 'kafka:9094', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' };

    const kafka = await startKafka({ dataDir: '/nonexistent', port: 1, logger, env });

    expect(kafka).toMatchObject({ brokers: 'kafka:9092', saslBrokers: 'kafka:9094', sasl: { username: 'u', password: 'p' }, started: false });
    await kafka.stop();
  });

  it('when a node is started, then both listeners serve its metadata, and stop closes them and leaves no process or data behind', async () => {
    const port = await freeLoopbackPort();
    const kafka = await startKafka({ dataDir: DATA_DIR, port, logger, env: {} });
    const nodeDir = join(DATA_DIR, String(port));
    try {
      expect(kafka.brokers).toBe(`127.0.0.1:${port}`);
      const sasl = new Admin({
        clientId: 'lifecycle-test', bootstrapBrokers: [kafka.saslBrokers], retries: 0,
        sasl: { mechanism: 'SCRAM-SHA-512', ...kafka.sasl },
      });
      const metadata = await sasl.metadata({ topics: [] }).finally(() => sasl.close());
      expect(metadata.brokers.size).toBe(1);
      expect(processesMentioning(nodeDir)).toHaveLength(1);
    } finally {
      await Promise.all([kafka.stop(), kafka.stop()]);
    }

    expect(await tcpAccepts(port)).toBe(false);
    expect(processesMentioning(nodeDir)).toEqual([]);
    expect(existsSync(nodeDir)).toBe(false);
  });
});
