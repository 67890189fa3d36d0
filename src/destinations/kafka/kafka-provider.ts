/**
 * `kafka`: each event is one record on the destination's topic. Value = the event data as JSON,
 * key = the partition key template's result (or the event id), headers = `content-type` plus the
 * metadata map.
 */
import type { Destination, StringMap } from '../../domain/types.js';
import { TransportError } from '../../transports/errors.js';
import { createKafkaTransport, type KafkaConnection, type KafkaSaslMechanism } from '../../transports/kafka/kafka-transport.js';
import { checkboxValue } from '../field-validation.js';
import { createMessageProvider } from '../message-provider.js';
import type { DestinationOptions } from '../options.js';
import { FORMAT_ERROR_CODE, type DestinationProvider, type ProviderDeps } from '../types.js';
import { KAFKA_METADATA, KAFKA_TYPE } from './kafka-metadata.js';
import { partitionKey, templateProblem } from './partition-key.js';

const MECHANISMS: Readonly<Record<string, KafkaSaslMechanism>> = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
};

export function kafkaConnection(config: StringMap, credentials: StringMap): KafkaConnection {
  return {
    brokers: (config['brokers'] ?? '').split(',').map((broker) => broker.trim()).filter((broker) => broker !== ''),
    // An omitted `tls` is plaintext, as Outpost stores it; the field's default pre-fills forms with TLS on.
    tls: checkboxValue(config, 'tls', false),
    sasl: {
      mechanism: MECHANISMS[config['sasl_mechanism'] ?? ''] ?? 'PLAIN',
      username: credentials['username'] ?? '',
      password: credentials['password'] ?? '',
    },
  };
}

function keyFor(destination: Destination, event: { id: string; data: unknown }, metadata: StringMap): string {
  try {
    return partitionKey(destination.config['partition_key_template'], event, metadata);
  } catch (error) {
    throw new TransportError(FORMAT_ERROR_CODE, false, 'could not format event for delivery: the partition key template failed', { cause: error });
  }
}

export function createKafkaProvider(options: DestinationOptions, deps: ProviderDeps): DestinationProvider {
  const transport = createKafkaTransport();
  return createMessageProvider({
    type: KAFKA_TYPE,
    metadata: KAFKA_METADATA,
    check(config) {
      const template = config['partition_key_template'];
      const problem = template ? templateProblem(template) : undefined;
      return problem ? [problem] : [];
    },
    target: (destination) => `${destination.config['brokers'] ?? ''}/${destination.config['topic'] ?? ''}`,
    async send(message, destination, signal) {
      const key = keyFor(destination, message.event, message.metadata);
      await transport.send(kafkaConnection(destination.config, destination.credentials), {
        topic: destination.config['topic'] ?? '',
        key,
        value: message.body,
        headers: { 'content-type': 'application/json', ...message.metadata },
      }, signal);
    },
    release: (destination) => transport.release(kafkaConnection(destination.config, destination.credentials)),
    close: () => transport.close(),
  }, options, deps);
}
