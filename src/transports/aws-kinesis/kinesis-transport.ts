/**
 * Kinesis Data Streams over the AWS SDK: one `PutRecord` per record, clients cached per target
 * (region, endpoint, credentials; the stream is per record, so streams of one account share a client).
 */
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { clientKey, createClientCache } from '../client-cache.js';
import type { TransportError } from '../errors.js';
import { AWS_CLIENT_CACHE, awsClientConfig, type AwsClientTarget } from '../aws/aws-client.js';
import { classifyAwsError } from '../aws/aws-errors.js';

export interface KinesisRecord {
  readonly streamName: string;
  readonly partitionKey: string;
  readonly data: Buffer;
}

/** Where the record landed. */
export interface KinesisReceipt {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

export interface KinesisTransport {
  /**
   * Resolves once Kinesis stored the record.
   * @throws TransportError (see {@link classifyKinesisError}), also when `signal` aborted the send.
   */
  send(target: AwsClientTarget, record: KinesisRecord, signal: AbortSignal): Promise<KinesisReceipt>;
  release(target: AwsClientTarget): Promise<void>;
  close(): Promise<void>;
}

const STREAM_NOT_FOUND = {
  names: new Set(['ResourceNotFoundException']),
  code: 'stream_not_found',
  message: 'The Kinesis stream does not exist.',
};

/** Kinesis failures → TransportError; a missing stream is `stream_not_found`, not retryable. */
export function classifyKinesisError(error: unknown): TransportError {
  return classifyAwsError(error, STREAM_NOT_FOUND);
}

export function createKinesisTransport(): KinesisTransport {
  const clients = createClientCache<KinesisClient>({ ...AWS_CLIENT_CACHE, close: async (client) => client.destroy() });
  const keyOf = (target: AwsClientTarget) => clientKey(target);

  return {
    async send(target, record, signal) {
      const client = clients.get(keyOf(target), () => new KinesisClient(awsClientConfig(target)));
      const command = new PutRecordCommand({ StreamName: record.streamName, PartitionKey: record.partitionKey, Data: record.data });
      try {
        const output = await client.send(command, { abortSignal: signal });
        return { shardId: output.ShardId ?? '', sequenceNumber: output.SequenceNumber ?? '' };
      } catch (error) {
        throw classifyKinesisError(error);
      }
    },
    release: (target) => clients.evict(keyOf(target)),
    close: () => clients.close(),
  };
}
