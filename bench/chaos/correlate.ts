/**
 * Which attempt row records which request, for one (event, destination) pair. Pure.
 *
 * When a request carries `X-Outpost-Attempt-Id`, it belongs to the row with that id and to no
 * other: a row id seen on two requests (an attempt sent twice under one id) matches only the one
 * its code agrees with, latest first, and the other is left without a row.
 *
 * Requests without the header (engines that do not send it yet) are aligned with the remaining
 * rows by order: rows by attempt number, requests by arrival, neither reordered. Among all
 * order-preserving alignments, the chosen one matches the most rows, then has the most rows whose
 * code agrees with the answer, then the least time between request and row. A row can only record
 * a request that arrived before the row's time (plus `CLOCK_TOLERANCE_MS`): the engine stamps the
 * row after the answer. So a request sent twice for one attempt (the worker died after sending
 * and the attempt ran again) leaves the earlier send without a row, and the later one, closest to
 * the row, gets it.
 */

export interface CorrelatedRequest {
  readonly seq: number;
  readonly attemptId: string | null;
  /** ms since the epoch */
  readonly arrivedAt: number;
  /** What the receiver answered; 0 when it never answered. */
  readonly status: number;
}

export interface CorrelatedRow {
  readonly id: string;
  readonly attemptNumber: number;
  readonly status: string;
  readonly code: string;
  /** ms since the epoch */
  readonly time: number;
}

/** Row times and arrival times come from one machine's clock; this absorbs rounding to ms. */
export const CLOCK_TOLERANCE_MS = 250;

export const INTERRUPTED = 'interrupted';
export const isHttpCode = (code: string): boolean => /^[1-5]\d\d$/.test(code);

/** The row's code is what the receiver answered (or says nothing about the answer). */
export function agrees(row: CorrelatedRow, request: CorrelatedRequest): boolean {
  if (row.code === INTERRUPTED) return true;
  if (isHttpCode(row.code)) return Number(row.code) === request.status;
  return row.status !== 'success' || (request.status >= 200 && request.status < 300);
}

const MATCH = 1_000_000;
const AGREES = 10_000;

function score(row: CorrelatedRow, request: CorrelatedRequest): number | null {
  if (request.arrivedAt > row.time + CLOCK_TOLERANCE_MS) return null;
  const gapPenalty = Math.min(AGREES - 1, Math.round(Math.abs(row.time - request.arrivedAt) / 10));
  return MATCH + (agrees(row, request) ? AGREES : 0) - gapPenalty;
}

/** Best order-preserving alignment (dynamic programming over the two short lists). */
function align(rows: readonly CorrelatedRow[], requests: readonly CorrelatedRequest[]): [CorrelatedRow, CorrelatedRequest][] {
  const n = rows.length;
  const m = requests.length;
  const best = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const at = (i: number, j: number) => best[i]![j]!;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = score(rows[i]!, requests[j]!);
      best[i]![j] = Math.max(at(i + 1, j), at(i, j + 1), s === null ? 0 : s + at(i + 1, j + 1));
    }
  }
  const out: [CorrelatedRow, CorrelatedRequest][] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    const s = score(rows[i]!, requests[j]!);
    if (s !== null && at(i, j) === s + at(i + 1, j + 1)) {
      out.push([rows[i]!, requests[j]!]);
      i++;
      j++;
    } else if (at(i, j) === at(i + 1, j)) {
      i++;
    } else {
      j++;
    }
  }
  return out;
}

/** request seq → the row that records it; requests absent from the map have no row. */
export function correlatePair(requests: readonly CorrelatedRequest[], rows: readonly CorrelatedRow[]): Map<number, CorrelatedRow> {
  const byArrival = [...requests].sort((a, b) => a.arrivedAt - b.arrivedAt || a.seq - b.seq);
  const byNumber = [...rows].sort((a, b) => a.attemptNumber - b.attemptNumber || a.time - b.time);
  const rowOf = new Map<number, CorrelatedRow>();
  const claimed = new Set<string>();
  for (const row of byNumber) {
    const sent = byArrival.filter((r) => r.attemptId === row.id);
    if (sent.length === 0) continue;
    claimed.add(row.id);
    // Latest first among those that agree, so a re-send that the row was overwritten by wins.
    const pick = [...sent].reverse().find((r) => agrees(row, r) && score(row, r) !== null) ?? sent.at(-1)!;
    rowOf.set(pick.seq, row);
  }
  // A request whose attempt id names no row stays without one: it is an unrecorded send.
  const headerless = byArrival.filter((r) => r.attemptId === null);
  for (const [row, request] of align(byNumber.filter((r) => !claimed.has(r.id)), headerless)) rowOf.set(request.seq, row);
  return rowOf;
}
