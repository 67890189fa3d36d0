import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { now } from './clock.js';

/**
 * The webhook receiver of the benchmark. It runs IN the bench process (not a child) so that its
 * t3 and the load generator's t0…t2 come from the same clock; the price is that both share one
 * event loop, which is why the report shows the bench process's own CPU and event-loop delay.
 *
 * Each destination gets its own path (`/<tag>`), and each tag its own behaviour. An event is
 * identified by the `X-Outpost-Event-Id` header (or `webhook-id` in Standard Webhooks mode).
 * t3 is taken when Node emits 'request', i.e. when the request head has arrived: the first byte
 * a receiver can act on.
 */

export interface Behaviour {
  /** Delay before answering, in ms. */
  readonly latencyMs: number;
  /** Probability that any request is answered 500 (random, not deterministic). */
  readonly failureRate: number;
  /**
   * Deterministic flakiness for the retry scenario: events whose id hashes below `fraction` get
   * their first `attempts` requests answered 503, and every later one 200.
   */
  readonly failFirst?: { readonly fraction: number; readonly attempts: number };
  /** Answer every request 503 (the backlog scenario: every delivery goes to its retry timer). */
  readonly alwaysFail?: boolean;
}

export interface Arrival {
  /** Request head received (ms, `now()` clock). */
  readonly t3: number;
  /** When the response was written; `null` while the answer is pending. */
  answeredAt: number | null;
  readonly status: number;
}

export type ArrivalListener = (tag: string, eventId: string, arrival: Arrival, attempt: number) => void;

const OK = Buffer.from('ok');

/**
 * FNV-1a over the id with murmur3's final mix, mapped to [0, 1): the same event is flaky in every
 * run. The final mix matters: ids differ only in their last characters (a sequence number), and
 * plain FNV-1a leaves the top bits, which decide the fraction, nearly the same for all of them.
 */
export function hashFraction(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

export const arrivalKey = (tag: string, eventId: string): string => `${tag}|${eventId}`;

export class Receiver {
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly arrivals = new Map<string, Arrival[]>();
  private readonly listeners = new Set<ArrivalListener>();
  private readonly server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => this.handle(req, res));
  private port = 0;
  /** Requests without a known tag or event id (answered 404); non-zero means a wiring problem. */
  unknown = 0;
  /** Every request seen, including the baseline's. */
  total = 0;

  async listen(host = '127.0.0.1'): Promise<void> {
    this.server.headersTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Registers a destination path and returns its URL. */
  route(tag: string, behaviour: Behaviour): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(tag)) throw new Error(`bad receiver tag ${tag}`);
    this.behaviours.set(tag, behaviour);
    return `${this.origin}/${tag}`;
  }

  onArrival(listener: ArrivalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every request for one event at one destination, in arrival order. */
  arrivalsOf(tag: string, eventId: string): readonly Arrival[] {
    return this.arrivals.get(arrivalKey(tag, eventId)) ?? [];
  }

  /** All keys (tag|eventId) seen for a tag, to find deliveries nobody published (unexpected). */
  *keysOf(tag: string): Iterable<string> {
    const prefix = `${tag}|`;
    for (const key of this.arrivals.keys()) if (key.startsWith(prefix)) yield key;
  }

  /** Forgets a tag's arrivals (after a scenario is reported) so memory stays bounded. */
  forget(tag: string): void {
    for (const key of [...this.keysOf(tag)]) this.arrivals.delete(key);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const t3 = now();
    this.total += 1;
    const tag = (req.url ?? '/').slice(1).split(/[/?]/, 1)[0] ?? '';
    const idHeader = req.headers['x-outpost-event-id'] ?? req.headers['webhook-id'];
    const eventId = Array.isArray(idHeader) ? idHeader[0] : idHeader;
    const behaviour = this.behaviours.get(tag);
    if (!behaviour || !eventId) {
      this.unknown += 1;
      req.resume();
      res.writeHead(404).end();
      return;
    }
    const list = this.arrivalList(tag, eventId);
    const attempt = list.length + 1;
    const arrival: Arrival = { t3, answeredAt: null, status: this.statusFor(behaviour, eventId, attempt) };
    list.push(arrival);
    const answer = () => {
      arrival.answeredAt = now();
      res.writeHead(arrival.status, { 'content-type': 'text/plain', 'content-length': OK.length });
      res.end(OK);
      this.notify(tag, eventId, arrival, attempt);
    };
    // Answer only once the body is read, as a real receiver would (and keep-alive stays clean).
    req.resume();
    req.once('end', () => {
      if (behaviour.latencyMs > 0) setTimeout(answer, behaviour.latencyMs);
      else answer();
    });
  }

  /**
   * An arrival through another channel than HTTP (a broker consumer in this process), taken as a
   * successful delivery at `t3`, so ledgers count and time it exactly as they do a webhook's.
   */
  recordDelivery(tag: string, eventId: string, t3: number): void {
    const list = this.arrivalList(tag, eventId);
    const arrival: Arrival = { t3, answeredAt: t3, status: 200 };
    list.push(arrival);
    this.notify(tag, eventId, arrival, list.length);
  }

  private arrivalList(tag: string, eventId: string): Arrival[] {
    const key = arrivalKey(tag, eventId);
    let list = this.arrivals.get(key);
    if (!list) this.arrivals.set(key, (list = []));
    return list;
  }

  private notify(tag: string, eventId: string, arrival: Arrival, attempt: number): void {
    for (const listener of this.listeners) listener(tag, eventId, arrival, attempt);
  }

  private statusFor(behaviour: Behaviour, eventId: string, attempt: number): number {
    if (behaviour.alwaysFail) return 503;
    if (behaviour.failFirst && hashFraction(eventId) < behaviour.failFirst.fraction && attempt <= behaviour.failFirst.attempts) {
      return 503;
    }
    if (behaviour.failureRate > 0 && Math.random() < behaviour.failureRate) return 500;
    return 200;
  }
}
