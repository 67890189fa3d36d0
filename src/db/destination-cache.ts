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

/**
 * The repository with every write followed by `cache.invalidate(tenant)`, so this process reads its
 * own writes at once instead of when their notification arrives. Also invalidated when a write
 * fails: it may have committed before the error.
 */
export function invalidatingWrites(repo: DestinationRepository, cache: DestinationCache): DestinationRepository {
  const after = async <T>(tenantId: string, write: Promise<T>): Promise<T> => {
    try {
      return await write;
    } finally {
      cache.invalidate(tenantId);
    }
  };
  return {
    ...repo,
    create: (input, options, client) => after(input.tenantId, repo.create(input, options, client)),
    update: (tenantId, id, fields, client) => after(tenantId, repo.update(tenantId, id, fields, client)),
    setDisabledAt: (tenantId, id, at, client) => after(tenantId, repo.setDisabledAt(tenantId, id, at, client)),
    softDelete: (tenantId, id, client) => after(tenantId, repo.softDelete(tenantId, id, client)),
    setFailing: (tenantId, id, failing) => after(tenantId, repo.setFailing(tenantId, id, failing)),
  };
}
