import {
  CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client,
} from '@aws-sdk/client-s3';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Destination, StringMap } from '../../domain/types.js';
import { awsClientConfig } from '../../transports/aws/aws-client.js';
import { makeDestination, makeEvent, makeProvider } from '../testing/fixtures.js';
import { describePublisherContract, type ContractConsumer } from '../testing/publisher-contract.js';
import { closedLoopbackAddress, publishOnce, useStallingServer } from '../testing/single-attempt.js';
import { createS3Provider } from './s3-provider.js';

const credentials = { key: 'herald-test', secret: 'herald-test' };
const endpoint = inject('awsEndpoint');
const region = inject('awsRegion');
const s3 = new S3Client({ ...awsClientConfig({ region, endpoint, credentials }), forcePathStyle: true });

const stalling = useStallingServer();
afterAll(() => s3.destroy());

const s3Destination = (bucket: string, config: StringMap = {}, deliveryMetadata: StringMap = {}): Destination =>
  makeDestination({ type: 'aws_s3', config: { bucket, region, endpoint, ...config }, credentials, deliveryMetadata });

interface StoredObject {
  readonly key: string;
  readonly body: string;
  readonly metadata: StringMap;
  readonly contentType: string | undefined;
  readonly storageClass: string | undefined;
  readonly checksum: string | undefined;
}

interface Bucket {
  readonly name: string;
  /** Every object so far, once at least `count` are stored. */
  objects(count: number, timeoutMs?: number): Promise<StoredObject[]>;
  close(): Promise<void>;
}

async function openBucket(): Promise<Bucket> {
  const name = `herald-${randomUUID()}`;
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  const seen = new Map<string, StoredObject>();
  return {
    name,
    async objects(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: name }));
        for (const { Key } of Contents) {
          if (seen.has(Key!)) continue;
          const object = await s3.send(new GetObjectCommand({ Bucket: name, Key, ChecksumMode: 'ENABLED' }));
          seen.set(Key!, {
            key: Key!, body: await object.Body!.transformToString(), metadata: object.Metadata ?? {},
            contentType: object.ContentType, storageClass: object.StorageClass, checksum: object.ChecksumSHA256,
          });
        }
        if (seen.size >= count) return [...seen.values()];
        if (Date.now() > deadline) throw new Error(`expected ${count} objects, got ${seen.size}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: name }));
      for (const { Key } of Contents) await s3.send(new DeleteObjectCommand({ Bucket: name, Key }));
      await s3.send(new DeleteBucketCommand({ Bucket: name }));
    },
  };
}

async function bucketConsumer(): Promise<ContractConsumer> {
  const bucket = await openBucket();
  return {
    destination: (init) => s3Destination(bucket.name, {}, init?.deliveryMetadata),
    stallingDestination: () => s3Destination('stalled', { endpoint: stalling.url }),
    waitForMessages: async (count, timeoutMs) =>
      (await bucket.objects(count, timeoutMs)).map((object) => ({ body: JSON.parse(object.body), metadata: object.metadata })),
    close: () => bucket.close(),
  };
}

describePublisherContract('aws_s3 (against the run\'s moto server)', () => makeProvider(createS3Provider), bucketConsumer);

describe('aws_s3 specifics', () => {
  let bucket: Bucket;
  beforeAll(async () => {
    bucket = await openBucket();
  });
  afterAll(() => bucket.close());

  it('when an event is stored, then the key follows the template and the object has its type, class and checksum', async () => {
    const event = makeEvent({ data: { customer: 'cus_7', note: 'Zoë' } });
    const destination = s3Destination(bucket.name, {
      key_template: "join('/', [time.date, data.customer, join('', [metadata.\"event-id\", '.json'])])", storage_class: 'STANDARD_IA',
    });

    const result = await publishOnce(makeProvider(createS3Provider), destination, { event });

    expect(result.ok).toBe(true);
    const [object] = await bucket.objects(1);
    const body = JSON.stringify(event.data);
    expect(object).toEqual({
      key: `2024-05-01/cus_7/${event.id}.json`, body, metadata: expect.objectContaining({ 'event-id': event.id, topic: event.topic }),
      contentType: 'application/json', storageClass: 'STANDARD_IA', checksum: createHash('sha256').update(body).digest('base64'),
    });
  });

  it('when the bucket does not exist, then the attempt fails as bucket_not_found', async () => {
    const result = await publishOnce(makeProvider(createS3Provider), s3Destination(`missing-${randomUUID()}`));

    expect(result).toMatchObject({ ok: false, code: 'bucket_not_found' });
  });

  it('when nothing listens at the endpoint, then the attempt fails as connection_refused', async () => {
    const destination = s3Destination('any-bucket', { endpoint: `http://${await closedLoopbackAddress()}` });
    const result = await publishOnce(makeProvider(createS3Provider), destination);

    expect(result).toMatchObject({ ok: false, code: 'connection_refused' });
  });
});
