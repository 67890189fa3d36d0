import { PubSub, type Message } from '@google-cloud/pubsub';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freeLoopbackPort } from '../../runtime/ports.js';
import { startPubSubEmulator } from '../../runtime/brokers/pubsub-emulator.js';
import { SinkError } from '../types.js';
import { createSink } from './create-sink.js';
import { makeOperatorEvent, recordingLogger } from './sink-test-fixtures.js';

const PROJECT = 'herald-test';

async function failureOf(promise: Promise<unknown>): Promise<SinkError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SinkError);
  return error as SinkError;
}

/** A topic with one subscription on the emulator at `host`, and a way to pull what arrives. */
async function topicWithSubscription(pubsub: PubSub) {
  const [topic] = await pubsub.createTopic(`herald-opevents-${randomUUID()}`);
  const [subscription] = await topic.createSubscription(`${topic.name.split('/').pop()}-sub`);
  return {
    topicId: topic.name.split('/').pop()!,
    /** Streaming-pulls until `count` messages arrived, acking them. */
    pull: async (count: number, timeoutMs = 10_000): Promise<Message[]> => {
      const messages: Message[] = [];
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${count} messages arrived`)), timeoutMs);
          subscription.on('error', reject);
          subscription.on('message', (message: Message) => {
            message.ack();
            messages.push(message);
            if (messages.length >= count) { clearTimeout(timer); resolve(); }
          });
        });
      } finally {
        await subscription.close();
      }
      return messages;
    },
  };
}

describe('GCP Pub/Sub operator-event sink (against the run\'s emulator)', () => {
  const host = inject('pubsubEmulatorHost');
  const admin = new PubSub({ projectId: PROJECT, apiEndpoint: host, emulatorMode: true, universeDomain: 'googleapis.com' });
  afterAll(() => admin.close());

  it('when an event is sent, then the subscription receives the envelope as data with the topic attribute', async () => {
    const { topicId, pull } = await topicWithSubscription(admin);
    const sink = createSink({ kind: 'gcp_pubsub', projectId: PROJECT, topicId, emulatorHost: host }, { logger: recordingLogger() });
    const events = [makeOperatorEvent('attempt.success'), makeOperatorEvent('alert.destination.disabled')];

    await Promise.all(events.map((event) => sink.send(event)));
    await Promise.all([sink.close(), sink.close()]);

    const messages = await pull(2);
    const byId = new Map(messages.map((m) => [(JSON.parse(m.data.toString('utf8')) as { id: string }).id, m]));
    for (const event of events) {
      const message = byId.get(event.id);
      expect(JSON.parse(message!.data.toString('utf8'))).toEqual(event);
      expect(message!.attributes).toEqual({ topic: event.topic });
    }
  });

  it('when the topic does not exist, then send fails with topic_not_found, not retryable', async () => {
    const sink = createSink(
      { kind: 'gcp_pubsub', projectId: PROJECT, topicId: `missing-${randomUUID()}`, emulatorHost: host },
      { logger: recordingLogger() },
    );

    const failure = await failureOf(sink.send(makeOperatorEvent()));
    await sink.close();

    expect(failure).toMatchObject({ code: 'topic_not_found', retryable: false });
  });

  it('when the emulator is down, then send fails fast and retryable, and succeeds once it is back', async () => {
    const port = await freeLoopbackPort();
    const emulatorHost = `127.0.0.1:${port}`;
    const sink = createSink({ kind: 'gcp_pubsub', projectId: PROJECT, topicId: 'recovering', emulatorHost }, { logger: recordingLogger() });
    const event = makeOperatorEvent();
    const started = Date.now();

    const failure = await failureOf(sink.send(event));
    expect(failure.retryable).toBe(true);
    expect(['connection_refused', 'unavailable', 'timeout']).toContain(failure.code);
    expect(Date.now() - started).toBeLessThan(15_000);

    const emulator = await startPubSubEmulator({ port, logger: pino({ level: 'silent' }), env: {} });
    const local = new PubSub({ projectId: PROJECT, apiEndpoint: emulatorHost, emulatorMode: true, universeDomain: 'googleapis.com' });
    try {
      const [topic] = await local.createTopic('recovering');
      const [subscription] = await topic.createSubscription('recovering-sub');
      await sink.send(event);
      const [message] = await new Promise<Message[]>((resolve) => subscription.once('message', (m: Message) => { m.ack(); resolve([m]); }));
      await subscription.close();
      expect(JSON.parse(message!.data.toString('utf8'))).toEqual(event);
    } finally {
      await sink.close();
      await local.close();
      await emulator.stop();
    }
  });

  it('when the credentials are not JSON, then createSink throws invalid_config', () => {
    expect(() => createSink({ kind: 'gcp_pubsub', projectId: PROJECT, topicId: 't', credentials: '{nope' }, { logger: recordingLogger() }))
      .toThrow(expect.objectContaining({ code: 'invalid_config', retryable: false }) as Error);
  });
});
