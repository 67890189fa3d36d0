import type { Client } from '@temporalio/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeliveryClient, type DeliveryTarget } from './delivery-client.js';

/** A client whose starts resolve when the test says so. */
function fakeClient() {
  const pending: (() => void)[] = [];
  const client = {
    withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
    workflow: {
      start: () => new Promise<void>((resolve) => pending.push(resolve)),
    },
  } as unknown as Client;
  return { client, finishAll: () => pending.splice(0).forEach((resolve) => resolve()) };
}

const target = (n: number): DeliveryTarget => ({
  tenantId: 't', eventId: `e${n}`, topic: 'x', eligibleForRetry: true, destinationId: 'd', destinationType: 'webhook', target: 'u',
});

const delivery = { retryDelaysSeconds: [1], timeoutMs: 1000, attemptMode: 'local' as const, awaitManualRetrySeconds: 0 };

describe('delivery client: adaptive bound on starts in flight', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const starter = (client: Client) =>
    createDeliveryClient({ client, taskQueue: 'q', delivery, callTimeoutMs: 2_000, maxInFlight: 16 });

  type Deliveries = ReturnType<typeof starter>;

  /** One start that takes over half the deadline (slow), then completes. */
  const slowStart = async (s: Deliveries, finishAll: () => void, n: number) => {
    const call = s.start(target(n));
    await vi.advanceTimersByTimeAsync(1_500);
    finishAll();
    await call;
  };

  /** The bound applied now: the most calls that fit beside one in flight. */
  const boundOf = (s: Deliveries): number => {
    const held = s.reserve(1)!;
    let n = 0;
    while (s.hasCapacity(n + 1)) n += 1;
    held.release();
    return n + 1;
  };

  it('when many starts are slow together, then the bound is halved once, not once per start', async () => {
    const { client, finishAll } = fakeClient();
    const s = starter(client);
    const calls = Array.from({ length: 10 }, (_, i) => s.start(target(i)));
    await vi.advanceTimersByTimeAsync(1_500); // over half the deadline: slow
    finishAll();
    await Promise.all(calls);
    expect(boundOf(s)).toBe(8);
  });

  it('when a slow start began after the last halving, then it halves the bound again', async () => {
    const { client, finishAll } = fakeClient();
    const s = starter(client);
    await slowStart(s, finishAll, 1);
    await slowStart(s, finishAll, 2);
    expect(boundOf(s)).toBe(4);
  });

  it('when starts answer promptly, then the bound grows back by about one per round of calls', async () => {
    const { client, finishAll } = fakeClient();
    const s = starter(client);
    await slowStart(s, finishAll, 0);
    expect(boundOf(s)).toBe(8);
    for (let i = 0; i < 10; i++) {
      const call = s.start(target(i));
      finishAll();
      await call;
    }
    expect(boundOf(s)).toBe(9);
  });
});
