import { describe, expect, it } from 'vitest';
import { createStatementBatcher } from './statement-batcher.js';

function controlled() {
  const batches: number[][] = [];
  const pending: (() => void)[] = [];
  let fail: Error | null = null;
  const run = (inputs: readonly number[]) => {
    batches.push([...inputs]);
    return new Promise<number[]>((resolve, reject) => {
      pending.push(() => (fail ? reject(fail) : resolve(inputs.map((x) => x * 10))));
    });
  };
  return { run, batches, releaseNext: () => pending.shift()?.(), failWith: (e: Error) => (fail = e) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('statement batcher', () => {
  it('when a call comes alone, then it runs at once by itself', async () => {
    const c = controlled();
    const call = createStatementBatcher(c.run, { maxBatch: 10 });
    const one = call(1);
    expect(c.batches).toEqual([[1]]);
    c.releaseNext();
    expect(await one).toBe(10);
  });

  it('when calls come while a batch is in the database, then they go together next, each with its own result', async () => {
    const c = controlled();
    const call = createStatementBatcher(c.run, { maxBatch: 10 });
    const first = call(1);
    const rest = [call(2), call(3), call(4)];
    expect(c.batches).toEqual([[1]]);
    c.releaseNext();
    await first;
    await tick();
    expect(c.batches).toEqual([[1], [2, 3, 4]]);
    c.releaseNext();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
  });

  it('when more are queued than a batch holds, then they are split', async () => {
    const c = controlled();
    const call = createStatementBatcher(c.run, { maxBatch: 2 });
    const all = [call(1), call(2), call(3), call(4)];
    for (let i = 0; i < 3; i++) {
      c.releaseNext();
      await tick();
    }
    expect(c.batches).toEqual([[1], [2, 3], [4]]);
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40]);
  });

  it('when a batch fails, then each of its callers gets the error and later calls still run', async () => {
    const c = controlled();
    const call = createStatementBatcher(c.run, { maxBatch: 10 });
    c.failWith(new Error('connection lost'));
    const a = call(1);
    const b = call(2);
    c.releaseNext();
    await expect(a).rejects.toThrow('connection lost');
    await tick();
    c.releaseNext();
    await expect(b).rejects.toThrow('connection lost');
  });
});
