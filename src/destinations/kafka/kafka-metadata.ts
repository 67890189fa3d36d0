/** The `kafka` entry of `GET /destination-types`: its fields drive validation and masking. */
import type { DestinationSchemaField, DestinationTypeMetadata } from '../types.js';

export const KAFKA_TYPE = 'kafka';

/** Kafka's own rule for topic names (legal characters, at most 249 of them). */
const TOPIC_PATTERN = '[a-zA-Z0-9._-]{1,249}';
/** `host:port`, comma-separated, spaces allowed around the commas. */
const BROKERS_PATTERN = '\\s*[^\\s,:]+:\\d{1,5}\\s*(,\\s*[^\\s,:]+:\\d{1,5}\\s*)*';

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

const field = (f: Omit<DestinationSchemaField, 'sensitive' | 'required'> & Partial<DestinationSchemaField>): DestinationSchemaField =>
  ({ required: false, sensitive: false, ...f });

export const KAFKA_CONFIG_FIELDS: readonly DestinationSchemaField[] = [
  field({ key: 'brokers', type: 'text', label: 'Brokers', description: 'Comma-separated list of Kafka broker addresses (host:port).', required: true, pattern: BROKERS_PATTERN, placeholder: 'broker1.example.com:9092,broker2.example.com:9092' }),
  field({ key: 'topic', type: 'text', label: 'Topic', description: 'The Kafka topic to publish messages to.', required: true, pattern: TOPIC_PATTERN, placeholder: 'events' }),
  field({ key: 'tls', type: 'checkbox', label: 'TLS', description: 'Enable TLS for the connection.', default: 'true' }),
  field({ key: 'partition_key_template', type: 'text', label: 'Partition Key Template', description: 'JMESPath expression over {data, metadata} whose result is the message key. Defaults to the event ID.', placeholder: 'data.customer_id' }),
  field({
    key: 'sasl_mechanism', type: 'select', label: 'SASL Mechanism', description: 'SASL authentication mechanism.', required: true,
    options: [{ label: 'PLAIN', value: 'plain' }, { label: 'SCRAM-SHA-256', value: 'scram-sha-256' }, { label: 'SCRAM-SHA-512', value: 'scram-sha-512' }],
  }),
];

export const KAFKA_CREDENTIAL_FIELDS: readonly DestinationSchemaField[] = [
  field({ key: 'username', type: 'text', label: 'Username', description: 'SASL username for authentication.', required: true }),
  field({ key: 'password', type: 'text', label: 'Password', description: 'SASL password for authentication.', required: true, sensitive: true }),
];

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16" fill="none" ' +
  'stroke="currentColor" stroke-width="1.4" stroke-linecap="round">' +
  '<circle cx="8" cy="8" r="1.8"/><circle cx="8" cy="2.6" r="1.4"/><circle cx="8" cy="13.4" r="1.4"/>' +
  '<circle cx="12.8" cy="5.3" r="1.4"/><circle cx="12.8" cy="10.7" r="1.4"/>' +
  '<path d="M8 4v2.2M8 9.8V12M9.6 7.1l2-1.1M9.6 8.9l2 1.1"/></svg>';

const INSTRUCTIONS = `## Publishing to Apache Kafka

Each event becomes one record on your topic, acknowledged by every in-sync replica
(\`acks=all\`). Delivery is at least once: a retried attempt can write a record twice.

- **value**: the event data as JSON (UTF-8).
- **key**: the result of the partition key template, evaluated over \`{"data": …, "metadata": …}\`
  (a string as is, anything else as JSON); the event ID when no template is set or it yields
  nothing. Records with the same key land on the same partition, hashed as Kafka's Java clients do.
- **headers**: \`content-type: application/json\`, then \`event-id\`, \`topic\`, \`timestamp\` and
  every metadata key. The event ID is stable across retries: use it to drop duplicates.

The topic must exist; Herald never creates it. Connect with SASL (PLAIN or SCRAM) over TLS unless
your brokers accept plaintext on a private network.`;

export const KAFKA_METADATA: DestinationTypeMetadata = {
  type: KAFKA_TYPE,
  label: 'Apache Kafka',
  description: 'Send events to Apache Kafka topics for real-time event streaming.',
  icon: ICON,
  instructions: INSTRUCTIONS,
  config_fields: KAFKA_CONFIG_FIELDS,
  credential_fields: KAFKA_CREDENTIAL_FIELDS,
};
