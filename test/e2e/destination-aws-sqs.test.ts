import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { createDestination, expectCredentialsMasked, expectOneOkAttempt, publishDelivered } from './destination-fixtures.js';
import { createTenant, eventually } from './fixtures.js';

const credentials = { key: 'AKIAHERALDE2ETEST', secret: 'herald-e2e-secret-key' };
let herald: TestHerald;
const sqs = new SQSClient({
  endpoint: inject('awsEndpoint'), region: inject('awsRegion'),
  credentials: { accessKeyId: credentials.key, secretAccessKey: credentials.secret },
});

beforeAll(async () => {
  herald = await startTestHerald();
});
afterAll(async () => {
  await herald?.close();
  sqs.destroy();
});

describe('aws_sqs destination through the public API', () => {
  it('when an event is published, then the queue receives its data with the metadata attribute, the attempt is OK and the credentials are masked', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `herald-e2e-${randomUUID()}` }));
    const queueUrl = QueueUrl!;
    const tenantId = await createTenant(herald);

    const { created, fetched } = await createDestination(herald, tenantId, {
      type: 'aws_sqs', topics: ['order.created'], config: { queue_url: queueUrl, endpoint: inject('awsEndpoint') }, credentials,
    });
    expect(created.target).toBe(queueUrl);
    expectCredentialsMasked([created, fetched], credentials);

    const published = await publishDelivered(herald, tenantId, created.id, { data: { order: 7 }, metadata: { region: 'eu' } });

    const received: Message[] = [];
    await eventually(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      received.push(...Messages);
      return received.length;
    }, (count) => count >= 1);
    expect(JSON.parse(received[0]!.Body!)).toEqual({ order: 7 });
    expect(JSON.parse(received[0]!.MessageAttributes!['metadata']!.StringValue!))
      .toMatchObject({ 'event-id': published.id, topic: 'order.created', region: 'eu' });
    await expectOneOkAttempt(herald, published.id);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  });
});
