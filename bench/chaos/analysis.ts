import { summarize, type Summary } from '../stats.js';
import { correlatePair, INTERRUPTED, isHttpCode, type CorrelatedRow } from './correlate.js';
import type { PublishedEvent } from './load.js';
import type { AttemptRow, EventRow } from './log-reader.js';
import type { ReceivedRequest } from './receiver.js';

/**
 * The verdict of a chaos run, computed from three independent records: what the publisher was
 * told (202s and their destination ids), what the receiver saw (every request), and what Herald
 * says happened (its attempt log and event log, read through the API). Pure.
 */

export interface AnalysisInput {
  readonly published: readonly PublishedEvent[];
  readonly requests: readonly ReceivedRequest[];
  readonly unattributableRequests: number;
  readonly attempts: readonly AttemptRow[];
  readonly events: readonly EventRow[];
  /** destination id → receiver path tag */
  readonly tags: ReadonlyMap<string, string>;
  /**
   * Requests that arrived from this time on (ms since the epoch) and have no row yet are counted
   * as in flight, not as unrecorded: the logs were read while deliveries still ran (the settle
   * phase timed out), and their rows may not have been written yet. null: judge every request.
   */
  readonly inFlightFrom: number | null;
}

export type DisagreementReason = 'status_contradicts_code' | 'code_differs_from_answer' | 'no_such_request' | 'success_without_2xx';

export interface PairSample {
  readonly event_id: string;
  readonly destination_id: string;
  readonly requests: { seq: number; arrived_at: string; status: number; attempt_id: string | null; row: string | null }[];
  readonly rows: { id: string; attempt_number: number; status: string; code: string; time: string }[];
}

export interface Findings {
  readonly publish: {
    events: number; accepted: number; accepted_after_retry: number; gave_up: number;
    answers: Record<string, number>; error_codes: Record<string, number>;
    latency_ms: Summary; latency_202_ms: Summary;
  };
  readonly delivery: {
    expected_pairs: number; delivered_pairs: number; missing_pairs: number;
    delivered_without_202_pairs: number; requests: number; unattributable_requests: number;
    missing_samples: PairSample[];
  };
  readonly duplicates: {
    pairs: number; recorded: number; unrecorded: number; in_flight: number; recorded_pct: number; extra_requests: number; samples: PairSample[];
  };
  readonly attempt_log: {
    rows: number; rows_by_code: Record<string, number>; interrupted_rows: number; interrupted_matched: number;
    unrecorded_requests: number; in_flight_requests: number; unrecorded_samples: PairSample[];
    disagreeing_rows: number; disagreeing_by_reason: Partial<Record<DisagreementReason, number>>; disagreeing_samples: PairSample[];
  };
  readonly event_log: {
    events: number; accepted_not_listed: number;
    stored_unsent_events: number; stored_unsent_pairs: number; stored_unsent_samples: string[];
  };
}

const SAMPLES = 10;
const pairKey = (eventId: string, destinationId: string) => `${eventId}|${destinationId}`;
const is2xx = (status: number) => status >= 200 && status < 300;
const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

interface Pair {
  readonly eventId: string;
  readonly destinationId: string;
  readonly requests: ReceivedRequest[];
  readonly rows: AttemptRow[];
}

function groupPairs(input: AnalysisInput): Map<string, Pair> {
  const destinationOf = new Map([...input.tags].map(([id, tag]) => [tag, id]));
  const pairs = new Map<string, Pair>();
  const pair = (eventId: string, destinationId: string) => {
    const key = pairKey(eventId, destinationId);
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { eventId, destinationId, requests: [], rows: [] }));
    return p;
  };
  for (const r of input.requests) pair(r.eventId, destinationOf.get(r.tag) ?? `?${r.tag}`).requests.push(r);
  for (const row of input.attempts) pair(row.event_id, row.destination_id).rows.push(row);
  return pairs;
}

const toRow = (row: AttemptRow): CorrelatedRow => ({
  id: row.id, attemptNumber: row.attempt_number, status: row.status, code: row.code, time: Date.parse(row.time),
});

function sample(pair: Pair, rowOf: Map<number, CorrelatedRow>): PairSample {
  return {
    event_id: pair.eventId,
    destination_id: pair.destinationId,
    requests: pair.requests.map((r) => ({
      seq: r.seq, arrived_at: new Date(r.arrivedAt).toISOString(), status: r.status, attempt_id: r.attemptId, row: rowOf.get(r.seq)?.id ?? null,
    })),
    rows: pair.rows.map((r) => ({ id: r.id, attempt_number: r.attempt_number, status: r.status, code: r.code, time: r.time })),
  };
}

/** Why a row disagrees with the receiver, or null when it does not. `interrupted` rows never do. */
export function disagreement(row: CorrelatedRow, answer: number | undefined): DisagreementReason | null {
  if (row.code === INTERRUPTED) return null;
  if (isHttpCode(row.code)) {
    if ((row.status === 'success') !== is2xx(Number(row.code))) return 'status_contradicts_code';
    if (answer === undefined) return 'no_such_request';
    if (Number(row.code) !== answer) return 'code_differs_from_answer';
    return null;
  }
  if (row.status === 'success' && (answer === undefined || !is2xx(answer))) return 'success_without_2xx';
  return null;
}

function publishFindings(published: readonly PublishedEvent[]): Findings['publish'] {
  const answers: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  const latency: number[] = [];
  const latency202: number[] = [];
  for (const event of published) {
    for (const t of event.tries) {
      bump(answers, t.answer);
      if (t.errorCode) bump(errorCodes, t.errorCode);
      if (/^\d+$/.test(t.answer)) latency.push(t.t2 - t.t1);
      if (t.answer === '202') latency202.push(t.t2 - t.t1);
    }
  }
  const accepted = published.filter((e) => e.accepted);
  return {
    events: published.length,
    accepted: accepted.length,
    accepted_after_retry: accepted.filter((e) => e.tries.length > 1).length,
    gave_up: published.length - accepted.length,
    answers, error_codes: errorCodes,
    latency_ms: summarize(latency), latency_202_ms: summarize(latency202),
  };
}

export function analyse(input: AnalysisInput): Findings {
  const pairs = groupPairs(input);
  const expected = new Set(input.published.filter((e) => e.accepted).flatMap((e) => e.destinationIds.map((d) => pairKey(e.id, d))));
  const delivered = (p: Pair | undefined) => p !== undefined && p.requests.some((r) => is2xx(r.status));

  const missing: Pair[] = [];
  for (const key of expected) {
    const p = pairs.get(key);
    if (!delivered(p)) missing.push(p ?? { eventId: key.split('|')[0]!, destinationId: key.split('|')[1]!, requests: [], rows: [] });
  }

  const rowsByCode: Record<string, number> = {};
  const byReason: Partial<Record<DisagreementReason, number>> = {};
  const dup = { pairs: 0, recorded: 0, unrecorded: 0, inFlight: 0, extra: 0, samples: [] as PairSample[] };
  const inFlight = (r: ReceivedRequest) => input.inFlightFrom !== null && r.arrivedAt >= input.inFlightFrom;
  const log = { interrupted: 0, interruptedMatched: 0, unrecorded: 0, inFlight: 0, unrecordedSamples: [] as PairSample[], disagreeing: 0, disagreeingSamples: [] as PairSample[] };
  for (const p of pairs.values()) {
    const rows = p.rows.map(toRow);
    const rowOf = correlatePair(p.requests, rows);
    const answerOf = new Map([...rowOf].map(([seq, row]) => [row.id, p.requests.find((r) => r.seq === seq)!.status]));
    let disagreeing = false;
    for (const row of rows) {
      bump(rowsByCode, row.code);
      if (row.code === INTERRUPTED) {
        log.interrupted += 1;
        if (answerOf.has(row.id)) log.interruptedMatched += 1;
      }
      const reason = disagreement(row, answerOf.get(row.id));
      if (reason) {
        byReason[reason] = (byReason[reason] ?? 0) + 1;
        log.disagreeing += 1;
        disagreeing = true;
      }
    }
    if (disagreeing && log.disagreeingSamples.length < SAMPLES) log.disagreeingSamples.push(sample(p, rowOf));
    const rowless = p.requests.filter((r) => !rowOf.has(r.seq));
    const unrecorded = rowless.filter((r) => !inFlight(r));
    log.unrecorded += unrecorded.length;
    log.inFlight += rowless.length - unrecorded.length;
    if (unrecorded.length > 0 && log.unrecordedSamples.length < SAMPLES) log.unrecordedSamples.push(sample(p, rowOf));

    // A duplicate: any request after the first one answered 2xx (arrival order).
    const ordered = [...p.requests].sort((a, b) => a.arrivedAt - b.arrivedAt || a.seq - b.seq);
    const first = ordered.findIndex((r) => is2xx(r.status));
    if (first >= 0 && first < ordered.length - 1) {
      dup.pairs += 1;
      dup.extra += ordered.length - 1 - first;
      const sends = ordered.slice(first).filter((r) => !rowOf.has(r.seq));
      if (sends.length === 0) dup.recorded += 1;
      else if (sends.every(inFlight)) dup.inFlight += 1;
      else dup.unrecorded += 1;
      if (dup.samples.length < SAMPLES) dup.samples.push(sample(p, rowOf));
    }
  }

  const listed = new Set(input.events.map((e) => e.id));
  const unsent = input.events.flatMap((e) => e.matched_destination_ids
    .filter((d) => {
      const p = pairs.get(pairKey(e.id, d));
      return !p || (p.requests.length === 0 && p.rows.length === 0);
    })
    .map((d) => pairKey(e.id, d)));
  const acceptedIds = new Set(input.published.filter((e) => e.accepted).map((e) => e.id));

  return {
    publish: publishFindings(input.published),
    delivery: {
      expected_pairs: expected.size,
      delivered_pairs: expected.size - missing.length,
      missing_pairs: missing.length,
      delivered_without_202_pairs: [...pairs.entries()].filter(([key, p]) => !expected.has(key) && delivered(p)).length,
      requests: input.requests.length,
      unattributable_requests: input.unattributableRequests,
      missing_samples: missing.slice(0, SAMPLES).map((p) => sample(p, correlatePair(p.requests, p.rows.map(toRow)))),
    },
    duplicates: {
      pairs: dup.pairs, recorded: dup.recorded, unrecorded: dup.unrecorded, in_flight: dup.inFlight, extra_requests: dup.extra, samples: dup.samples,
      recorded_pct: expected.size === 0 ? 0 : Number(((dup.recorded / expected.size) * 100).toFixed(3)),
    },
    attempt_log: {
      rows: input.attempts.length, rows_by_code: rowsByCode,
      interrupted_rows: log.interrupted, interrupted_matched: log.interruptedMatched,
      unrecorded_requests: log.unrecorded, in_flight_requests: log.inFlight, unrecorded_samples: log.unrecordedSamples,
      disagreeing_rows: log.disagreeing, disagreeing_by_reason: byReason, disagreeing_samples: log.disagreeingSamples,
    },
    event_log: {
      events: input.events.length,
      accepted_not_listed: [...acceptedIds].filter((id) => !listed.has(id)).length,
      stored_unsent_events: new Set(unsent.map((k) => k.split('|')[0])).size,
      stored_unsent_pairs: unsent.length,
      stored_unsent_samples: unsent.slice(0, SAMPLES),
    },
  };
}
