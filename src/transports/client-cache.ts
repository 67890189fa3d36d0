/**
 * Transport clients (an SQS client, an AMQP connection, a Kafka producer) cached per destination
 * configuration, so an attempt reuses the connection the previous attempt to the same place
 * opened. The key is a hash of everything the client is built from (config and credentials): a
 * changed destination gets a new client, and the old one is closed once idle. Clients are closed
 * when evicted, when idle for `idleMs`, beyond `maxEntries` (least recently used first), and on
 * `close()`.
 */
import { createHash } from 'node:crypto';

export interface ClientCacheOptions<C> {
  /** Releases a client; errors are swallowed (a client being dropped has nothing left to report). */
  readonly close: (client: C) => Promise<void>;
  /** Idle clients are closed after this long; 0 keeps them until evicted. */
  readonly idleMs: number;
  readonly maxEntries: number;
}

export interface ClientCache<C> {
  /** The cached client for `key`, opening it with `open` when there is none. */
  get(key: string, open: () => C): C;
  /** Closes and forgets the client for `key` (the destination changed or was deleted). */
  evict(key: string): Promise<void>;
  readonly size: number;
  /** Closes every client; later `get`s throw. */
  close(): Promise<void>;
}

/** A stable hash of the values a client is built from; secrets never leave it in clear. */
export function clientKey(...parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts, sortedKeys)).digest('base64url');
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

interface Entry<C> {
  readonly client: C;
  lastUsed: number;
}

export function createClientCache<C>(options: ClientCacheOptions<C>): ClientCache<C> {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry<C>>();
  let closed = false;
  const release = (client: C) => options.close(client).catch(() => undefined);

  const sweeper = options.idleMs > 0
    ? setInterval(() => {
        const cutoff = Date.now() - options.idleMs;
        for (const [key, entry] of entries) {
          if (entry.lastUsed > cutoff) continue;
          entries.delete(key);
          void release(entry.client);
        }
      }, Math.max(1000, Math.floor(options.idleMs / 2)))
    : undefined;
  sweeper?.unref();

  return {
    get(key, open) {
      if (closed) throw new Error('the transport client cache is closed');
      const existing = entries.get(key);
      if (existing) {
        entries.delete(key);
        existing.lastUsed = Date.now();
        entries.set(key, existing);
        return existing.client;
      }
      const client = open();
      entries.set(key, { client, lastUsed: Date.now() });
      if (entries.size > options.maxEntries) {
        const [oldestKey, oldest] = entries.entries().next().value as [string, Entry<C>];
        entries.delete(oldestKey);
        void release(oldest.client);
      }
      return client;
    },
    async evict(key) {
      const entry = entries.get(key);
      if (!entry) return;
      entries.delete(key);
      await release(entry.client);
    },
    get size() {
      return entries.size;
    },
    async close() {
      closed = true;
      if (sweeper) clearInterval(sweeper);
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map((entry) => release(entry.client)));
    },
  };
}
