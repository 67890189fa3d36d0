import { describe, expect, it } from 'vitest';
import type { Destination } from '../domain/types.js';
import { createDestinationCache, invalidatingWrites } from './destination-cache.js';
import type { DestinationRepository } from './destination-repository.js';

const destination = (tenantId: string, id: string, disabled = false): Destination =>
  ({ tenantId, id, type: 'webhook', topics: ['*'], disabledAt: disabled ? new Date(0) : null }) as unknown as Destination;

/** A repository over an in-memory table that counts the queries made. */
function fakeRepository(rows: Destination[]) {
  const calls = { list: 0, listEnabled: 0, get: 0 };
  let gate: Promise<void> | null = null;
  const repo = {
    async list(tenantId: string) {
      calls.list += 1;
      const snapshot = rows.filter((d) => d.tenantId === tenantId);
      if (gate) await gate;
      return snapshot;
    },
    async listEnabled(tenantId: string) {
      calls.listEnabled += 1;
      return rows.filter((d) => d.tenantId === tenantId && d.disabledAt === null);
    },
    async get(tenantId: string, id: string) {
      calls.get += 1;
      return rows.find((d) => d.tenantId === tenantId && d.id === id) ?? null;
    },
    async update(tenantId: string) {
      rows.push(destination(tenantId, `new-${rows.length}`));
      return null;
    },
  };
  return { repo, calls, rows, hold: () => { let open!: () => void; gate = new Promise((r) => (open = r)); return () => { gate = null; open(); }; } };
}

describe('destination cache', () => {
  it('when not trusted (no change notifications), then every read goes to the database', async () => {
    const { repo, calls } = fakeRepository([destination('t', 'a')]);
    const cache = createDestinationCache(repo, { ttlMs: 60_000, maxTenants: 10 });
    await cache.enabledOf('t');
    await cache.enabledOf('t');
    await cache.find('t', 'a');
    expect(calls).toEqual({ list: 0, listEnabled: 2, get: 1 });
  });

  it('when trusted, then one load serves enabledOf and find until the tenant is invalidated', async () => {
    const { repo, calls, rows } = fakeRepository([destination('t', 'a'), destination('t', 'b', true), destination('u', 'c')]);
    const cache = createDestinationCache(repo, { ttlMs: 60_000, maxTenants: 10 });
    cache.setTrusted(true);
    expect((await cache.enabledOf('t')).map((d) => d.id)).toEqual(['a']);
    expect((await cache.find('t', 'b'))?.id).toBe('b');
    expect(await cache.find('t', 'zz')).toBeNull();
    expect(calls.list).toBe(1);
    rows.push(destination('t', 'd'));
    expect((await cache.enabledOf('t')).map((d) => d.id)).toEqual(['a']);
    cache.invalidate('t');
    expect((await cache.enabledOf('t')).map((d) => d.id)).toEqual(['a', 'd']);
    expect(calls.list).toBe(2);
  });

  it('when a tenant is invalidated while its load is under way, then later readers do not get that load', async () => {
    const { repo, rows, hold } = fakeRepository([destination('t', 'a')]);
    const cache = createDestinationCache(repo, { ttlMs: 60_000, maxTenants: 10 });
    cache.setTrusted(true);
    const release = hold();
    const early = cache.enabledOf('t');
    rows.push(destination('t', 'b'));
    cache.invalidate('t');
    release();
    expect((await early).map((d) => d.id)).toEqual(['a']);
    expect((await cache.enabledOf('t')).map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('when the notifications stop, then everything cached is dropped', async () => {
    const { repo, calls } = fakeRepository([destination('t', 'a')]);
    const cache = createDestinationCache(repo, { ttlMs: 60_000, maxTenants: 10 });
    cache.setTrusted(true);
    await cache.enabledOf('t');
    cache.setTrusted(false);
    expect(cache.size).toBe(0);
    await cache.enabledOf('t');
    expect(calls.listEnabled).toBe(1);
  });

  it('when an entry is older than the TTL, or over the tenant bound, then it is loaded again', async () => {
    let clock = 0;
    const { repo, calls } = fakeRepository([destination('t', 'a'), destination('u', 'b')]);
    const cache = createDestinationCache(repo, { ttlMs: 1_000, maxTenants: 1, now: () => clock });
    cache.setTrusted(true);
    await cache.enabledOf('t');
    clock = 999;
    await cache.enabledOf('t');
    expect(calls.list).toBe(1);
    clock = 1_000;
    await cache.enabledOf('t');
    expect(calls.list).toBe(2);
    await cache.enabledOf('u');
    expect(cache.size).toBe(1);
    await cache.enabledOf('t');
    expect(calls.list).toBe(4);
  });

  it('when this process writes a destination, then its own next read sees the write', async () => {
    const { repo, calls } = fakeRepository([destination('t', 'a')]);
    const cache = createDestinationCache(repo, { ttlMs: 60_000, maxTenants: 10 });
    cache.setTrusted(true);
    const writes = invalidatingWrites(repo as unknown as DestinationRepository, cache);
    expect(await cache.enabledOf('t')).toHaveLength(1);
    await writes.update('t', 'a', {});
    expect(await cache.enabledOf('t')).toHaveLength(2);
    expect(calls.list).toBe(2);
  });
});
