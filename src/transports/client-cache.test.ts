import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientKey, createClientCache } from './client-cache.js';

function fakeClients() {
  const closed: string[] = [];
  return {
    closed,
    cache: (idleMs = 0, maxEntries = 10) =>
      createClientCache<{ name: string }>({ close: async (c) => void closed.push(c.name), idleMs, maxEntries }),
  };
}

afterEach(() => vi.useRealTimers());

describe('transport client cache', () => {
  it('when the same configuration is asked for twice, then one client is opened and reused', () => {
    const { cache } = fakeClients();
    const clients = cache();
    let opened = 0;
    const open = () => ({ name: `c${++opened}` });
    expect(clients.get('k', open)).toBe(clients.get('k', open));
    expect(opened).toBe(1);
  });

  it('when a key is evicted, then its client is closed and the next get opens a new one', async () => {
    const { cache, closed } = fakeClients();
    const clients = cache();
    clients.get('k', () => ({ name: 'first' }));
    await clients.evict('k');
    expect(closed).toEqual(['first']);
    expect(clients.get('k', () => ({ name: 'second' })).name).toBe('second');
  });

  it('when more clients than the limit are open, then the least recently used is closed', () => {
    const { cache, closed } = fakeClients();
    const clients = cache(0, 2);
    clients.get('a', () => ({ name: 'a' }));
    clients.get('b', () => ({ name: 'b' }));
    clients.get('a', () => ({ name: 'unused' }));
    clients.get('c', () => ({ name: 'c' }));
    expect(closed).toEqual(['b']);
    expect(clients.size).toBe(2);
  });

  it('when a client stays idle past the idle time, then it is closed', async () => {
    vi.useFakeTimers();
    const { cache, closed } = fakeClients();
    const clients = cache(10_000);
    clients.get('a', () => ({ name: 'a' }));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(closed).toEqual(['a']);
    expect(clients.size).toBe(0);
    await clients.close();
  });

  it('when the cache closes, then every client is closed and no new one is opened', async () => {
    const { cache, closed } = fakeClients();
    const clients = cache();
    clients.get('a', () => ({ name: 'a' }));
    clients.get('b', () => ({ name: 'b' }));
    await clients.close();
    expect(closed.sort()).toEqual(['a', 'b']);
    expect(() => clients.get('c', () => ({ name: 'c' }))).toThrow(/closed/);
  });

  it('when two configurations differ only in key order, then they share a key; any other difference does not', () => {
    expect(clientKey({ a: 1, b: { c: 2, d: 3 } })).toBe(clientKey({ b: { d: 3, c: 2 }, a: 1 }));
    expect(clientKey({ a: 1 }, { secret: 'x' })).not.toBe(clientKey({ a: 1 }, { secret: 'y' }));
  });
});
