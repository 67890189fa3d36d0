import { now, sleep } from './clock.js';
import { arrivalKey, type Arrival, type Receiver } from './receiver.js';
import { summarize, type Summary } from './stats.js';

/**
 * The ledger of one scenario: which events were accepted (202) and at which destinations they
 * must arrive, checked against what the receiver saw. `expected = delivered + missing` always;
 * a scenario with `missing > 0` after the drain timeout is FAILED, never averaged away.
 *
 * "Delivered" means a 2xx answer from the receiver (mode `success`), or, for the backlog scenario
 * whose receiver fails on purpose, that the first attempt arrived (mode `reached`).
 */

export type DeliveredWhen = 'success' | 'reached';

export interface PublishedEvent {
  readonly id: string;
  /** Scheduled send time (open loop) or the moment the client was free to send (closed loop). */
  readonly t0: number;
  /** Request handed to the HTTP client. */
  readonly t1: number;
  /** Response head (202) received. */
  readonly t2: number;
  readonly tags: readonly string[];
}

export interface LedgerResult {
  readonly events_published: number;
  readonly publish_errors: number;
  readonly publish_error_samples: readonly string[];
  readonly deliveries_expected: number;
  readonly delivered: number;
  readonly missing: number;
  /** Extra 2xx requests for an event+destination already delivered. */
  readonly duplicates: number;
  /** Requests for events this ledger never saw accepted (e.g. a publish that timed out but did start). */
  readonly unexpected: number;
  readonly balanced: boolean;
  readonly missing_samples: readonly string[];
}

export interface LedgerLatencies {
  /** t1 → t2 */
  readonly publish_ms: Summary;
  /** t0 → t3 (first counted arrival), one sample per event and destination */
  readonly delivery_ms: Summary;
  /** t0 → t1: how late the generator sent; large values mean the generator, not Herald, lagged */
  readonly send_lag_ms: Summary;
}

const counts = (arrival: Arrival, mode: DeliveredWhen) => mode === 'reached' || (arrival.status >= 200 && arrival.status < 300);

export class Ledger {
  private readonly events: PublishedEvent[] = [];
  private readonly outstanding = new Set<string>();
  private readonly remaining = new Map<string, { left: number; resolve: (() => void) | null }>();
  private readonly firstT3 = new Map<string, number>();
  private readonly errorSamples: string[] = [];
  private errors = 0;
  private readonly stopListening: () => void;

  constructor(
    private readonly receiver: Receiver,
    private readonly tags: readonly string[],
    private readonly mode: DeliveredWhen = 'success',
  ) {
    this.stopListening = receiver.onArrival((tag, eventId, arrival) => {
      if (counts(arrival, mode)) this.settle(arrivalKey(tag, eventId), eventId, arrival.t3);
    });
  }

  get published(): number {
    return this.events.length;
  }

  get outstandingCount(): number {
    return this.outstanding.size;
  }

  /** Deliveries counted so far with t3 in [from, to), for rates over a window. */
  deliveredBetween(from: number, to: number): number {
    let n = 0;
    for (const t of this.firstT3.values()) if (t >= from && t < to) n += 1;
    return n;
  }

  deliveredCount(): number {
    return this.firstT3.size;
  }

  /** Records an accepted event; resolves when it has arrived at every destination (or never). */
  accept(event: PublishedEvent): Promise<void> {
    this.events.push(event);
    const entry = { left: 0, resolve: null as (() => void) | null };
    this.remaining.set(event.id, entry);
    for (const tag of event.tags) {
      const key = arrivalKey(tag, event.id);
      const arrived = this.receiver.arrivalsOf(tag, event.id).find((a) => counts(a, this.mode));
      if (arrived) {
        // Delivery can beat the 202: the worker may deliver before the API has answered.
        if (!this.firstT3.has(key)) this.firstT3.set(key, arrived.t3);
      } else {
        this.outstanding.add(key);
        entry.left += 1;
      }
    }
    if (entry.left === 0) return Promise.resolve();
    return new Promise((resolve) => {
      entry.resolve = resolve;
    });
  }

  rejectPublish(reason: string): void {
    this.errors += 1;
    if (this.errorSamples.length < 5) this.errorSamples.push(reason);
  }

  /**
   * Waits until nothing is outstanding, or until nothing has arrived for `idleTimeoutMs` (so a
   * long backlog that is still draining is not cut off, and a stuck one is not waited on forever).
   * True when drained.
   */
  async drain(idleTimeoutMs: number, onTick?: (left: number) => void, signal?: AbortSignal): Promise<boolean> {
    let left = this.outstanding.size;
    let progressAt = now();
    let tickAt = now();
    while (this.outstanding.size > 0 && now() - progressAt < idleTimeoutMs && !signal?.aborted) {
      await sleep(50);
      if (this.outstanding.size < left) {
        left = this.outstanding.size;
        progressAt = now();
      }
      if (onTick && now() - tickAt >= 2_000) {
        tickAt = now();
        onTick(this.outstanding.size);
      }
    }
    return this.outstanding.size === 0;
  }

  close(): void {
    this.stopListening();
    // Closed-loop clients still waiting on a missing delivery are released; the miss is in the result.
    for (const entry of this.remaining.values()) entry.resolve?.();
  }

  result(): LedgerResult {
    let expected = 0;
    let delivered = 0;
    let duplicates = 0;
    const missingSamples: string[] = [];
    const known = new Set<string>();
    for (const event of this.events) {
      for (const tag of event.tags) {
        expected += 1;
        const key = arrivalKey(tag, event.id);
        known.add(key);
        const ok = this.receiver.arrivalsOf(tag, event.id).filter((a) => counts(a, this.mode)).length;
        if (ok > 0) delivered += 1;
        else if (missingSamples.length < 5) missingSamples.push(key);
        if (this.mode === 'success' && ok > 1) duplicates += ok - 1;
      }
    }
    let unexpected = 0;
    for (const tag of this.tags) for (const key of this.receiver.keysOf(tag)) if (!known.has(key)) unexpected += 1;
    const missing = expected - delivered;
    return {
      events_published: this.events.length,
      publish_errors: this.errors,
      publish_error_samples: this.errorSamples,
      deliveries_expected: expected,
      delivered,
      missing,
      duplicates,
      unexpected,
      balanced: expected === delivered + missing,
      missing_samples: missingSamples,
    };
  }

  /** Latencies over the accepted events whose t0 lies in [from, to) (default: all). */
  latencies(from = -Infinity, to = Infinity): LedgerLatencies {
    const publish: number[] = [];
    const delivery: number[] = [];
    const lag: number[] = [];
    for (const e of this.events) {
      if (e.t0 < from || e.t0 >= to) continue;
      publish.push(e.t2 - e.t1);
      lag.push(e.t1 - e.t0);
      for (const tag of e.tags) {
        const t3 = this.firstT3.get(arrivalKey(tag, e.id));
        if (t3 !== undefined) delivery.push(t3 - e.t0);
      }
    }
    return { publish_ms: summarize(publish), delivery_ms: summarize(delivery), send_lag_ms: summarize(lag) };
  }

  /** Per event: t0 and the t3 of each destination (undefined when missing), for fan-out maths. */
  *perEvent(): Iterable<{ event: PublishedEvent; t3s: (number | undefined)[] }> {
    for (const event of this.events) {
      yield { event, t3s: event.tags.map((tag) => this.firstT3.get(arrivalKey(tag, event.id))) };
    }
  }

  allEvents(): readonly PublishedEvent[] {
    return this.events;
  }

  private settle(key: string, eventId: string, t3: number): void {
    if (!this.outstanding.delete(key)) return;
    this.firstT3.set(key, t3);
    const entry = this.remaining.get(eventId);
    if (entry && --entry.left === 0) entry.resolve?.();
  }
}
