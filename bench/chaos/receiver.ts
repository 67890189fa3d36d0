import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashFraction } from '../receiver.js';

/**
 * The webhook receiver of a chaos run and its ledger of EVERY request: destination (the URL path),
 * event id (`X-Outpost-Event-Id`), attempt id (`X-Outpost-Attempt-Id`, null while the engine does
 * not send it), the status it answered and when. Times are `Date.now()`, the clock the worker
 * stamps attempt rows with, so a request and its row can be compared across processes.
 *
 * Answers are deterministic: a `failFirstFraction` of (event, destination) pairs, chosen by hash,
 * get 500 on their first request and 200 afterwards; `failRate` adds 500s to any request, also by
 * hash of (pair, request number). Every answer waits `latencyMs`.
 */

export interface ReceiverBehaviour {
  readonly latencyMs: number;
  readonly failFirstFraction: number;
  readonly failRate: number;
}

export interface ReceivedRequest {
  /** Arrival order over the whole run. */
  readonly seq: number;
  readonly tag: string;
  readonly eventId: string;
  readonly attemptId: string | null;
  /** Request head arrived (ms since the epoch). */
  readonly arrivedAt: number;
  /**
   * The status the receiver answered (the sender gets it unless it went away first); 0 when the
   * body never arrived in full, so nothing was answered.
   */
  status: number;
  answeredAt: number | null;
  /** The connection closed before the answer was written (the sender died or gave up). */
  abandoned: boolean;
}

const pairKey = (tag: string, eventId: string) => `${tag}|${eventId}`;
const BODY = Buffer.from('ok');

/** First requests of this pair are answered 500. */
export function failsFirst(tag: string, eventId: string, fraction: number): boolean {
  return fraction > 0 && hashFraction(pairKey(tag, eventId)) < fraction;
}

export class LedgerReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Requests with an unknown path or without an event id: a wiring problem, never Herald's success. */
  unattributable = 0;
  lastArrivalAt = 0;
  private readonly perPair = new Map<string, number>();
  private readonly answered2xx = new Set<string>();
  private readonly tags = new Set<string>();
  private readonly server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => this.handle(req, res));
  private port = 0;

  constructor(private readonly behaviour: ReceiverBehaviour) {}

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Registers a destination path and returns its URL. */
  route(tag: string): string {
    this.tags.add(tag);
    return `http://127.0.0.1:${this.port}/${tag}`;
  }

  /** True once some request of this pair was answered 2xx. */
  delivered(tag: string, eventId: string): boolean {
    return this.answered2xx.has(pairKey(tag, eventId));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const arrivedAt = Date.now();
    this.lastArrivalAt = arrivedAt;
    const tag = (req.url ?? '/').slice(1).split(/[/?]/, 1)[0] ?? '';
    const eventId = header(req, 'x-outpost-event-id') ?? header(req, 'webhook-id');
    req.resume();
    if (!this.tags.has(tag) || !eventId) {
      this.unattributable += 1;
      res.writeHead(404).end();
      return;
    }
    const key = pairKey(tag, eventId);
    const index = this.perPair.get(key) ?? 0;
    this.perPair.set(key, index + 1);
    const request: ReceivedRequest = {
      seq: this.requests.length, tag, eventId, attemptId: header(req, 'x-outpost-attempt-id') ?? null,
      arrivedAt, status: this.statusFor(tag, eventId, index), answeredAt: null, abandoned: false,
    };
    this.requests.push(request);
    let bodyIn = false;
    res.once('close', () => {
      if (res.writableFinished) return;
      request.abandoned = true;
      if (!bodyIn) request.status = 0;
    });
    const answer = () => {
      request.answeredAt = Date.now();
      if (request.status >= 200 && request.status < 300) this.answered2xx.add(key);
      if (res.destroyed) return;
      res.writeHead(request.status, { 'content-type': 'text/plain', 'content-length': BODY.length }).end(BODY);
    };
    // Answer once the body is in, as a real receiver would.
    req.once('end', () => {
      bodyIn = true;
      if (this.behaviour.latencyMs > 0) setTimeout(answer, this.behaviour.latencyMs);
      else answer();
    });
    req.once('error', () => undefined);
  }

  private statusFor(tag: string, eventId: string, index: number): number {
    if (index === 0 && failsFirst(tag, eventId, this.behaviour.failFirstFraction)) return 500;
    if (this.behaviour.failRate > 0 && hashFraction(`${pairKey(tag, eventId)}|${index}`) < this.behaviour.failRate) return 500;
    return 200;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
