/** Tests' view of a real Kafka: fresh topics, and a consumer that collects what they receive. */
import { randomUUID } from 'node:crypto';
import { Admin, Consumer, stringDeserializers, type Message } from '@platformatic/kafka';

export type ReceivedRecord = Message<string, string, string, string>;

export interface TopicReader {
  readonly topic: string;
  /** Every record so far, once at least `count` arrived (or whatever arrived by `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRecord[]>;
  close(): Promise<void>;
}

/** Creates a one-partition topic (or `partitions`) and waits until its leader serves it. */
export async function createTopic(brokers: string, partitions = 1): Promise<string> {
  const topic = `herald-test-${randomUUID()}`;
  const admin = new Admin({ clientId: 'herald-test-admin', bootstrapBrokers: [brokers] });
  try {
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const metadata = await admin.metadata({ topics: [topic], forceUpdate: true }).catch(() => undefined);
      const ready = metadata?.topics.get(topic)?.partitions.every((partition) => partition.leader >= 0);
      if (ready) return topic;
      if (Date.now() > deadline) throw new Error(`topic ${topic} has no leader after 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.close();
  }
}

/** Reads `topic` from its beginning with a consumer group of its own. */
export async function readTopic(brokers: string, topic: string): Promise<TopicReader> {
  const consumer = new Consumer({
    clientId: 'herald-test-consumer', groupId: `herald-test-${randomUUID()}`, bootstrapBrokers: [brokers],
    deserializers: stringDeserializers,
  });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  const records: ReceivedRecord[] = [];
  stream.on('data', (record: ReceivedRecord) => records.push(record));
  return {
    topic,
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (records.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      return [...records];
    },
    async close() {
      await stream.close();
      await new Promise<void>((resolve, reject) => consumer.close(true, (error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The record's headers as a plain object. */
export function headersOf(record: ReceivedRecord): Record<string, string> {
  return Object.fromEntries(record.headers);
}
