/**
 * Kafka producers for delivery: one producer per connection configuration (acks from all in-sync
 * replicas), reused across attempts, closed when idle, evicted or shut down.
 * Nothing here knows about destinations; a caller gives brokers, TLS and SASL, and one record.
 */
import { Producer, murmur2, stringSerializer, type SASLMechanismValue } from '@platformatic/kafka';
import { clientKey, createClientCache } from '../client-cache.js';
import { untilAborted } from '../deadline.js';
import type { TransportError } from '../errors.js';
import { classifyKafkaError } from './kafka-errors.js';

export type KafkaSaslMechanism = Extract<SASLMechanismValue, 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'>;

export interface KafkaConnection {
  /** `host:port` of each bootstrap broker. */
  readonly brokers: readonly string[];
  /** TLS with the system's trusted CAs and the broker's host name verified. */
  readonly tls: boolean;
  readonly sasl?: { readonly mechanism: KafkaSaslMechanism; readonly username: string; readonly password: string };
}

export interface KafkaRecord {
  readonly topic: string;
  /** Chooses the partition (murmur2, as Kafka's Java clients do, so equal keys share one with them). */
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

export interface KafkaTransportOptions {
  readonly clientId?: string;
  readonly idleMs?: number;
  readonly maxEntries?: number;
  /** Per socket connect, below the attempt's own deadline. */
  readonly connectTimeoutMs?: number;
}

export interface KafkaTransport {
  /**
   * Produces one record and resolves once every in-sync replica has it.
   * @throws TransportError when it was not written; the signal's reason when it aborted first.
   */
  send(connection: KafkaConnection, record: KafkaRecord, signal: AbortSignal): Promise<void>;
  /** Closes the producer cached for this configuration (it changed or was deleted). */
  release(connection: KafkaConnection): Promise<void>;
  close(): Promise<void>;
}

type RecordProducer = Producer<string, Buffer, string, string>;

/** Failures after which the producer's connections are suspect, so the next attempt opens new ones. */
const RECONNECT_CODES: ReadonlySet<string> = new Set([
  'auth_failed', 'tls_error', 'timeout', 'connection_refused', 'connection_reset', 'network_unreachable', 'dns_error', 'kafka_error',
]);

/** Java-compatible partitioning; the client's default differs in the sign bit. */
const javaCompatiblePartitioner = (_message: unknown, key: Buffer | undefined) => (key ? murmur2(key) & 0x7fffffff : 0);

export function createKafkaTransport(options: KafkaTransportOptions = {}): KafkaTransport {
  const producers = createClientCache<RecordProducer>({
    // Forced: a producer closed for idleness or eviction has nothing in flight worth waiting for.
    close: (producer) => new Promise<void>((resolve, reject) => producer.close(true, (error) => (error ? reject(error) : resolve()))),
    idleMs: options.idleMs ?? 5 * 60_000,
    maxEntries: options.maxEntries ?? 200,
  });

  const open = (connection: KafkaConnection): RecordProducer =>
    new Producer<string, Buffer, string, string>({
      clientId: options.clientId ?? 'herald',
      bootstrapBrokers: [...connection.brokers],
      ...(connection.tls ? { tls: {} } : {}),
      ...(connection.sasl ? { sasl: { ...connection.sasl } } : {}),
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      // Not idempotent: @platformatic/kafka 1.35 gives concurrent sends of an idempotent producer
      // the same sequence number, and the broker then drops all but the first as duplicates while
      // acknowledging every one. Delivery is at least once anyway; consumers drop duplicates by event-id.
      idempotent: false,
      acks: -1,
      // A few quick retries ride out transient broker states (a coordinator still loading); the
      // attempt's deadline bounds them. `0` means something else to this client, so it is never used.
      retries: 3,
      retryDelay: 250,
      autocreateTopics: false,
      partitioner: javaCompatiblePartitioner,
      serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer },
    });

  return {
    async send(connection, record, signal) {
      const key = clientKey(connection);
      const producer = producers.get(key, () => open(connection));
      try {
        await untilAborted(producer.send({
          messages: [{ topic: record.topic, key: record.key, value: record.value, headers: { ...record.headers } }],
        }), signal);
      } catch (error) {
        if (signal.aborted) throw error;
        const failure: TransportError = classifyKafkaError(error);
        if (RECONNECT_CODES.has(failure.code)) await producers.evict(key);
        throw failure;
      }
    },
    release: (connection) => producers.evict(clientKey(connection)),
    close: () => producers.close(),
  };
}
