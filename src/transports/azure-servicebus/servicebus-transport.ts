/**
 * The Azure Service Bus wire: one sender per (connection string, queue or topic), cached with
 * `createClientCache` and closed when idle, released or on shutdown; each send is one try (the
 * SDK's own retries are off: delivery retries are the caller's) under the caller's signal, and
 * failures leave as TransportErrors. The sender is built by an injectable factory, so everything
 * above the SDK's network layer is testable without a broker.
 */
import { ServiceBusClient } from '@azure/service-bus';
import type { ServiceBusMessage } from '@azure/service-bus';
import { createClientCache, clientKey } from '../client-cache.js';
import { TransportError } from '../errors.js';
import { classifyServiceBusError } from './servicebus-errors.js';

/** Where messages go: what the sender is built from. */
export interface ServiceBusTarget {
  readonly connectionString: string;
  /** Queue or topic name. */
  readonly name: string;
}

/** The part of an SDK sender the transport uses. */
export interface ServiceBusMessageSender {
  send(message: ServiceBusMessage, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Builds a sender; may throw synchronously for a connection string the SDK cannot use. */
export type ServiceBusSenderFactory = (connectionString: string, name: string) => ServiceBusMessageSender;

export interface ServiceBusTransportOptions {
  /** Upper bound of one SDK operation (it is also cut short by the caller's signal). */
  readonly operationTimeoutMs: number;
  readonly createSender?: ServiceBusSenderFactory;
  readonly idleMs?: number;
  readonly maxEntries?: number;
}

export interface ServiceBusTransport {
  /** Resolves once Service Bus accepted the message. @throws TransportError */
  send(target: ServiceBusTarget, message: ServiceBusMessage, signal: AbortSignal): Promise<void>;
  /** Closes the sender cached for this target, if any (its destination changed or was deleted). */
  release(target: ServiceBusTarget): Promise<void>;
  /** Closes every sender. */
  close(): Promise<void>;
}

/** A real SDK client and sender, one try per send. */
export function sdkSenderFactory(operationTimeoutMs: number): ServiceBusSenderFactory {
  return (connectionString, name) => {
    const client = new ServiceBusClient(connectionString, { retryOptions: { maxRetries: 0, timeoutInMs: operationTimeoutMs } });
    const sender = client.createSender(name);
    return {
      send: (message, signal) => sender.sendMessages(message, { abortSignal: signal }),
      close: async () => {
        await sender.close().catch(() => undefined);
        await client.close();
      },
    };
  };
}

const keyOf = (target: ServiceBusTarget) => clientKey(target.name, target.connectionString);

export function createServiceBusTransport(options: ServiceBusTransportOptions): ServiceBusTransport {
  const createSender = options.createSender ?? sdkSenderFactory(options.operationTimeoutMs);
  const senders = createClientCache<ServiceBusMessageSender>({
    close: (sender) => sender.close(),
    idleMs: options.idleMs ?? 5 * 60_000,
    maxEntries: options.maxEntries ?? 256,
  });

  function senderFor(target: ServiceBusTarget): ServiceBusMessageSender {
    try {
      return senders.get(keyOf(target), () => createSender(target.connectionString, target.name));
    } catch (error) {
      throw new TransportError('invalid_config', false, 'The Service Bus connection string cannot be used.', { cause: error });
    }
  }

  return {
    async send(target, message, signal) {
      const sender = senderFor(target);
      try {
        await sender.send(message, signal);
      } catch (error) {
        throw classifyServiceBusError(error);
      }
    },
    release: (target) => senders.evict(keyOf(target)),
    close: () => senders.close(),
  };
}
