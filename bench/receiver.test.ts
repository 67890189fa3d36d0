import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.js';
import { Receiver } from './receiver.js';

describe('Receiver.recordDelivery', () => {
  it('when a broker consumer records an event, then the ledger counts and times it like a webhook request, and a second copy as a duplicate', async () => {
    const receiver = new Receiver();
    const ledger = new Ledger(receiver, ['rmq']);
    const delivered = ledger.accept({ id: 'e1', t0: 100, t1: 101, t2: 110, tags: ['rmq'] });

    receiver.recordDelivery('rmq', 'e1', 150);
    await delivered;
    receiver.recordDelivery('rmq', 'e1', 160);
    receiver.recordDelivery('rmq', 'stranger', 170);
    ledger.close();

    expect(ledger.result()).toMatchObject({ delivered: 1, missing: 0, duplicates: 1, unexpected: 1, balanced: true });
    expect(ledger.latencies().delivery_ms).toMatchObject({ count: 1, p50: 50 });
  });
});
