/**
 * The `azure_servicebus` destination provider: each event is one Service Bus message on a queue
 * or topic, body = the event data as JSON, application properties = the metadata map.
 */
import { isIP } from 'node:net';
import { parseServiceBusConnectionString } from '@azure/service-bus';
import type { ServiceBusMessage } from '@azure/service-bus';
import type { Destination, StringMap } from '../../domain/types.js';
import { createServiceBusTransport } from '../../transports/azure-servicebus/servicebus-transport.js';
import type { ServiceBusTarget, ServiceBusTransport } from '../../transports/azure-servicebus/servicebus-transport.js';
import { createMessageProvider } from '../message-provider.js';
import type { OutgoingMessage } from '../message-provider.js';
import type { DestinationOptions } from '../options.js';
import type { DestinationProvider, ProviderDeps } from '../types.js';
import { AZURE_SERVICEBUS_TYPE, azureServiceBusTypeMetadata } from './azure-servicebus-metadata.js';

/** The message built for one event. Pure. */
export function toServiceBusMessage(message: OutgoingMessage): ServiceBusMessage {
  return { body: message.body, contentType: 'application/json', applicationProperties: { ...message.metadata } };
}

/** The connection string's parts, or undefined when Service Bus could not use it. */
function connectionStringParts(value: string): { namespace: string; entityPath?: string } | undefined {
  try {
    const parts = parseServiceBusConnectionString(value);
    const endpoint = new URL(parts.endpoint);
    const hasKey = Boolean(parts.sharedAccessKeyName && parts.sharedAccessKey) || Boolean(parts.sharedAccessSignature);
    if (endpoint.protocol !== 'sb:' || endpoint.hostname === '' || !hasKey) return undefined;
    return { namespace: endpoint.hostname, ...(parts.entityPath ? { entityPath: parts.entityPath } : {}) };
  } catch {
    return undefined;
  }
}

function check(config: StringMap, credentials: StringMap): string[] {
  const connectionString = credentials['connection_string'];
  if (!connectionString) return [];
  const parts = connectionStringParts(connectionString);
  if (parts === undefined) return ['credentials.connection_string is invalid'];
  // An entity-scoped connection string opens only its own entity; the SDK refuses any other name.
  if (parts.entityPath !== undefined && config['name'] && parts.entityPath !== config['name']) return ['config.name is invalid'];
  return [];
}

const targetOf = (destination: Destination): ServiceBusTarget => ({
  connectionString: destination.credentials['connection_string'] ?? '',
  name: destination.config['name'] ?? '',
});

/** `transport` replaces the SDK-backed one (tests pass a fake sender factory through it). */
export function createAzureServiceBusProvider(
  options: DestinationOptions, deps: ProviderDeps, transport?: ServiceBusTransport,
): DestinationProvider {
  const wire = transport ?? createServiceBusTransport({ operationTimeoutMs: options.deliveryTimeoutMs });
  return createMessageProvider(
    {
      type: AZURE_SERVICEBUS_TYPE,
      metadata: azureServiceBusTypeMetadata,
      check,
      target(destination) {
        const name = destination.config['name'] ?? '';
        // `<namespace>.servicebus.windows.net` shows as its namespace; an address (an emulator) as itself.
        const host = connectionStringParts(destination.credentials['connection_string'] ?? '')?.namespace;
        const namespace = host === undefined || isIP(host) !== 0 ? host : host.split('.')[0];
        return namespace ? `${namespace}/${name}` : name;
      },
      send: (message, destination, signal) => wire.send(targetOf(destination), toServiceBusMessage(message), signal),
      release: (destination) => wire.release(targetOf(destination)),
      close: () => wire.close(),
    },
    options,
    deps,
  );
}
