import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freeLoopbackPort } from '../../runtime/ports.js';
import { startSqsServer } from '../../runtime/brokers/sqs-server.js';
import { SinkError, type OperatorEventSink } from '../types.js';
import { createSink } from './create-sink.js';
import { makeOperatorEvent, recordingLogger } from './sink-test-fixtures.js';

const credentials = { accessKeyId: 'herald-test', secretAccessKey: 'herald-test' };

async function failureOf(promise: Promise<unknown>): Promise<SinkError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SinkError);
  return error as SinkError;
}

describe('SQS operator-event sink (against the run\'s SQS server)', () => {
  const endpoint = inject('sqsEndpoint');
  const region = inject('sqsRegion');
  const sqs = new SQSClient({ endpoint, region, credentials });
  let queueUrl: string;

  beforeAll(async () => {
    const created = await sqs.send(new CreateQueueCommand({ QueueName: `herald-opevents-${randomUUID()}` }));
    queueUrl = created.QueueUrl!;
  });
  afterAll(async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    sqs.destroy();
  });

  function sinkFor(config: { queueUrl: string; endpoint: string }): OperatorEventSink {
    return createSink({ kind: 'aws_sqs', region, ...credentials, ...config }, { logger: recordingLogger() });
  }

  it('when an event is sent, then one message carries the envelope as its body and the topic as an attribute', async () => {
    const sink = sinkFor({ queueUrl, endpoint });
    const event = makeOperatorEvent('attempt.failed');

    await sink.send(event);
    await sink.close();

    const received = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2, MessageAttributeNames: ['All'],
    }));
    expect(received.Messages).toHaveLength(1);
    const [message] = received.Messages!;
    expect(JSON.parse(message!.Body!)).toEqual(event);
    expect(message!.MessageAttributes?.topic).toMatchObject({ DataType: 'String', StringValue: 'attempt.failed' });
  });

  it('when the queue does not exist, then send fails with queue_not_found, not retryable', async () => {
    const sink = sinkFor({ queueUrl: `${endpoint}/123456789012/herald-missing-${randomUUID()}`, endpoint });

    const failure = await failureOf(sink.send(makeOperatorEvent()));
    await sink.close();

    expect(failure).toMatchObject({ code: 'queue_not_found', retryable: false });
  });

  it('when the server is down, then send fails with connection_refused, and succeeds once a server listens there', async () => {
    const port = await freeLoopbackPort();
    const downEndpoint = `http://127.0.0.1:${port}`;
    const sink = sinkFor({ queueUrl: `${downEndpoint}/123456789012/herald-recovering`, endpoint: downEndpoint });
    const event = makeOperatorEvent();

    const failure = await failureOf(sink.send(event));
    expect(failure).toMatchObject({ code: 'connection_refused', retryable: true });

    const server = await startSqsServer({ port, logger: pino({ level: 'silent' }), env: {} });
    try {
      const local = new SQSClient({ endpoint: downEndpoint, region, credentials });
      const { QueueUrl } = await local.send(new CreateQueueCommand({ QueueName: 'herald-recovering' }));
      await sink.send(event);
      const received = await local.send(new ReceiveMessageCommand({ QueueUrl: QueueUrl!, WaitTimeSeconds: 2 }));
      expect(JSON.parse(received.Messages![0]!.Body!)).toEqual(event);
      local.destroy();
    } finally {
      await sink.close();
      await server.stop();
    }
  });
});
