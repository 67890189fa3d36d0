import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { ensureTemporalServer } from '../../src/runtime/temporal-server.js';
import { startTestBrokers, type TestKafka } from './brokers.js';
import { startTestPostgres } from './postgres.js';
import { startTestTemporal } from './temporal.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's Postgres; pass it to `createTestDatabase`. */
    databaseAdminUrl: string;
    /** host:port of the run's Temporal dev server (namespace `herald`). */
    temporalAddress: string;
    /** AMQP URL of the run's RabbitMQ (guest over loopback). */
    rabbitmqUrl: string;
    /** Endpoint of the run's SQS-compatible server; any credentials work. */
    sqsEndpoint: string;
    sqsRegion: string;
    /**
     * The same server as `sqsEndpoint` under the name the AWS destinations use: moto serves SQS,
     * Kinesis and S3 on one endpoint (path-style S3 addressing); any credentials work.
     */
    awsEndpoint: string;
    awsRegion: string;
    /** host:port of the run's Pub/Sub emulator; give it to clients as PUBSUB_EMULATOR_HOST or apiEndpoint. */
    pubsubEmulatorHost: string;
    /** The run's Kafka node: a listener without authentication and a SASL one with its user. */
    kafkaBrokers: TestKafka;
  }
}

async function timed<T>(start: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = Date.now();
  const value = await start();
  return { value, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/** Integration-suite global setup: the real services, started once per run, in parallel. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  // The real multi-shard Temporal server is built beside them (once per machine, minutes), so its
  // end-to-end test runs everywhere instead of being skipped where the cache is empty.
  const serverBuild = Promise.allSettled([timed(() => ensureTemporalServer(pino({ level: 'info' })))]);
  const results = await Promise.allSettled([
    timed(startTestPostgres),
    timed(startTestTemporal),
    timed(startTestBrokers),
  ] as const);
  const stops = results.flatMap((r) => (r.status === 'fulfilled' ? [() => r.value.value.stop()] : []));
  const stopAll = async () => {
    await Promise.all(stops.map((stop) => stop().catch((error: unknown) => console.error('stopping a test service failed', error))));
  };
  const [postgres, temporal, brokers] = results;
  const [server] = await serverBuild;
  if (postgres.status === 'rejected' || temporal.status === 'rejected' || brokers.status === 'rejected' || server.status === 'rejected') {
    await stopAll();
    const failures = [...results, server].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    throw failures.length === 1 ? failures[0] : new AggregateError(failures, 'integration services did not start');
  }
  pino({ level: process.env.HERALD_TEST_LOG_LEVEL ?? 'info' }).info(
    {
      seconds: {
        total: Math.round((Date.now() - started) / 100) / 10,
        postgres: postgres.value.seconds,
        temporal: temporal.value.seconds,
        temporal_server_binaries: server.value.seconds,
        ...Object.fromEntries(Object.entries(brokers.value.value.seconds).map(([name, s]) => [name, s])),
      },
    },
    'integration services ready',
  );
  project.provide('databaseAdminUrl', postgres.value.value.adminUrl);
  project.provide('temporalAddress', temporal.value.value.address);
  project.provide('rabbitmqUrl', brokers.value.value.rabbitmqUrl);
  project.provide('sqsEndpoint', brokers.value.value.sqsEndpoint);
  project.provide('sqsRegion', brokers.value.value.sqsRegion);
  project.provide('awsEndpoint', brokers.value.value.sqsEndpoint);
  project.provide('awsRegion', brokers.value.value.sqsRegion);
  project.provide('pubsubEmulatorHost', brokers.value.value.pubsubEmulatorHost);
  project.provide('kafkaBrokers', brokers.value.value.kafka);
  return stopAll;
}
