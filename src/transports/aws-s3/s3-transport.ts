/**
 * S3 over the AWS SDK: one `PutObject` per object with a SHA-256 checksum S3 verifies, clients
 * cached per target (region, endpoint, credentials). A custom endpoint is addressed path-style
 * (`<endpoint>/<bucket>/<key>`), which AWS-compatible servers expect.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client, type StorageClass } from '@aws-sdk/client-s3';
import { clientKey, createClientCache } from '../client-cache.js';
import { TransportError } from '../errors.js';
import { AWS_CLIENT_CACHE, awsClientConfig, type AwsClientTarget } from '../aws/aws-client.js';
import { classifyAwsError } from '../aws/aws-errors.js';

export interface S3Object {
  readonly bucket: string;
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** User metadata (`x-amz-meta-*`); S3 stores the keys lower-cased. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly storageClass: string;
}

export interface S3Transport {
  /**
   * Resolves once S3 stored the object.
   * @throws TransportError (see {@link classifyS3Error}), also when `signal` aborted the send.
   */
  send(target: AwsClientTarget, object: S3Object, signal: AbortSignal): Promise<void>;
  release(target: AwsClientTarget): Promise<void>;
  close(): Promise<void>;
}

const BUCKET_NOT_FOUND = { names: new Set(['NoSuchBucket']), code: 'bucket_not_found', message: 'The S3 bucket does not exist.' };
/** S3 answers these when the bucket lives in another region than the client signs for. */
const WRONG_REGION: ReadonlySet<string> = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);

/** S3 failures → TransportError; a missing bucket or a bucket in another region is not retryable. */
export function classifyS3Error(error: unknown): TransportError {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (typeof name === 'string' && WRONG_REGION.has(name)) {
    return new TransportError('wrong_region', false, 'The S3 bucket is not in the configured region.', { cause: error });
  }
  return classifyAwsError(error, BUCKET_NOT_FOUND);
}

export function createS3Transport(): S3Transport {
  const clients = createClientCache<S3Client>({ ...AWS_CLIENT_CACHE, close: async (client) => client.destroy() });
  const keyOf = (target: AwsClientTarget) => clientKey(target);
  const open = (target: AwsClientTarget) => new S3Client({ ...awsClientConfig(target), forcePathStyle: Boolean(target.endpoint) });

  return {
    async send(target, object, signal) {
      const command = new PutObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        Body: object.body,
        ContentType: object.contentType,
        Metadata: { ...object.metadata },
        StorageClass: object.storageClass as StorageClass,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: createHash('sha256').update(object.body).digest('base64'),
      });
      try {
        await clients.get(keyOf(target), () => open(target)).send(command, { abortSignal: signal });
      } catch (error) {
        throw classifyS3Error(error);
      }
    },
    release: (target) => clients.evict(keyOf(target)),
    close: () => clients.close(),
  };
}
