import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { processesMentioning } from '../../../test/harness/processes.js';
import { tcpAccepts } from './broker-process.js';
import { freeLoopbackPort } from '../ports.js';
import { startPubSubEmulator, startRabbitMq, startSqsServer } from './index.js';

const logger = pino({ level: 'silent' });
const TEST_DIR = join(fileURLToPath(new URL('../../../', import.meta.url)), '.herald', 'test');

function readState(dataDir: string): { beamPid: number; epmdPort: number } {
  return JSON.parse(readFileSync(join(dataDir, 'herald-node.json'), 'utf8')) as { beamPid: number; epmdPort: number };
}

describe('local brokers', () => {
  it('when RABBITMQ_URL, HERALD_SQS_ENDPOINT and PUBSUB_EMULATOR_HOST are set, then nothing is started and they are returned', async () => {
    const env = { RABBITMQ_URL: 'amqp://u:p@broker:5672', HERALD_SQS_ENDPOINT: 'http://sqs:9324', HERALD_SQS_REGION: 'eu-west-1', PUBSUB_EMULATOR_HOST: 'pubsub:8085' };

    const [rabbitmq, sqs, pubsub] = await Promise.all([
      startRabbitMq({ dataDir: '/nonexistent', port: 1, logger, env }),
      startSqsServer({ port: 1, logger, env }),
      startPubSubEmulator({ port: 1, logger, env }),
    ]);

    expect(rabbitmq).toMatchObject({ url: env.RABBITMQ_URL, started: false });
    expect(sqs).toMatchObject({ endpoint: env.HERALD_SQS_ENDPOINT, region: 'eu-west-1', started: false });
    expect(pubsub).toMatchObject({ host: env.PUBSUB_EMULATOR_HOST, started: false });
    await Promise.all([rabbitmq.stop(), sqs.stop(), pubsub.stop()]);
  });

  it('when the SQS server and the Pub/Sub emulator are stopped, then their ports close and stop can be called again', async () => {
    const [sqsPort, pubsubPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const [sqs, pubsub] = await Promise.all([
      startSqsServer({ port: sqsPort, logger, env: {} }),
      startPubSubEmulator({ port: pubsubPort, logger, env: {} }),
    ]);
    expect(sqs.endpoint).toBe(`http://127.0.0.1:${sqsPort}`);
    expect(pubsub.host).toBe(`127.0.0.1:${pubsubPort}`);
    expect(await tcpAccepts(sqsPort)).toBe(true);
    expect(await tcpAccepts(pubsubPort)).toBe(true);

    await Promise.all([sqs.stop(), pubsub.stop(), sqs.stop()]);

    expect(await tcpAccepts(sqsPort)).toBe(false);
    expect(await tcpAccepts(pubsubPort)).toBe(false);
  });

  it('when a run died leaving its RabbitMQ node up, then the next start on that data directory ends it, and stop leaves no process behind', async () => {
    const dataDir = join(TEST_DIR, 'rabbitmq-leftover');
    const abandoned = await startRabbitMq({ dataDir, port: await freeLoopbackPort(), logger, env: {} });
    const started = [abandoned];
    try {
      const first = readState(dataDir);
      expect(processesMentioning(dataDir)).toContain(first.beamPid);

      const port = await freeLoopbackPort();
      const node = await startRabbitMq({ dataDir, port, logger, env: {} });
      started.push(node);
      const second = readState(dataDir);
      expect(processesMentioning(dataDir)).not.toContain(first.beamPid);
      expect(await tcpAccepts(first.epmdPort)).toBe(false);
      expect(node.url).toBe(`amqp://guest:guest@127.0.0.1:${port}`);

      await node.stop();
      await abandoned.stop();

      expect(processesMentioning(dataDir)).toEqual([]);
      expect(await tcpAccepts(port)).toBe(false);
      expect(await tcpAccepts(second.epmdPort)).toBe(false);
    } finally {
      await Promise.all(started.map((node) => node.stop()));
    }
    expect(existsSync(join(dataDir, 'mnesia'))).toBe(true);
  });
});
