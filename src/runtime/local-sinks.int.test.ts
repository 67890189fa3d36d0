import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createSink } from '../operator-events/sinks/create-sink.js';
import { startLocalSinkBrokers } from './local-sinks.js';

describe('local brokers for operator-event sinks (herald start)', () => {
  it('when the SQS queue URL is `local`, then a local SQS server and queue back the sink', async () => {
    const env: NodeJS.ProcessEnv = { AES_ENCRYPTION_SECRET: 'x', OPERATION_EVENTS_TOPICS: '*', OPERATION_EVENTS_AWS_SQS_QUEUE_URL: 'local' };
    const brokers = await startLocalSinkBrokers(env, { dataDir: await mkdtemp(join(tmpdir(), 'herald-local-')), logger: pino({ level: 'silent' }) });
    try {
      expect(env.OPERATION_EVENTS_AWS_SQS_QUEUE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*herald-operator-events$/);
      const config = loadConfig(env);
      const sink = createSink(config.operatorEvents.sink!, { logger: pino({ level: 'silent' }) });
      await sink.send({ id: 'e1', topic: 'alert.destination.disabled', time: new Date().toISOString(), tenant_id: 't', data: {} });
      await sink.close();
    } finally {
      await brokers.stop();
    }
  });

  it('when PUBSUB_EMULATOR_HOST is `local`, then an emulator with the topic backs the sink', async () => {
    const env: NodeJS.ProcessEnv = {
      AES_ENCRYPTION_SECRET: 'x', OPERATION_EVENTS_TOPICS: '*', PUBSUB_EMULATOR_HOST: 'local',
      OPERATION_EVENTS_GCP_PUBSUB_PROJECT_ID: 'herald-local', OPERATION_EVENTS_GCP_PUBSUB_TOPIC_ID: 'ops',
    };
    const brokers = await startLocalSinkBrokers(env, { dataDir: await mkdtemp(join(tmpdir(), 'herald-local-')), logger: pino({ level: 'silent' }) });
    try {
      expect(env.PUBSUB_EMULATOR_HOST).toMatch(/^127\.0\.0\.1:\d+$/);
      const config = loadConfig(env);
      const sink = createSink({ ...(config.operatorEvents.sink as { kind: 'gcp_pubsub'; projectId: string; topicId: string }), emulatorHost: env.PUBSUB_EMULATOR_HOST }, { logger: pino({ level: 'silent' }) });
      await sink.send({ id: 'e2', topic: 'attempt.success', time: new Date().toISOString(), tenant_id: 't', data: {} });
      await sink.close();
    } finally {
      await brokers.stop();
    }
  });
});
