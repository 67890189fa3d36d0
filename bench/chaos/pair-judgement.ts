import { correlatePair, INTERRUPTED, isHttpCode, type CorrelatedRow } from './correlate.js';
import type { AttemptRow } from './log-reader.js';
import type { ReceivedRequest } from './receiver.js';

/**
 * Everything about one (event, destination) pair: its requests at the receiver, its attempt rows,
 * which row records which request, and what that says — rows that disagree with the receiver,
 * sends without a row, a duplicate and whether the log shows it. Pure.
 */

export interface Pair {
  readonly eventId: string;
  readonly destinationId: string;
  readonly requests: ReceivedRequest[];
  readonly rows: AttemptRow[];
}

export type DisagreementReason = 'status_contradicts_code' | 'code_differs_from_answer' | 'no_such_request' | 'success_without_2xx';

export interface PairSample {
  readonly event_id: string;
  readonly destination_id: string;
  readonly requests: { seq: number; arrived_at: string; status: number; attempt_id: string | null; row: string | null }[];
  readonly rows: { id: string; attempt_number: number; status: string; code: string; time: string }[];
}

export interface PairJudgement {
  readonly disagreements: readonly DisagreementReason[];
  readonly interruptedRows: number;
  readonly interruptedMatched: number;
  /** Requests no row records, sent before the in-flight window. */
  readonly unrecorded: number;
  /** Requests without a row yet that arrived inside the in-flight window. */
  readonly inFlight: number;
  /** null: not duplicated. Otherwise whether every send from the first 2xx on has its own row. */
  readonly duplicate: null | { readonly shown: 'recorded' | 'unrecorded' | 'in_flight'; readonly extraRequests: number };
  readonly sample: () => PairSample;
}

export const pairKey = (eventId: string, destinationId: string): string => `${eventId}|${destinationId}`;
export const is2xx = (status: number): boolean => status >= 200 && status < 300;

/** Requests (by the destination their path names) and rows, grouped by pair. */
export function groupPairs(requests: readonly ReceivedRequest[], rows: readonly AttemptRow[], tags: ReadonlyMap<string, string>): Map<string, Pair> {
  const destinationOf = new Map([...tags].map(([id, tag]) => [tag, id]));
  const pairs = new Map<string, Pair>();
  const pair = (eventId: string, destinationId: string) => {
    const key = pairKey(eventId, destinationId);
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { eventId, destinationId, requests: [], rows: [] }));
    return p;
  };
  for (const r of requests) pair(r.eventId, destinationOf.get(r.tag) ?? `?${r.tag}`).requests.push(r);
  for (const row of rows) pair(row.event_id, row.destination_id).rows.push(row);
  return pairs;
}

const toRow = (row: AttemptRow): CorrelatedRow => ({
  id: row.id, attemptNumber: row.attempt_number, status: row.status, code: row.code, time: Date.parse(row.time),
});

/** Why a row disagrees with the receiver's answer to its request, or null. `interrupted` rows never do. */
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

/** `inFlight(request)`: the logs may have been read before this request's row was written. */
export function judgePair(pair: Pair, inFlight: (r: ReceivedRequest) => boolean): PairJudgement {
  const rows = pair.rows.map(toRow);
  const rowOf = correlatePair(pair.requests, rows);
  const answerOf = new Map([...rowOf].map(([seq, row]) => [row.id, pair.requests.find((r) => r.seq === seq)!.status]));
  const rowless = pair.requests.filter((r) => !rowOf.has(r.seq));
  const unrecorded = rowless.filter((r) => !inFlight(r)).length;

  // A duplicate: any request after the first one answered 2xx, in arrival order.
  const ordered = [...pair.requests].sort((a, b) => a.arrivedAt - b.arrivedAt || a.seq - b.seq);
  const first = ordered.findIndex((r) => is2xx(r.status));
  let duplicate: PairJudgement['duplicate'] = null;
  if (first >= 0 && first < ordered.length - 1) {
    const withoutRow = ordered.slice(first).filter((r) => !rowOf.has(r.seq));
    const shown = withoutRow.length === 0 ? 'recorded' : withoutRow.every(inFlight) ? 'in_flight' : 'unrecorded';
    duplicate = { shown, extraRequests: ordered.length - 1 - first };
  }
  const interrupted = rows.filter((r) => r.code === INTERRUPTED);
  return {
    disagreements: rows.flatMap((row) => disagreement(row, answerOf.get(row.id)) ?? []),
    interruptedRows: interrupted.length,
    interruptedMatched: interrupted.filter((r) => answerOf.has(r.id)).length,
    unrecorded,
    inFlight: rowless.length - unrecorded,
    duplicate,
    sample: () => ({
      event_id: pair.eventId,
      destination_id: pair.destinationId,
      requests: pair.requests.map((r) => ({
        seq: r.seq, arrived_at: new Date(r.arrivedAt).toISOString(), status: r.status, attempt_id: r.attemptId, row: rowOf.get(r.seq)?.id ?? null,
      })),
      rows: pair.rows.map((r) => ({ id: r.id, attempt_number: r.attempt_number, status: r.status, code: r.code, time: r.time })),
    }),
  };
}
