import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startLocalBrokers } from '../../src/runtime/brokers/index.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** RabbitMQ's node data (reused across runs; delete it to start from scratch) and the brokers' logs. */
export const TEST_BROKERS_DIR = join(REPO_ROOT, '.herald', 'test', 'brokers');

export interface TestBrokers {
  /** AMQP URL (guest over loopback). */
  readonly rabbitmqUrl: string;
  /** SQS-compatible endpoint; any access key and secret are accepted. */
  readonly sqsEndpoint: string;
  readonly sqsRegion: string;
  /** host:port of the Pub/Sub emulator (plaintext gRPC). */
  readonly pubsubEmulatorHost: string;
  /** Seconds each broker took to be ready in this run. */
  readonly seconds: { readonly rabbitmq: number; readonly sqs: number; readonly pubsub: number };
  stop(): Promise<void>;
}

/**
 * RabbitMQ, an SQS server and the Pub/Sub emulator for the integration suite, in parallel on free
 * loopback ports. RABBITMQ_URL, HERALD_SQS_ENDPOINT and PUBSUB_EMULATOR_HOST point at existing ones.
 * The first run on a machine installs what is missing (apt, pip, go build); later runs reuse it.
 */
export async function startTestBrokers(): Promise<TestBrokers> {
  const logger = pino({ level: process.env.HERALD_TEST_LOG_LEVEL ?? 'info' });
  const [rabbitmq, sqs, pubsub] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
  const brokers = await startLocalBrokers({ dataDir: TEST_BROKERS_DIR, ports: { rabbitmq, sqs, pubsub }, logger });
  return {
    rabbitmqUrl: brokers.rabbitmq.url,
    sqsEndpoint: brokers.sqs.endpoint,
    sqsRegion: brokers.sqs.region,
    pubsubEmulatorHost: brokers.pubsub.host,
    seconds: brokers.seconds,
    stop: () => brokers.stop(),
  };
}
