import { describe, expect, it } from 'vitest';
import { createSignalBatcher } from './signal-batcher.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('signal batcher', () => {
  it('when items arrive within the interval, then one send carries them all and every caller resolves', async () => {
    const sends: [string, number[]][] = [];
    const batcher = createSignalBatcher<number>({ flushIntervalMs: 20, maxItems: 100, send: async (k, items) => void sends.push([k, items]) });
    await Promise.all([1, 2, 3].map((n) => batcher.add('a', n)));
    expect(sends).toEqual([['a', [1, 2, 3]]]);
  });

  it('when keys differ, then each key gets its own signal', async () => {
    const sends: string[] = [];
    const batcher = createSignalBatcher<number>({ flushIntervalMs: 5, maxItems: 100, send: async (k) => void sends.push(k) });
    await Promise.all([batcher.add('a', 1), batcher.add('b', 2), batcher.add('a', 3)]);
    expect(sends.sort()).toEqual(['a', 'b']);
  });

  it('when a batch is full, then it is sent at once and the rest wait for the next', async () => {
    const sends: number[][] = [];
    const batcher = createSignalBatcher<number>({ flushIntervalMs: 10_000, maxItems: 2, send: async (_k, items) => void sends.push(items) });
    const all = [1, 2, 3, 4].map((n) => batcher.add('a', n));
    await Promise.all(all);
    expect(sends).toEqual([[1, 2], [3, 4]]);
  });

  it('when the send fails, then exactly that batch\'s callers reject', async () => {
    let fail = true;
    const batcher = createSignalBatcher<number>({ flushIntervalMs: 5, maxItems: 100, send: async () => { if (fail) throw new Error('down'); } });
    await expect(batcher.add('a', 1)).rejects.toThrow('down');
    fail = false;
    await expect(batcher.add('a', 2)).resolves.toBeUndefined();
  });

  it('when a send is in flight, then the next batch for that key waits for it (one signal at a time)', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const batcher = createSignalBatcher<number>({
      flushIntervalMs: 1, maxItems: 1,
      send: async () => { inFlight++; maxInFlight = Math.max(maxInFlight, inFlight); await tick(10); inFlight--; },
    });
    await Promise.all(Array.from({ length: 5 }, (_, i) => batcher.add('a', i)));
    expect(maxInFlight).toBe(1);
  });

  it('when the byte cap is reached, then the batch is sent', async () => {
    const sends: string[][] = [];
    const batcher = createSignalBatcher<string>({
      flushIntervalMs: 10_000, maxItems: 100, maxBytes: 10, sizeOf: (s) => s.length,
      send: async (_k, items) => void sends.push(items),
    });
    await batcher.add('a', 'x'.repeat(12));
    expect(sends).toEqual([['x'.repeat(12)]]);
  });

  it('when closed, then queued items are sent before it resolves', async () => {
    const sends: number[][] = [];
    const batcher = createSignalBatcher<number>({ flushIntervalMs: 10_000, maxItems: 100, send: async (_k, items) => void sends.push(items) });
    const pending = batcher.add('a', 7);
    await batcher.close();
    await pending;
    expect(sends).toEqual([[7]]);
    await expect(batcher.add('a', 8)).rejects.toThrow('closed');
  });
});
