/**
 * The `gcp_pubsub` destination: each event is one Pub/Sub message whose data is the event data as
 * JSON and whose attributes are the metadata map; an attempt succeeds once the server stored it.
 */
import type { Destination, StringMap } from '../../domain/types.js';
import type { PubSubTarget } from '../../transports/gcp-pubsub/pubsub-publisher.js';
import { createPubSubTransport } from '../../transports/gcp-pubsub/pubsub-transport.js';
import { createMessageProvider } from '../message-provider.js';
import type { DestinationOptions } from '../options.js';
import type { DestinationProvider, ProviderDeps } from '../types.js';
import { GCP_PUBSUB_METADATA, GCP_PUBSUB_TYPE } from './gcp-pubsub-metadata.js';

/** Clients unused this long are closed; the next attempt opens a new one. */
const IDLE_CLIENT_MS = 5 * 60_000;
/** Open clients per process, least recently used closed first beyond it. */
const MAX_CLIENTS = 256;

/** Service-account JSON is required for Google Cloud and must be a JSON object with a `type`. */
function check(config: StringMap, credentials: StringMap): string[] {
  const json = credentials['service_account_json'];
  if (!json) return config['endpoint'] ? [] : ['credentials.service_account_json is required'];
  try {
    const parsed = JSON.parse(json) as unknown;
    const isKey = typeof parsed === 'object' && parsed !== null && typeof (parsed as { type?: unknown }).type === 'string';
    return isKey ? [] : ['credentials.service_account_json is invalid'];
  } catch {
    return ['credentials.service_account_json is invalid'];
  }
}

const targetOf = ({ config, credentials }: Destination): PubSubTarget => ({
  projectId: config['project_id'] ?? '',
  topicId: config['topic'] ?? '',
  endpoint: config['endpoint'] || undefined,
  // An emulator takes no credentials; whatever is stored is not sent to it.
  serviceAccountJson: config['endpoint'] ? undefined : credentials['service_account_json'] || undefined,
});

export function createGcpPubSubProvider(options: DestinationOptions, deps: ProviderDeps): DestinationProvider {
  const transport = createPubSubTransport({ timeoutMs: options.deliveryTimeoutMs, idleMs: IDLE_CLIENT_MS, maxClients: MAX_CLIENTS });

  return createMessageProvider({
    type: GCP_PUBSUB_TYPE,
    metadata: GCP_PUBSUB_METADATA,
    check,
    target: ({ config }) => `${config['project_id'] ?? ''}/${config['topic'] ?? ''}`,
    targetUrl: ({ config }) =>
      `https://console.cloud.google.com/cloudpubsub/topic/detail/${encodeURIComponent(config['topic'] ?? '')}?project=${encodeURIComponent(config['project_id'] ?? '')}`,
    send: async (message, destination, signal) => {
      await transport.publish(targetOf(destination), message.body, message.metadata, signal);
    },
    release: (destination) => transport.release(targetOf(destination)),
    close: () => transport.close(),
  }, options, deps);
}
