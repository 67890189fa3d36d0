import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Destination, StringMap } from '../../domain/types.js';
import { makeDestination, makeEvent, makeProvider } from '../testing/fixtures.js';
import { describePublisherContract, type ContractConsumer, type ReceivedMessage } from '../testing/publisher-contract.js';
import { closedLoopbackAddress, publishOnce, useStallingServer } from '../testing/single-attempt.js';
import { createSqsProvider, sqsConsoleUrl } from './sqs-provider.js';

const credentials = { key: 'herald-test', secret: 'herald-test' };
const endpoint = inject('awsEndpoint');
const sqs = new SQSClient({ endpoint, region: inject('awsRegion'), credentials: { accessKeyId: 'herald-test', secretAccessKey: 'herald-test' } });

const stalling = useStallingServer();
afterAll(() => sqs.destroy());

const sqsDestination = (queueUrl: string, deliveryMetadata: StringMap = {}): Destination =>
  makeDestination({ type: 'aws_sqs', config: { queue_url: queueUrl, endpoint }, credentials, deliveryMetadata });

/** A fresh queue per test, read back with ReceiveMessage; the `metadata` attribute parsed as JSON. */
async function queueConsumer(): Promise<ContractConsumer> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `herald-dest-${randomUUID()}` }));
  const queueUrl = QueueUrl!;
  const received: ReceivedMessage[] = [];
  return {
    destination: (init) => sqsDestination(queueUrl, init?.deliveryMetadata),
    stallingDestination: () => makeDestination({ type: 'aws_sqs', config: { queue_url: `${stalling.url}/000000000000/stalled` }, credentials }),
    async waitForMessages(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${received.length}`);
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({
          QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'],
        }));
        for (const message of Messages) {
          received.push({ body: JSON.parse(message.Body!), metadata: JSON.parse(message.MessageAttributes?.['metadata']?.StringValue ?? '{}') });
        }
        if (Messages.length > 0) {
          await sqs.send(new DeleteMessageBatchCommand({
            QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }));
        }
      }
      return [...received];
    },
    close: async () => void (await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }))),
  };
}

describePublisherContract('aws_sqs (against the run\'s moto server)', () => makeProvider(createSqsProvider), queueConsumer);

describe('aws_sqs specifics', () => {
  it('when the event is delivered, then the message carries exactly one attribute, metadata, as a JSON string', async () => {
    const consumer = await queueConsumer();
    const provider = makeProvider(createSqsProvider);
    const destination = consumer.destination();
    await provider.publish({ event: makeEvent(), destination, signal: AbortSignal.timeout(5_000) });
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: destination.config['queue_url'], WaitTimeSeconds: 2, MessageAttributeNames: ['All'],
    }));
    await provider.close();
    await consumer.close();

    expect(Object.keys(Messages[0]?.MessageAttributes ?? {})).toEqual(['metadata']);
    expect(Messages[0]?.MessageAttributes?.['metadata']).toMatchObject({ DataType: 'String' });
  });

  it('when the queue does not exist, then the attempt fails as queue_not_found', async () => {
    const result = await publishOnce(makeProvider(createSqsProvider), sqsDestination(`${endpoint}/123456789012/herald-missing-${randomUUID()}`));

    expect(result).toMatchObject({ ok: false, code: 'queue_not_found', responseData: { error: 'The SQS queue does not exist.' } });
  });

  it('when nothing listens at the queue URL, then the attempt fails as connection_refused', async () => {
    const destination = makeDestination({ type: 'aws_sqs', config: { queue_url: `http://${await closedLoopbackAddress()}/123456789012/q` }, credentials });
    const result = await publishOnce(makeProvider(createSqsProvider), destination);

    expect(result).toMatchObject({ ok: false, code: 'connection_refused' });
  });

  it('when the destination is shown, then the credentials are masked and an AWS queue links to its console page', () => {
    const provider = makeProvider(createSqsProvider);
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';
    const shown = provider.present(makeDestination({ type: 'aws_sqs', config: { queue_url: queueUrl }, credentials: { key: 'AKIAEXAMPLEKEY', secret: 'very-secret' } }), new Date());

    expect(shown.credentials['secret']).not.toContain('very-secret');
    expect(shown.credentials['key']).not.toBe('AKIAEXAMPLEKEY');
    expect(shown).toMatchObject({ target: queueUrl, targetUrl: sqsConsoleUrl(queueUrl) });
    expect(sqsConsoleUrl('http://127.0.0.1:4566/000000000000/q')).toBeUndefined();
  });
});
