/** The `gcp_pubsub` entry of `GET /destination-types`: its fields are also its validation. */
import type { DestinationSchemaField, DestinationTypeMetadata } from '../types.js';

export const GCP_PUBSUB_TYPE = 'gcp_pubsub';

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">' +
  '<circle cx="12" cy="12.2" r="2.8" fill="#aecbfa"/><circle cx="5" cy="16.3" r="2.2" fill="#aecbfa"/>' +
  '<circle cx="19" cy="16.3" r="2.2" fill="#aecbfa"/><circle cx="12" cy="4.2" r="2.2" fill="#aecbfa"/>' +
  '<circle cx="19" cy="8.2" r="1.7" fill="#669df6"/><circle cx="5" cy="8.2" r="1.7" fill="#669df6"/>' +
  '<circle cx="12" cy="20.3" r="1.7" fill="#669df6"/>' +
  '<path stroke="#4285f4" stroke-width="1.6" d="M12 4.2v8M12 12.2l7 4.1M12 12.2l-7 4.1"/></svg>';

const CONFIG_FIELDS: readonly DestinationSchemaField[] = [
  { key: 'project_id', type: 'text', label: 'Project ID', description: 'The Google Cloud project that owns the topic.', required: true, sensitive: false, placeholder: 'my-project-123' },
  { key: 'topic', type: 'text', label: 'Topic', description: 'The Pub/Sub topic ID (not the full resource name).', required: true, sensitive: false, placeholder: 'events' },
  {
    key: 'endpoint',
    type: 'text',
    label: 'Endpoint',
    description: 'Optional host:port of a Pub/Sub emulator (e.g. localhost:8085). Connections to it are plaintext and unauthenticated.',
    required: false,
    sensitive: false,
    pattern: '(https?://)?[^\\s/]+:[0-9]+',
    placeholder: 'localhost:8085',
  },
];

/** Required unless `endpoint` names an emulator: the provider's `check` says so, the field cannot. */
const CREDENTIAL_FIELDS: readonly DestinationSchemaField[] = [
  {
    key: 'service_account_json',
    type: 'text',
    label: 'Service account JSON',
    description: 'The whole JSON key file of a service account allowed to publish to the topic (roles/pubsub.publisher). Not needed for an emulator endpoint.',
    required: false,
    sensitive: true,
  },
];

const INSTRUCTIONS = `## Receiving events from Google Cloud Pub/Sub

Each event is published to your topic as one message. Its **data** is the event data as JSON, and
every metadata key is a message **attribute**:

- \`event-id\`: the event id, stable across retries. Use it to ignore duplicates.
- \`topic\`: the event topic (filter subscriptions on \`attributes.topic\`).
- \`timestamp\`: the attempt time (RFC 3339).
- one attribute per key of the destination's delivery metadata and of the event's metadata.

Create a service account with the **Pub/Sub Publisher** role on the topic, create a JSON key for
it and paste the whole key file as the service account JSON. The topic must exist; publishing to
a missing one fails with \`topic_not_found\`.`;

export const GCP_PUBSUB_METADATA: DestinationTypeMetadata = {
  type: GCP_PUBSUB_TYPE,
  label: 'GCP Pub/Sub',
  description: 'Publish events to a Google Cloud Pub/Sub topic, with metadata as message attributes.',
  icon: ICON,
  instructions: INSTRUCTIONS,
  config_fields: CONFIG_FIELDS,
  credential_fields: CREDENTIAL_FIELDS,
};
