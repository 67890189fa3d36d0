/** AWS SQS sink: one `SendMessage` per event, body = JSON envelope, message attribute `topic`. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createDeadline } from '../../transports/deadline.js';
import type { OperatorEvent, OperatorEventSink, SinkConfig, SinkError } from '../types.js';
import {
  closeOnce, DEFAULT_SEND_TIMEOUT_MS, encodeEnvelope, networkErrorCode, reportFailure, sinkError,
  type SinkDeps,
} from './sink-support.js';

type SqsSinkConfig = Extract<SinkConfig, { kind: 'aws_sqs' }>;

const QUEUE_NOT_FOUND = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);
const AUTH_FAILED = new Set([
  'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'AccessDenied',
  'AccessDeniedException', 'InvalidSecurity', 'MissingAuthenticationToken', 'ExpiredToken', 'CredentialsProviderError',
  'KmsAccessDenied',
]);
const THROTTLED = new Set(['ThrottlingException', 'RequestThrottled', 'Throttling', 'KmsThrottled']);

interface AwsErrorShape {
  readonly name?: string;
  readonly Code?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** SDK and network failures → stable codes; bad queue, credentials or request are not retryable. */
export function classifySqsError(error: unknown): SinkError {
  const network = networkErrorCode(error);
  if (network) return sinkError('aws_sqs', network, true);
  const aws = (typeof error === 'object' && error !== null ? error : {}) as AwsErrorShape;
  const name = aws.Code ?? aws.name ?? '';
  const status = aws.$metadata?.httpStatusCode;
  if (QUEUE_NOT_FOUND.has(name)) return sinkError('aws_sqs', 'queue_not_found', false, 'the queue does not exist');
  if (AUTH_FAILED.has(name) || status === 401 || status === 403) return sinkError('aws_sqs', 'auth_failed', false);
  if (THROTTLED.has(name) || status === 429) return sinkError('aws_sqs', 'throttled', true, 'SQS throttled the request');
  if (aws.$fault === 'client' && status !== undefined && status >= 400 && status < 500) {
    return sinkError('aws_sqs', 'invalid_request', false, 'SQS rejected the message');
  }
  if (aws.$fault === 'server' || (status !== undefined && status >= 500)) {
    return sinkError('aws_sqs', 'server_error', true, 'SQS failed to accept the message');
  }
  return sinkError('aws_sqs', 'sqs_error', true, 'sending to SQS failed');
}

export function createSqsSink(config: SqsSinkConfig, deps: SinkDeps): OperatorEventSink {
  const client = new SQSClient({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.accessKeyId && config.secretAccessKey
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
      : {}),
    // The operator-events workflow owns retries; one attempt per send keeps its timing honest.
    maxAttempts: 1,
  });
  const lifecycle = closeOnce(async () => client.destroy());

  async function send(event: OperatorEvent, signal?: AbortSignal): Promise<void> {
    if (lifecycle.closed) throw sinkError('aws_sqs', 'sink_closed', true);
    const deadline = createDeadline(DEFAULT_SEND_TIMEOUT_MS, signal);
    const command = new SendMessageCommand({
      QueueUrl: config.queueUrl,
      MessageBody: encodeEnvelope(event).toString('utf8'),
      MessageAttributes: { topic: { DataType: 'String', StringValue: event.topic } },
    });
    try {
      await client.send(command, { abortSignal: deadline.signal });
    } catch (error) {
      const abortCode = deadline.reason();
      const failure = abortCode ? sinkError('aws_sqs', abortCode, true) : classifySqsError(error);
      throw reportFailure(deps, failure, error, { sink: 'aws_sqs', eventId: event.id });
    } finally {
      deadline.dispose();
    }
  }

  return { kind: 'aws_sqs', send, close: lifecycle.close };
}
