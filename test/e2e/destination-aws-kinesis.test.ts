import {
  CreateStreamCommand, DeleteStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient,
  waitUntilStreamExists, type _Record,
} from '@aws-sdk/client-kinesis';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { awsClientConfig } from '../../src/transports/aws/aws-client.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { createDestination, expectCredentialsMasked, expectOneOkAttempt, publishDelivered } from './destination-fixtures.js';
import { createTenant, eventually } from './fixtures.js';

const credentials = { key: 'AKIAHERALDE2ETEST', secret: 'herald-e2e-secret-key', session: 'herald-e2e-session-token' };
const region = inject('awsRegion');
let herald: TestHerald;
const kinesis = new KinesisClient(awsClientConfig({ region, endpoint: inject('awsEndpoint'), credentials }));

beforeAll(async () => {
  herald = await startTestHerald();
});
afterAll(async () => {
  await herald?.close();
  kinesis.destroy();
});

describe('aws_kinesis destination through the public API', () => {
  it('when an event is published, then the stream holds {metadata, data} under the templated key, the attempt is OK and the credentials are masked', async () => {
    const streamName = `herald-e2e-${randomUUID()}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60 }, { StreamName: streamName });
    const tenantId = await createTenant(herald);

    const { created, fetched } = await createDestination(herald, tenantId, {
      type: 'aws_kinesis', topics: ['order.created'],
      config: { stream_name: streamName, region, endpoint: inject('awsEndpoint'), partition_key_template: 'data.customer' },
      credentials,
    });
    expect(created.target).toBe(`${streamName} in ${region}`);
    expectCredentialsMasked([created, fetched], credentials);

    const published = await publishDelivered(herald, tenantId, created.id, { data: { customer: 'cus_7' }, metadata: { region: 'eu' } });

    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: streamName }));
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({
      StreamName: streamName, ShardId: StreamDescription!.Shards![0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON',
    }));
    const records: _Record[] = [];
    let iterator = ShardIterator;
    await eventually(async () => {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
      iterator = page.NextShardIterator;
      records.push(...(page.Records ?? []));
      return records.length;
    }, (count) => count >= 1);
    expect(records[0]!.PartitionKey).toBe('cus_7');
    expect(JSON.parse(Buffer.from(records[0]!.Data!).toString('utf8'))).toMatchObject({
      data: { customer: 'cus_7' }, metadata: { 'event-id': published.id, topic: 'order.created', region: 'eu' },
    });
    await expectOneOkAttempt(herald, published.id);
    await kinesis.send(new DeleteStreamCommand({ StreamName: streamName }));
  });
});
