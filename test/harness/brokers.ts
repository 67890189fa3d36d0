import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startLocalBrokers } from '../../src/runtime/brokers/index.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** RabbitMQ's node data (reused across runs; delete it to start from scratch) and the brokers' logs. */
export const TEST_BROKERS_DIR = join(REPO_ROOT, '.herald', 'test', 'brokers');

export interface TestKafka {
  /** host:port list without authentication. */
  readonly brokers: string;
  /** host:port list of the listener that takes SASL PLAIN and SCRAM-SHA-256/512 for `username`/`password`. */
  readonly saslBrokers: string;
  readonly username: string;
  readonly password: string;
}

export interface TestBrokers {
  /** AMQP URL (guest over loopback). */
  readonly rabbitmqUrl: string;
  /** SQS-compatible endpoint; any access key and secret are accepted. */
  readonly sqsEndpoint: string;
  readonly sqsRegion: string;
  /** host:port of the Pub/Sub emulator (plaintext gRPC). */
  readonly pubsubEmulatorHost: string;
  /** Kafka: the unauthenticated listener (admin, consumers) and the SASL one with its user. */
  readonly kafka: TestKafka;
  /** Seconds each broker took to be ready in this run. */
  readonly seconds: { readonly rabbitmq: number; readonly sqs: number; readonly pubsub: number; readonly kafka: number };
  stop(): Promise<void>;
}

/**
 * RabbitMQ, an SQS server, the Pub/Sub emulator and Kafka for the integration suite, in parallel on
 * free loopback ports. RABBITMQ_URL, HERALD_SQS_ENDPOINT, PUBSUB_EMULATOR_HOST and KAFKA_BROKERS
 * point at existing ones.
 * The first run on a machine installs what is missing (apt, pip, go build, mvn); later runs reuse it.
 */
export async function startTestBrokers(): Promise<TestBrokers> {
  const logger = pino({ level: process.env.HERALD_TEST_LOG_LEVEL ?? 'info' });
  const [rabbitmq, sqs, pubsub, kafka] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
  const brokers = await startLocalBrokers({ dataDir: TEST_BROKERS_DIR, ports: { rabbitmq, sqs, pubsub, kafka }, logger });
  return {
    rabbitmqUrl: brokers.rabbitmq.url,
    sqsEndpoint: brokers.sqs.endpoint,
    sqsRegion: brokers.sqs.region,
    pubsubEmulatorHost: brokers.pubsub.host,
    kafka: { brokers: brokers.kafka.brokers, saslBrokers: brokers.kafka.saslBrokers, ...brokers.kafka.sasl },
    seconds: brokers.seconds,
    stop: () => brokers.stop(),
  };
}
