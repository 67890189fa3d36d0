/**
 * SQS over the AWS SDK: one `SendMessage` per message, clients cached per target (queue URL,
 * region, endpoint, credentials) so attempts to one queue reuse one connection pool.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientKey, createClientCache } from '../client-cache.js';
import type { TransportError } from '../errors.js';
import { AWS_CLIENT_CACHE, awsClientConfig, type AwsClientTarget } from '../aws/aws-client.js';
import { classifyAwsError } from '../aws/aws-errors.js';

export interface SqsTarget extends AwsClientTarget {
  readonly queueUrl: string;
}

export interface SqsMessage {
  readonly body: string;
  /** String message attributes. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface SqsTransport {
  /**
   * Resolves once SQS accepted the message.
   * @throws TransportError (see {@link classifySqsError}), also when `signal` aborted the send.
   */
  send(target: SqsTarget, message: SqsMessage, signal: AbortSignal): Promise<void>;
  /** Closes the client cached for `target`. */
  release(target: SqsTarget): Promise<void>;
  close(): Promise<void>;
}

const QUEUE_NOT_FOUND = {
  names: new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']),
  code: 'queue_not_found',
  message: 'The SQS queue does not exist.',
};

/** SQS failures → TransportError; a missing queue is `queue_not_found`, not retryable. */
export function classifySqsError(error: unknown): TransportError {
  return classifyAwsError(error, QUEUE_NOT_FOUND);
}

/**
 * The region of an AWS queue URL (`https://sqs.<region>.amazonaws.com/…`); undefined for other
 * hosts (a local server), where any region works.
 */
export function regionOfQueueUrl(queueUrl: string): string | undefined {
  const host = URL.canParse(queueUrl) ? new URL(queueUrl).hostname : '';
  const match = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host);
  return match?.[1];
}

export function createSqsTransport(): SqsTransport {
  const clients = createClientCache<SQSClient>({ ...AWS_CLIENT_CACHE, close: async (client) => client.destroy() });
  const keyOf = (target: SqsTarget) => clientKey(target);
  const clientFor = (target: SqsTarget) => clients.get(keyOf(target), () => new SQSClient(awsClientConfig(target)));

  return {
    async send(target, message, signal) {
      const command = new SendMessageCommand({
        QueueUrl: target.queueUrl,
        MessageBody: message.body,
        MessageAttributes: Object.fromEntries(
          Object.entries(message.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
        ),
      });
      try {
        await clientFor(target).send(command, { abortSignal: signal });
      } catch (error) {
        throw classifySqsError(error);
      }
    },
    release: (target) => clients.evict(keyOf(target)),
    close: () => clients.close(),
  };
}
