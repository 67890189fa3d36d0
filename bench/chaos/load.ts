import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';

/**
 * The publisher of a chaos run: an open loop at a fixed rate (event i is due at start + i/rate,
 * whether or not earlier publishes have answered), bounded by a count and a time. A publish that
 * times out, cannot connect or gets a 5xx / 408 / 429 is tried again with the SAME event id, as a
 * real publisher would, with exponential backoff (a 503's or 429's Retry-After is honoured), up to
 * a number of tries. Every try is recorded.
 */

/** `202`, another status as digits, `timeout`, or `connection_error`. */
export type PublishAnswer = string;

export interface PublishTry {
  readonly t1: number;
  readonly t2: number;
  readonly answer: PublishAnswer;
  /** undici's error code for timeouts and connection errors. */
  readonly errorCode?: string;
}

export interface PublishedEvent {
  readonly id: string;
  readonly tries: PublishTry[];
  /** A 202 was received. */
  accepted: boolean;
  /** `destination_ids` of the 202. */
  destinationIds: string[];
}

export interface LoadOptions {
  readonly origin: string;
  readonly tenantId: string;
  readonly topic: string;
  readonly runId: string;
  readonly events: number;
  readonly rate: number;
  readonly durationS: number;
  readonly timeoutMs: number;
  readonly maxTries: number;
  /** Aborting stops scheduling new events and retrying old ones. */
  readonly signal: AbortSignal;
  readonly progress?: (published: PublishedEvent[]) => void;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Backoff before try n+1 (n ≥ 1): 0.5 s doubling to 8 s, ±20 % jitter; Retry-After wins (capped at 30 s). */
export function backoffMs(tryNumber: number, retryAfter: string | undefined): number {
  const seconds = retryAfter === undefined ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 30) * 1000;
  const dated = retryAfter === undefined ? NaN : Date.parse(retryAfter) - Date.now();
  if (Number.isFinite(dated)) return Math.min(Math.max(dated, 0), 30_000);
  return Math.min(500 * 2 ** (tryNumber - 1), 8_000) * (0.8 + Math.random() * 0.4);
}

const retryable = (answer: PublishAnswer) =>
  answer === 'timeout' || answer === 'connection_error' || answer === '408' || answer === '429' || answer.startsWith('5');

export async function runLoad(outer: LoadOptions): Promise<PublishedEvent[]> {
  // Every waiting publish listens for the abort: one signal of our own, without the listener cap.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  if (outer.signal.aborted) stop.abort();
  outer.signal.addEventListener('abort', () => stop.abort(), { once: true });
  const options = { ...outer, signal: stop.signal };
  const pool = new Pool(options.origin, { connections: 64, keepAliveTimeout: 10_000, pipelining: 1 });
  const published: PublishedEvent[] = [];
  const inFlight: Promise<void>[] = [];
  const start = Date.now();
  const endAt = start + options.durationS * 1000;
  const ticker = setInterval(() => options.progress?.(published), 10_000);
  try {
    for (let i = 0; i < options.events && !options.signal.aborted; i++) {
      const due = start + (i * 1000) / options.rate;
      if (due >= endAt) break;
      await delay(Math.max(0, due - Date.now()), undefined, { signal: options.signal }).catch(() => undefined);
      if (options.signal.aborted) break;
      const event: PublishedEvent = { id: `evt-${options.runId}-${String(i).padStart(6, '0')}`, tries: [], accepted: false, destinationIds: [] };
      published.push(event);
      inFlight.push(publishUntilAnswered(pool, options, event));
    }
    await Promise.all(inFlight);
  } finally {
    clearInterval(ticker);
    await pool.close();
  }
  return published;
}

async function publishUntilAnswered(pool: Pool, options: LoadOptions, event: PublishedEvent): Promise<void> {
  const body = JSON.stringify({ id: event.id, tenant_id: options.tenantId, topic: options.topic, data: { run: options.runId, id: event.id } });
  for (let n = 1; n <= options.maxTries; n++) {
    const { attempt, retryAfter, destinationIds } = await publishOnce(pool, options, body);
    event.tries.push(attempt);
    if (attempt.answer === '202') {
      event.accepted = true;
      event.destinationIds = destinationIds;
      return;
    }
    if (!retryable(attempt.answer) || n === options.maxTries || options.signal.aborted) return;
    await delay(backoffMs(n, retryAfter), undefined, { signal: options.signal }).catch(() => undefined);
    if (options.signal.aborted) return;
  }
}

async function publishOnce(pool: Pool, options: LoadOptions, body: string) {
  const t1 = Date.now();
  try {
    const res = await pool.request({
      method: 'POST', path: '/api/v1/publish', headers: { 'content-type': 'application/json' }, body,
      headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs,
    });
    const text = await res.body.text();
    const t2 = Date.now();
    const retryAfter = res.headers['retry-after'];
    let destinationIds: string[] = [];
    if (res.statusCode === 202) destinationIds = (JSON.parse(text) as { destination_ids?: string[] }).destination_ids ?? [];
    return {
      attempt: { t1, t2, answer: String(res.statusCode) },
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      destinationIds,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unknown';
    const answer = TIMEOUT_CODES.has(code) ? 'timeout' : 'connection_error';
    return { attempt: { t1, t2: Date.now(), answer, errorCode: code }, retryAfter: undefined, destinationIds: [] };
  }
}
