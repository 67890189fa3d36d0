import { summarize, type Summary } from '../stats.js';
import type { PublishedEvent } from './load.js';
import type { AttemptRow, EventRow } from './log-reader.js';
import { groupPairs, is2xx, judgePair, pairKey, type DisagreementReason, type Pair, type PairSample } from './pair-judgement.js';
import type { ReceivedRequest } from './receiver.js';

/**
 * The findings of a chaos run, computed from three independent records: what the publisher was
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
   * Requests that arrived from this time on (ms since the epoch) and have no row are counted as
   * in flight, not as unrecorded: the logs were read while they may still have been on their way
   * (during the read, or shortly before it when the settle phase timed out). null: judge all.
   */
  readonly inFlightFrom: number | null;
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
const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);
const keep = (list: PairSample[], sample: () => PairSample) => list.length < SAMPLES && list.push(sample());

function publishFindings(published: readonly PublishedEvent[]): Findings['publish'] {
  const answers: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  const latency: number[] = [];
  const latency202: number[] = [];
  for (const t of published.flatMap((e) => e.tries)) {
    bump(answers, t.answer);
    if (t.errorCode) bump(errorCodes, t.errorCode);
    if (/^\d+$/.test(t.answer)) latency.push(t.t2 - t.t1);
    if (t.answer === '202') latency202.push(t.t2 - t.t1);
  }
  const accepted = published.filter((e) => e.accepted);
  return {
    events: published.length, accepted: accepted.length, gave_up: published.length - accepted.length,
    accepted_after_retry: accepted.filter((e) => e.tries.length > 1).length,
    answers, error_codes: errorCodes, latency_ms: summarize(latency), latency_202_ms: summarize(latency202),
  };
}

function deliveryFindings(input: AnalysisInput, pairs: Map<string, Pair>, expected: ReadonlySet<string>): Findings['delivery'] {
  const delivered = (p: Pair | undefined) => p !== undefined && p.requests.some((r) => is2xx(r.status));
  const missing = [...expected].filter((key) => !delivered(pairs.get(key)));
  return {
    expected_pairs: expected.size,
    delivered_pairs: expected.size - missing.length,
    missing_pairs: missing.length,
    delivered_without_202_pairs: [...pairs].filter(([key, p]) => !expected.has(key) && delivered(p)).length,
    requests: input.requests.length,
    unattributable_requests: input.unattributableRequests,
    missing_samples: missing.slice(0, SAMPLES).map((key) => {
      const [eventId = '', destinationId = ''] = key.split('|');
      return judgePair(pairs.get(key) ?? { eventId, destinationId, requests: [], rows: [] }, () => false).sample();
    }),
  };
}

function logFindings(input: AnalysisInput, pairs: Map<string, Pair>, expectedPairs: number): Pick<Findings, 'duplicates' | 'attempt_log'> {
  const dup = { pairs: 0, recorded: 0, unrecorded: 0, in_flight: 0, extra_requests: 0, samples: [] as PairSample[] };
  const log = {
    rows: input.attempts.length, rows_by_code: {} as Record<string, number>, interrupted_rows: 0, interrupted_matched: 0,
    unrecorded_requests: 0, in_flight_requests: 0, unrecorded_samples: [] as PairSample[],
    disagreeing_rows: 0, disagreeing_by_reason: {} as Partial<Record<DisagreementReason, number>>, disagreeing_samples: [] as PairSample[],
  };
  for (const row of input.attempts) bump(log.rows_by_code, row.code);
  const inFlight = (r: ReceivedRequest) => input.inFlightFrom !== null && r.arrivedAt >= input.inFlightFrom;
  for (const pair of pairs.values()) {
    const j = judgePair(pair, inFlight);
    log.interrupted_rows += j.interruptedRows;
    log.interrupted_matched += j.interruptedMatched;
    log.unrecorded_requests += j.unrecorded;
    log.in_flight_requests += j.inFlight;
    if (j.unrecorded > 0) keep(log.unrecorded_samples, j.sample);
    for (const reason of j.disagreements) log.disagreeing_by_reason[reason] = (log.disagreeing_by_reason[reason] ?? 0) + 1;
    log.disagreeing_rows += j.disagreements.length;
    if (j.disagreements.length > 0) keep(log.disagreeing_samples, j.sample);
    if (j.duplicate) {
      dup.pairs += 1;
      dup[j.duplicate.shown] += 1;
      dup.extra_requests += j.duplicate.extraRequests;
      keep(dup.samples, j.sample);
    }
  }
  const recordedPct = expectedPairs === 0 ? 0 : Number(((dup.recorded / expectedPairs) * 100).toFixed(3));
  return { duplicates: { ...dup, recorded_pct: recordedPct }, attempt_log: log };
}

/** Pairs the event log says were matched that have neither a row nor a request: stored, never sent. */
function eventLogFindings(input: AnalysisInput, pairs: Map<string, Pair>): Findings['event_log'] {
  const listed = new Set(input.events.map((e) => e.id));
  const unsent = input.events.flatMap((e) => e.matched_destination_ids
    .filter((d) => {
      const p = pairs.get(pairKey(e.id, d));
      return !p || (p.requests.length === 0 && p.rows.length === 0);
    })
    .map((d) => pairKey(e.id, d)));
  return {
    events: input.events.length,
    accepted_not_listed: input.published.filter((e) => e.accepted && !listed.has(e.id)).length,
    stored_unsent_events: new Set(unsent.map((k) => k.split('|')[0])).size,
    stored_unsent_pairs: unsent.length,
    stored_unsent_samples: unsent.slice(0, SAMPLES),
  };
}

export function analyse(input: AnalysisInput): Findings {
  const pairs = groupPairs(input.requests, input.attempts, input.tags);
  const expected = new Set(input.published.filter((e) => e.accepted).flatMap((e) => e.destinationIds.map((d) => pairKey(e.id, d))));
  return {
    publish: publishFindings(input.published),
    delivery: deliveryFindings(input, pairs, expected),
    ...logFindings(input, pairs, expected.size),
    event_log: eventLogFindings(input, pairs),
  };
}
