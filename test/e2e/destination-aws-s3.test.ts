import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client, type _Object } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClientConfig } from '../../src/transports/aws/aws-client.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { attemptsOf, deliveryHandle, eventually, publish, uid } from './fixtures.js';

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
    const tenantId = uid('tenant');
    expect((await herald.call('PUT', `/tenants/${tenantId}`, {})).status).toBe(201);

    const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, {
      type: 'aws_s3', topics: ['order.created'],
      config: {
        bucket, region, endpoint: inject('awsEndpoint'), storage_class: 'STANDARD_IA',
        key_template: "join('/', [metadata.topic, join('', [metadata.\"event-id\", '.json'])])",
      },
      credentials,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.target).toBe(`${bucket} in ${region}`);
    for (const body of [created.body, (await herald.call('GET', `/tenants/${tenantId}/destinations/${created.body.id}`)).body]) {
      expect(body.credentials.key).not.toBe(credentials.key);
      expect(body.credentials.secret).not.toBe(credentials.secret);
    }

    const published = await publish(herald, { tenant_id: tenantId, data: { order: 7 }, metadata: { region: 'eu' } });
    expect(await deliveryHandle(herald, tenantId, published.id, created.body.id as string).result())
      .toEqual({ status: 'delivered', attemptCount: 1 });

    const objects = await eventually(
      async () => (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? ([] as _Object[]),
      (contents) => contents.length >= 1,
    );
    expect(objects.map((object) => object.Key)).toEqual([`order.created/${published.id}.json`]);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: objects[0]!.Key }));
    expect(JSON.parse(await object.Body!.transformToString())).toEqual({ order: 7 });
    expect(object).toMatchObject({ ContentType: 'application/json', StorageClass: 'STANDARD_IA' });
    expect(object.Metadata).toMatchObject({ 'event-id': published.id, topic: 'order.created', region: 'eu' });
    expect(await attemptsOf(herald, published.id)).toMatchObject([{ attempt_number: 1, status: 'success', code: 'OK' }]);
  });
});
