import { join } from 'node:path';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PubSub } from '@google-cloud/pubsub';
import type { Logger } from '../logger.js';
import { startPubSubEmulator, startRabbitMq, startSqsServer } from './brokers/index.js';
import { freeLoopbackPort } from './ports.js';

const read = (env: NodeJS.ProcessEnv, key: string) => env[`OPERATION_EVENTS_${key}`] ?? env[`OPERATOR_EVENTS_${key}`];
const LOCAL_QUEUE = 'herald-operator-events';

/**
 * `herald start` on a laptop: an operator-event sink whose address is the word `local`
 * (`OPERATION_EVENTS_RABBITMQ_SERVER_URL=local`, `OPERATION_EVENTS_AWS_SQS_QUEUE_URL=local`, or
 * `PUBSUB_EMULATOR_HOST=local` with a Pub/Sub sink) gets a real broker on loopback, with its queue
 * or topic created, and `env` is rewritten to point at it before the config is read.
 */
export async function startLocalSinkBrokers(env: NodeJS.ProcessEnv, options: { dataDir: string; logger: Logger }) {
  const stops: (() => Promise<void>)[] = [];
  const started: string[] = [];
  const dir = (name: string) => join(options.dataDir, 'brokers', name);
  if (read(env, 'RABBITMQ_SERVER_URL') === 'local') {
    const rabbit = await startRabbitMq({ dataDir: dir('rabbitmq'), port: await freeLoopbackPort(), logger: options.logger });
    stops.push(() => rabbit.stop());
    env.OPERATION_EVENTS_RABBITMQ_SERVER_URL = rabbit.url;
    delete env.OPERATOR_EVENTS_RABBITMQ_SERVER_URL;
    started.push(`RabbitMQ ${rabbit.url.replace(/\/\/[^@]*@/, '//')}`);
  }
  if (read(env, 'AWS_SQS_QUEUE_URL') === 'local') {
    const sqs = await startSqsServer({ dataDir: dir('sqs'), port: await freeLoopbackPort(), logger: options.logger });
    stops.push(() => sqs.stop());
    const client = new SQSClient({ endpoint: sqs.endpoint, region: sqs.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: LOCAL_QUEUE }));
    client.destroy();
    Object.assign(env, {
      OPERATION_EVENTS_AWS_SQS_QUEUE_URL: QueueUrl, OPERATION_EVENTS_AWS_SQS_ENDPOINT: sqs.endpoint,
      OPERATION_EVENTS_AWS_SQS_REGION: sqs.region, OPERATION_EVENTS_AWS_SQS_ACCESS_KEY_ID: 'local',
      OPERATION_EVENTS_AWS_SQS_SECRET_ACCESS_KEY: 'local',
    });
    delete env.OPERATOR_EVENTS_AWS_SQS_QUEUE_URL;
    started.push(`SQS ${QueueUrl ?? ''}`);
  }
  const projectId = read(env, 'GCP_PUBSUB_PROJECT_ID');
  const topicId = read(env, 'GCP_PUBSUB_TOPIC_ID');
  if (env.PUBSUB_EMULATOR_HOST === 'local' && projectId && topicId) {
    const emulator = await startPubSubEmulator({ dataDir: dir('pubsub'), port: await freeLoopbackPort(), logger: options.logger, env: {} });
    stops.push(() => emulator.stop());
    env.PUBSUB_EMULATOR_HOST = emulator.host;
    const pubsub = new PubSub({ projectId, apiEndpoint: emulator.host, emulatorMode: true });
    const [exists] = await pubsub.topic(topicId).exists();
    if (!exists) await pubsub.createTopic(topicId);
    await pubsub.close();
    started.push(`Pub/Sub emulator ${emulator.host} (topic ${topicId})`);
  }
  return {
    started,
    async stop(): Promise<void> {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}
