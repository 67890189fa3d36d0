import {
  CreateStreamCommand, DeleteStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient,
  waitUntilStreamExists, type _Record,
} from '@aws-sdk/client-kinesis';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Destination, StringMap } from '../../domain/types.js';
import { awsClientConfig } from '../../transports/aws/aws-client.js';
import { makeDestination, makeEvent, makeOptions, makeProvider } from '../testing/fixtures.js';
import { describePublisherContract, type ContractConsumer } from '../testing/publisher-contract.js';
import { closedLoopbackAddress, publishOnce, useStallingServer } from '../testing/single-attempt.js';
import { createKinesisProvider } from './kinesis-provider.js';

const credentials = { key: 'herald-test', secret: 'herald-test' };
const endpoint = inject('awsEndpoint');
const region = inject('awsRegion');
const kinesis = new KinesisClient(awsClientConfig({ region, endpoint, credentials }));

const stalling = useStallingServer();
afterAll(() => kinesis.destroy());

const kinesisDestination = (streamName: string, config: StringMap = {}, deliveryMetadata: StringMap = {}): Destination =>
  makeDestination({ type: 'aws_kinesis', config: { stream_name: streamName, region, endpoint, ...config }, credentials, deliveryMetadata });

interface StreamReader {
  readonly streamName: string;
  /** Every record so far, once at least `count` arrived. */
  records(count: number, timeoutMs?: number): Promise<_Record[]>;
  close(): Promise<void>;
}

/** A fresh one-shard stream, read from its start. */
async function openStream(): Promise<StreamReader> {
  const streamName = `herald-dest-${randomUUID()}`;
  await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60 }, { StreamName: streamName });
  const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: streamName }));
  let iterator = (await kinesis.send(new GetShardIteratorCommand({
    StreamName: streamName, ShardId: StreamDescription!.Shards![0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON',
  }))).ShardIterator;
  const received: _Record[] = [];
  return {
    streamName,
    async records(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} records, got ${received.length}`);
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
        received.push(...(page.Records ?? []));
        iterator = page.NextShardIterator;
        if ((page.Records ?? []).length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return [...received];
    },
    close: async () => void (await kinesis.send(new DeleteStreamCommand({ StreamName: streamName }))),
  };
}

const decoded = (record: _Record) => JSON.parse(Buffer.from(record.Data!).toString('utf8')) as { metadata: StringMap; data: unknown };

async function streamConsumer(): Promise<ContractConsumer> {
  const stream = await openStream();
  return {
    destination: (init) => kinesisDestination(stream.streamName, {}, init?.deliveryMetadata),
    stallingDestination: () => kinesisDestination('stalled', { endpoint: stalling.url }),
    waitForMessages: async (count, timeoutMs) =>
      (await stream.records(count, timeoutMs)).map((record) => ({ body: decoded(record).data, metadata: decoded(record).metadata })),
    close: () => stream.close(),
  };
}

describePublisherContract('aws_kinesis (against the run\'s moto server)', () => makeProvider(createKinesisProvider), streamConsumer);

describe('aws_kinesis specifics', () => {
  let stream: StreamReader;
  beforeAll(async () => {
    stream = await openStream();
  });
  afterAll(() => stream.close());

  it('when a partition key template is set, then it picks the key from the data, and the event id when it yields nothing', async () => {
    const provider = makeProvider(createKinesisProvider);
    const destination = kinesisDestination(stream.streamName, { partition_key_template: 'data.customer_id' });
    const keyed = makeEvent({ data: { customer_id: 'cus_7' } });
    const unkeyed = makeEvent({ data: { other: 1 } });

    await provider.publish({ event: keyed, destination, signal: AbortSignal.timeout(5_000) });
    await provider.publish({ event: unkeyed, destination, signal: AbortSignal.timeout(5_000) });
    await provider.close();

    const records = await stream.records(2);
    expect(records.slice(0, 2).map((record) => record.PartitionKey)).toEqual(['cus_7', unkeyed.id]);
  });

  it('when metadata is not in the payload, then the record is the event data alone', async () => {
    const provider = makeProvider(createKinesisProvider, makeOptions({ awsKinesis: { metadataInPayload: false } }));
    const event = makeEvent({ data: { only: 'data' } });

    await publishOnce(provider, kinesisDestination(stream.streamName), { event });

    const records = await stream.records(3);
    expect(JSON.parse(Buffer.from(records[2]!.Data!).toString('utf8'))).toEqual({ only: 'data' });
    expect(records[2]!.PartitionKey).toBe(event.id);
  });

  it('when the stream does not exist, then the attempt fails as stream_not_found', async () => {
    const result = await publishOnce(makeProvider(createKinesisProvider), kinesisDestination(`missing-${randomUUID()}`));

    expect(result).toMatchObject({ ok: false, code: 'stream_not_found' });
  });

  it('when nothing listens at the endpoint, then the attempt fails as connection_refused', async () => {
    const destination = kinesisDestination('s', { endpoint: `http://${await closedLoopbackAddress()}` });
    const result = await publishOnce(makeProvider(createKinesisProvider), destination);

    expect(result).toMatchObject({ ok: false, code: 'connection_refused' });
  });
});
