/**
 * AWS SQS sink: one `SendMessage` per event, body = JSON envelope, message attribute `topic`. The
 * wire (client, reuse, error classification) is the SQS transport's.
 */
import { TransportError } from '../../transports/errors.js';
import { createDeadline } from '../../transports/deadline.js';
import { createSqsTransport, type SqsTarget } from '../../transports/aws-sqs/sqs-transport.js';
import type { OperatorEvent, OperatorEventSink, SinkConfig } from '../types.js';
import { closeOnce, DEFAULT_SEND_TIMEOUT_MS, encodeEnvelope, reportFailure, sinkError, type SinkDeps } from './sink-support.js';

type SqsSinkConfig = Extract<SinkConfig, { kind: 'aws_sqs' }>;

export function createSqsSink(config: SqsSinkConfig, deps: SinkDeps): OperatorEventSink {
  const transport = createSqsTransport();
  const target: SqsTarget = {
    queueUrl: config.queueUrl,
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.accessKeyId && config.secretAccessKey ? { key: config.accessKeyId, secret: config.secretAccessKey } : undefined,
  };
  const lifecycle = closeOnce(() => transport.close());

  async function send(event: OperatorEvent, signal?: AbortSignal): Promise<void> {
    if (lifecycle.closed) throw sinkError('aws_sqs', 'sink_closed', true);
    const deadline = createDeadline(DEFAULT_SEND_TIMEOUT_MS, signal);
    const message = { body: encodeEnvelope(event).toString('utf8'), attributes: { topic: event.topic } };
    try {
      await transport.send(target, message, deadline.signal);
    } catch (error) {
      const stop = deadline.reason();
      const failure = stop ? sinkError('aws_sqs', stop, true)
        : error instanceof TransportError ? sinkError('aws_sqs', error.code, error.retryable, error.message)
        : sinkError('aws_sqs', 'aws_error', true);
      throw reportFailure(deps, failure, error instanceof TransportError ? (error.cause ?? error) : error, { sink: 'aws_sqs', eventId: event.id });
    } finally {
      deadline.dispose();
    }
  }

  return { kind: 'aws_sqs', send, close: lifecycle.close };
}
