import { PubSub, type Message } from '@google-cloud/pubsub';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { createDestination, expectOneOkAttempt, publishDelivered } from './destination-fixtures.js';
import { createTenant, eventually } from './fixtures.js';

const PROJECT = 'herald-e2e';
const SERVICE_ACCOUNT_JSON = JSON.stringify({ type: 'service_account', project_id: PROJECT, private_key: 'not-a-real-key', client_email: 'e2e@herald-e2e.iam.gserviceaccount.com' });

let herald: TestHerald;
let admin: PubSub;

beforeAll(async () => {
  herald = await startTestHerald();
  admin = new PubSub({ projectId: PROJECT, apiEndpoint: inject('pubsubEmulatorHost'), emulatorMode: true, universeDomain: 'googleapis.com' });
});
afterAll(async () => {
  await admin?.close();
  await herald?.close();
});

describe('gcp_pubsub destination through the public API', () => {
  it('when an event is published, then the subscription receives data and attributes, the attempt is OK and the key is masked', async () => {
    const topicId = `herald-e2e-${randomUUID()}`;
    const [topic] = await admin.createTopic(topicId);
    const [subscription] = await topic.createSubscription(`${topicId}-sub`);
    const messages: Message[] = [];
    subscription.on('message', (message: Message) => {
      message.ack();
      messages.push(message);
    });
    const tenantId = await createTenant(herald);

    const { created, fetched } = await createDestination(herald, tenantId, {
      type: 'gcp_pubsub',
      topics: '*',
      config: { project_id: PROJECT, topic: topicId, endpoint: inject('pubsubEmulatorHost') },
      credentials: { service_account_json: SERVICE_ACCOUNT_JSON },
    });
    expect(created.credentials.service_account_json).not.toBe(SERVICE_ACCOUNT_JSON);
    expect(created.credentials.service_account_json).not.toContain('not-a-real-key');
    expect(created.target).toBe(`${PROJECT}/${topicId}`);
    expect(fetched.credentials.service_account_json).not.toContain('not-a-real-key');

    const published = await publishDelivered(herald, tenantId, created.id, { data: { order: 8 }, metadata: { region: 'us' } });

    const [message] = await eventually(async () => messages, (arrived) => arrived.length >= 1);
    expect(JSON.parse(message!.data.toString('utf8'))).toEqual({ order: 8 });
    expect(message!.attributes).toMatchObject({ 'event-id': published.id, topic: 'order.created', region: 'us' });
    await expectOneOkAttempt(herald, published.id);
    await subscription.close();
    await topic.delete();
  });

  it('when no service account JSON is given for Google Cloud, then creation fails with a field-level 422', async () => {
    const tenantId = await createTenant(herald);

    const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, {
      type: 'gcp_pubsub', topics: '*', config: { project_id: PROJECT, topic: 't' }, credentials: {},
    });

    expect(created.status).toBe(422);
    expect(JSON.stringify(created.body)).toContain('credentials.service_account_json is required');
  });
});
