/** Real message brokers on loopback for tests and `npm start`: RabbitMQ, an SQS server, a Pub/Sub emulator, Kafka. */
import { join } from 'node:path';
import type { Logger } from '../../logger.js';
import { secondsSince } from './broker-process.js';
import { startKafka, type RunningKafka } from './kafka-server.js';
import { startPubSubEmulator, type RunningPubSubEmulator } from './pubsub-emulator.js';
import { startRabbitMq, type RunningRabbitMq } from './rabbitmq-server.js';
import { startSqsServer, type RunningSqsServer } from './sqs-server.js';

export { BrokerStartError } from './broker-process.js';
export { BrokerInstallError } from './install-step.js';
export { ensureKafka, findJava, KAFKA_VERSION } from './kafka-install.js';
export { startKafka } from './kafka-server.js';
export type { KafkaServerOptions, RunningKafka } from './kafka-server.js';
export { ensurePubSubEmulator, startPubSubEmulator } from './pubsub-emulator.js';
export type { PubSubEmulatorOptions, RunningPubSubEmulator } from './pubsub-emulator.js';
export { ensureRabbitMq, findRabbitMq } from './rabbitmq-install.js';
export { startRabbitMq } from './rabbitmq-server.js';
export type { RabbitMqOptions, RunningRabbitMq } from './rabbitmq-server.js';
export { ensureMoto, startSqsServer, SQS_LOCAL_REGION } from './sqs-server.js';
export type { RunningSqsServer, SqsServerOptions } from './sqs-server.js';

export interface LocalBrokersOptions {
  /** RabbitMQ's node lives in `<dataDir>/rabbitmq`, Kafka's in `<dataDir>/kafka`; the others log to `<dataDir>/sqs` and `<dataDir>/pubsub`. */
  readonly dataDir: string;
  readonly ports: { readonly rabbitmq: number; readonly sqs: number; readonly pubsub: number; readonly kafka: number };
  readonly logger: Logger;
  /** RABBITMQ_URL, HERALD_SQS_ENDPOINT, PUBSUB_EMULATOR_HOST and KAFKA_BROKERS name existing services instead. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface LocalBrokers {
  readonly rabbitmq: RunningRabbitMq;
  readonly sqs: RunningSqsServer;
  readonly pubsub: RunningPubSubEmulator;
  readonly kafka: RunningKafka;
  /** Seconds each took to be ready, installs included (0 for an existing service). */
  readonly seconds: { readonly rabbitmq: number; readonly sqs: number; readonly pubsub: number; readonly kafka: number };
  stop(): Promise<void>;
}

async function timed<T>(start: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = Date.now();
  const value = await start();
  return { value, seconds: secondsSince(started) };
}

/** Starts the brokers in parallel; if one fails, the others are stopped before rethrowing. */
export async function startLocalBrokers(options: LocalBrokersOptions): Promise<LocalBrokers> {
  const { dataDir, ports, logger, env } = options;
  const results = await Promise.allSettled([
    timed(() => startRabbitMq({ dataDir: join(dataDir, 'rabbitmq'), port: ports.rabbitmq, logger, ...(env ? { env } : {}) })),
    timed(() => startSqsServer({ dataDir: join(dataDir, 'sqs'), port: ports.sqs, logger, ...(env ? { env } : {}) })),
    timed(() => startPubSubEmulator({ dataDir: join(dataDir, 'pubsub'), port: ports.pubsub, logger, ...(env ? { env } : {}) })),
    timed(() => startKafka({ dataDir: join(dataDir, 'kafka'), port: ports.kafka, logger, ...(env ? { env } : {}) })),
  ]);
  const [rabbitmq, sqs, pubsub, kafka] = results;
  if (rabbitmq.status === 'fulfilled' && sqs.status === 'fulfilled' && pubsub.status === 'fulfilled' && kafka.status === 'fulfilled') {
    const brokers = [rabbitmq.value.value, sqs.value.value, pubsub.value.value, kafka.value.value];
    return {
      rabbitmq: rabbitmq.value.value,
      sqs: sqs.value.value,
      pubsub: pubsub.value.value,
      kafka: kafka.value.value,
      seconds: { rabbitmq: rabbitmq.value.seconds, sqs: sqs.value.seconds, pubsub: pubsub.value.seconds, kafka: kafka.value.seconds },
      stop: async () => {
        await Promise.all(brokers.map((b) => b.stop()));
      },
    };
  }
  await Promise.all(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.value.stop()] : [])));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  throw failures.length === 1 ? failures[0] : new AggregateError(failures, 'local brokers did not start');
}
