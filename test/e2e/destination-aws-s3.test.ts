import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client, type _Object } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClientConfig } from '../../src/transports/aws/aws-client.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { createDestination, expectCredentialsMasked, expectOneOkAttempt, publishDelivered } from './destination-fixtures.js';
import { createTenant, eventually } from './fixtures.js';

const credentials = { key: 'AKIAHERALDE2ETEST', secret: 'herald-e2e-secret-key' };
const region = inject('awsRegion');
let herald: TestHerald;
const s3 = new S3Client({ ...awsClientConfig({ region, endpoint: inject('awsEndpoint'), credentials }), forcePathStyle: true });

beforeAll(async () => {
  herald = await startTestHerald();
});
afterAll(async () => {
  await herald?.close();
  s3.destroy();
});

describe('aws_s3 destination through the public API', () => {
  it('when an event is published, then the bucket holds it under the templated key with its metadata, the attempt is OK and the credentials are masked', async () => {
    const bucket = `herald-e2e-${randomUUID()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const tenantId = await createTenant(herald);

    const { created, fetched } = await createDestination(herald, tenantId, {
      type: 'aws_s3', topics: ['order.created'],
      config: {
        bucket, region, endpoint: inject('awsEndpoint'), storage_class: 'STANDARD_IA',
        key_template: "join('/', [metadata.topic, join('', [metadata.\"event-id\", '.json'])])",
      },
      credentials,
    });
    expect(created.target).toBe(`${bucket} in ${region}`);
    expectCredentialsMasked([created, fetched], credentials);

    const published = await publishDelivered(herald, tenantId, created.id, { data: { order: 7 }, metadata: { region: 'eu' } });

    const objects = await eventually(
      async () => (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? ([] as _Object[]),
      (contents) => contents.length >= 1,
    );
    expect(objects.map((object) => object.Key)).toEqual([`order.created/${published.id}.json`]);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: objects[0]!.Key }));
    expect(JSON.parse(await object.Body!.transformToString())).toEqual({ order: 7 });
    expect(object).toMatchObject({ ContentType: 'application/json', StorageClass: 'STANDARD_IA' });
    expect(object.Metadata).toMatchObject({ 'event-id': published.id, topic: 'order.created', region: 'eu' });
    await expectOneOkAttempt(herald, published.id);
  });
});
