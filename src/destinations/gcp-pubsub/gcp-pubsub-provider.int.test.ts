import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startTcpProxy } from '../../../test/harness/tcp-proxy.js';
import type { Destination, StringMap } from '../../domain/types.js';
import { makeDestination, makeEvent, makeProvider } from '../testing/fixtures.js';
import { describePublisherContract, type ContractConsumer, type ReceivedMessage } from '../testing/publisher-contract.js';
import { closedLoopbackAddress, publishOnce, waitForCount } from '../testing/single-attempt.js';
import type { DestinationProvider } from '../types.js';
import { createGcpPubSubProvider } from './gcp-pubsub-provider.js';

const PROJECT = 'herald-test';
const provider = (): DestinationProvider => makeProvider(createGcpPubSubProvider);

function pubsubDestination(endpoint: string, topic: string, deliveryMetadata: StringMap = {}): Destination {
  return makeDestination({ type: 'gcp_pubsub', config: { project_id: PROJECT, topic, endpoint }, credentials: {}, deliveryMetadata });
}

/** A fresh topic with one subscription, streaming-pulling (and acking) what arrives. */
async function topicWithSubscription(admin: PubSub) {
  const topicId = `herald-dest-${randomUUID()}`;
  const [topic] = await admin.createTopic(topicId);
  const [subscription]: [Subscription, ...unknown[]] = await topic.createSubscription(`${topicId}-sub`);
  const messages: Message[] = [];
  subscription.on('message', (message: Message) => {
    message.ack();
    messages.push(message);
  });
  return {
    topicId,
    messages,
    waitFor: (count: number, timeoutMs = 10_000) => waitForCount(messages, count, timeoutMs),
    close: async () => {
      await subscription.close();
      await topic.delete().catch(() => undefined);
    },
  };
}

const received = (message: Message): ReceivedMessage => ({
  body: JSON.parse(message.data.toString('utf8')) as unknown,
  metadata: { ...message.attributes },
});

describe('gcp_pubsub destination (against the run\'s Pub/Sub emulator)', () => {
  const host = inject('pubsubEmulatorHost');
  const admin = new PubSub({ projectId: PROJECT, apiEndpoint: host, emulatorMode: true, universeDomain: 'googleapis.com' });
  afterAll(() => admin.close());

  async function consumer(): Promise<ContractConsumer> {
    const topic = await topicWithSubscription(admin);
    const stalling = await startTcpProxy(host);
    stalling.stall();
    return {
      destination: (init) => pubsubDestination(host, topic.topicId, init?.deliveryMetadata),
      stallingDestination: () => pubsubDestination(stalling.address, topic.topicId),
      waitForMessages: async (count, timeoutMs) => (await topic.waitFor(count, timeoutMs)).map(received),
      close: async () => {
        await stalling.close();
        await topic.close();
      },
    };
  }

  describePublisherContract('gcp_pubsub', provider, consumer);

  it('when an event is published, then data is the event data and the attributes are exactly the metadata map', async () => {
    const topic = await topicWithSubscription(admin);
    const pubsub = provider();
    const event = makeEvent({ topic: 'user.created', metadata: { 'trace-id': 'tr_9' } });

    const result = await pubsub.publish({ event, destination: pubsubDestination(host, topic.topicId, { region: 'eu' }), signal: AbortSignal.timeout(5_000) });
    await pubsub.close();

    expect(result).toEqual({ ok: true, code: 'OK', responseData: null });
    const [message] = await topic.waitFor(1);
    expect(JSON.parse(message!.data.toString('utf8'))).toEqual(event.data);
    expect(Object.keys(message!.attributes).sort()).toEqual(['event-id', 'region', 'timestamp', 'topic', 'trace-id']);
    expect(message!.attributes).toMatchObject({ 'event-id': event.id, topic: 'user.created', region: 'eu', 'trace-id': 'tr_9' });
    await topic.close();
  });

  it('when the topic does not exist, then the attempt fails with topic_not_found', async () => {
    const result = await publishOnce(provider(), pubsubDestination(host, `missing-${randomUUID()}`));

    expect(result).toMatchObject({ ok: false, code: 'topic_not_found', responseData: { error: expect.any(String) } });
  });

  it('when nothing listens on the endpoint, then the attempt fails with connection_refused', async () => {
    const result = await publishOnce(provider(), pubsubDestination(await closedLoopbackAddress(), 'anything'), { timeoutMs: 10_000 });

    expect(result).toMatchObject({ ok: false, code: 'connection_refused' });
  });
});
