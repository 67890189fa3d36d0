/**
 * Pub/Sub as a transport: one client per target (project, topic, endpoint, credentials), cached by
 * `clientKey` so attempts reuse its gRPC channel, closed once idle, when the destination changes,
 * or on close.
 */
import { clientKey, createClientCache } from '../client-cache.js';
import { createPubSubPublisher, type PubSubPublisher, type PubSubTarget } from './pubsub-publisher.js';

export interface PubSubTransportOptions {
  readonly timeoutMs: number;
  readonly idleMs: number;
  readonly maxClients: number;
}

export interface PubSubTransport {
  /** @throws TransportError (classified), or the signal's reason once it aborted. */
  publish(target: PubSubTarget, data: Buffer, attributes: Record<string, string>, signal: AbortSignal): Promise<string>;
  release(target: PubSubTarget): Promise<void>;
  close(): Promise<void>;
}

const keyOf = ({ projectId, topicId, endpoint, serviceAccountJson }: PubSubTarget) =>
  clientKey({ projectId, topicId, endpoint: endpoint ?? '' }, { serviceAccountJson: serviceAccountJson ?? '' });

export function createPubSubTransport(options: PubSubTransportOptions): PubSubTransport {
  const publishers = createClientCache<PubSubPublisher>({
    close: (publisher) => publisher.close(),
    idleMs: options.idleMs,
    maxEntries: options.maxClients,
  });

  return {
    publish: (target, data, attributes, signal) =>
      publishers.get(keyOf(target), () => createPubSubPublisher(target, { timeoutMs: options.timeoutMs })).publish(data, attributes, signal),
    release: (target) => publishers.evict(keyOf(target)),
    close: () => publishers.close(),
  };
}
