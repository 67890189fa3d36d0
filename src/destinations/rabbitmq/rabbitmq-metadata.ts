/** The `rabbitmq` entry of `GET /destination-types`: its fields are also its validation. */
import type { DestinationSchemaField, DestinationTypeMetadata } from '../types.js';

export const RABBITMQ_TYPE = 'rabbitmq';

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20" fill="none">' +
  '<rect width="20" height="20" rx="4" fill="#FF6600"/>' +
  '<path fill="#fff" d="M4.5 4h2.2v5h2.1V4H11v5h4.5v7.5h-11zm7.7 7.6v2h2v-2z"/></svg>';

const CONFIG_FIELDS: readonly DestinationSchemaField[] = [
  {
    key: 'server_url',
    type: 'text',
    label: 'Server URL',
    description: 'The RabbitMQ server address as host:port, optionally followed by /vhost (e.g. rabbitmq.example.com:5672).',
    required: true,
    sensitive: false,
    pattern: '[^\\s]+',
    placeholder: 'rabbitmq.example.com:5672',
  },
  {
    key: 'exchange',
    type: 'text',
    label: 'Exchange',
    description: 'The exchange messages are published to; it must already exist. Empty publishes to the default exchange, where the topic names a queue.',
    required: false,
    sensitive: false,
    placeholder: 'events',
  },
  {
    key: 'tls',
    type: 'checkbox',
    label: 'TLS',
    description: 'Connect with TLS (amqps).',
    required: false,
    sensitive: false,
    default: 'false',
  },
];

const CREDENTIAL_FIELDS: readonly DestinationSchemaField[] = [
  { key: 'username', type: 'text', label: 'Username', description: 'The RabbitMQ user.', required: true, sensitive: false },
  { key: 'password', type: 'text', label: 'Password', description: 'The RabbitMQ user\'s password.', required: true, sensitive: true },
];

const INSTRUCTIONS = `## Receiving events from RabbitMQ

Each event is published to your exchange with the **event topic as routing key**, so bind your
queues with the topics they want (with a topic exchange, \`order.*\` or \`#\`). The message body is
the event data as JSON (\`content-type: application/json\`), and it is published persistent: it
survives a broker restart once it reached a durable queue.

Every metadata key is an AMQP header:

- \`event-id\`: the event id, stable across retries. Use it to ignore duplicates.
- \`topic\`: the event topic.
- \`timestamp\`: the attempt time (RFC 3339).
- one header per key of the destination's delivery metadata and of the event's metadata.

An attempt succeeds once the broker confirmed the message. The exchange is not declared for you:
create it first, or publishing fails with \`exchange_not_found\`.`;

export const RABBITMQ_METADATA: DestinationTypeMetadata = {
  type: RABBITMQ_TYPE,
  label: 'RabbitMQ',
  description: 'Publish events to a RabbitMQ exchange, routed by topic.',
  icon: ICON,
  instructions: INSTRUCTIONS,
  config_fields: CONFIG_FIELDS,
  credential_fields: CREDENTIAL_FIELDS,
};
