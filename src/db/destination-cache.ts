import type { Destination } from '../domain/types.js';
import type { DestinationRepository } from './destination-repository.js';

/**
 * Each tenant's live destinations, kept in memory for the two hot paths: publish (which of them
 * match) and an attempt (the destination to send to, unless disabled or deleted). Saves a query
 * and the secrets' decryption per publish and per attempt.
 *
 * It is only trusted while something tells it about every change: `setTrusted(true)` once the
 * process listens to Postgres' change notifications, `false` (everything dropped, every read goes
 * to the database) while that connection is down. `invalidate(tenant)` drops one tenant, from a
 * notification, or at once after this process's own writes so it reads them back. A change made by
 * another process reaches this one as fast as its notification does (milliseconds). Entries also
 * expire after `ttlMs`, and at most `maxTenants` are kept (least recently loaded dropped first).
 */
export interface DestinationCache {
  /** Enabled, non-deleted destinations of the tenant, oldest first. */
  enabledOf(tenantId: string): Promise<Destination[]>;
  /** The non-deleted destination (disabled or not), or null. */
  find(tenantId: string, id: string): Promise<Destination | null>;
  invalidate(tenantId: string): void;
  setTrusted(trusted: boolean): void;
  readonly size: number;
}

interface Entry {
  readonly loaded: Promise<readonly Destination[]>;
  readonly at: number;
}

export function createDestinationCache(
  repo: Pick<DestinationRepository, 'list' | 'listEnabled' | 'get'>,
  options: { ttlMs: number; maxTenants: number; now?: () => number },
): DestinationCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let trusted = false;

  const live = (tenantId: string): Promise<readonly Destination[]> => {
    const entry = entries.get(tenantId);
    if (entry && now() - entry.at < options.ttlMs) return entry.loaded;
    // A load under way when the tenant is invalidated is dropped from the map, so no caller that
    // comes after the change is handed what it read.
    const loaded = repo.list(tenantId);
    const fresh = { loaded, at: now() };
    entries.delete(tenantId);
    entries.set(tenantId, fresh);
    loaded.catch(() => {
      if (entries.get(tenantId) === fresh) entries.delete(tenantId);
    });
    if (entries.size > options.maxTenants) entries.delete(entries.keys().next().value!);
    return loaded;
  };

  return {
    async enabledOf(tenantId) {
      if (!trusted) return repo.listEnabled(tenantId);
      return (await live(tenantId)).filter((d) => d.disabledAt === null);
    },
    async find(tenantId, id) {
      if (!trusted) return repo.get(tenantId, id);
      return (await live(tenantId)).find((d) => d.id === id) ?? null;
    },
    invalidate(tenantId) {
      entries.delete(tenantId);
    },
    setTrusted(value) {
      trusted = value;
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

/** Write methods of the repository that change destinations; after each, the tenant is dropped from the cache. */
const WRITES = ['create', 'update', 'setDisabledAt', 'softDelete', 'setFailing'] as const;

/**
 * The repository with every write followed by `cache.invalidate(tenant)`, so this process reads its
 * own writes at once instead of when their notification arrives. Also invalidated when a write
 * fails: it may have committed before the error.
 */
export function invalidatingWrites(repo: DestinationRepository, cache: DestinationCache): DestinationRepository {
  const wrapped: DestinationRepository = { ...repo };
  for (const name of WRITES) {
    const write = repo[name] as (tenantOrInput: string | { tenantId: string }, ...rest: unknown[]) => Promise<unknown>;
    (wrapped as unknown as Record<string, unknown>)[name] = async (first: string | { tenantId: string }, ...rest: unknown[]) => {
      try {
        return await write(first, ...rest);
      } finally {
        cache.invalidate(typeof first === 'string' ? first : first.tenantId);
      }
    };
  }
  return wrapped;
}
