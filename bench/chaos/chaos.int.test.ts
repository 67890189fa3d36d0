import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse, type AnalysisInput } from './analysis.js';
import { runChaos } from './chaos.js';
import { correlatePair, type CorrelatedRequest, type CorrelatedRow } from './correlate.js';
import type { PublishedEvent } from './load.js';
import type { AttemptRow } from './log-reader.js';
import { defaultPlan, parseOptions, parsePlan } from './options.js';
import { disagreement } from './pair-judgement.js';
import type { ReceivedRequest } from './receiver.js';
import { renderReport, writeReport, type ChaosReport } from './report.js';

/**
 * The chaos tool: its ledger logic on hand-made cases, then a short real run with one kill -9 of
 * each process under load. The real run asserts Herald's promises, not the tool's: nothing
 * missing, no send without its attempt row, no row contradicting the receiver, nothing stored
 * but never sent. No timing is asserted (a busy 2-core CI box), and the run stops everything it
 * started even when the test fails or times out.
 */

const T = Date.parse('2026-01-01T00:00:00Z');
const req = (seq: number, atS: number, status: number, attemptId: string | null = null): CorrelatedRequest => ({ seq, arrivedAt: T + atS * 1000, status, attemptId });
const row = (id: string, attemptNumber: number, atS: number, code: string): CorrelatedRow => ({
  id, attemptNumber, time: T + atS * 1000, code, status: code.startsWith('2') ? 'success' : 'failed',
});
const matched = (requests: CorrelatedRequest[], rows: CorrelatedRow[]) =>
  Object.fromEntries(requests.map((r) => [r.seq, correlatePair(requests, rows).get(r.seq)?.id ?? null]));

describe('chaos: which attempt row records which request', () => {
  it.each([
    ['one send and its row', [req(1, 0, 200)], [row('a1', 1, 0.02, '200')], { 1: 'a1' }],
    ['a failed first attempt and a retry', [req(1, 0, 500), req(2, 1, 200)], [row('a1', 1, 0.02, '500'), row('a2', 2, 1.02, '200')], { 1: 'a1', 2: 'a2' }],
    ['a send whose worker died before recording, sent again', [req(1, 0, 200), req(2, 20, 200)], [row('a1', 1, 20.02, '200')], { 1: null, 2: 'a1' }],
    ['a 500 whose worker died, re-run answered 200', [req(1, 0, 500), req(2, 20, 200)], [row('a1', 1, 20.02, '200')], { 1: null, 2: 'a1' }],
    ['an interrupted row, then the attempt that followed it', [req(1, 0, 200), req(2, 20, 200)], [row('a1', 1, 15, 'interrupted'), row('a2', 2, 20.02, '200')], { 1: 'a1', 2: 'a2' }],
    ['a request that arrived after the only row was written', [req(1, 0, 200), req(2, 30, 200)], [row('a1', 1, 0.02, '200')], { 1: 'a1', 2: null }],
    ['two sends under one attempt id', [req(1, 0, 200, 'a1'), req(2, 20, 200, 'a1')], [row('a1', 1, 20.02, '200')], { 1: null, 2: 'a1' }],
    ['an attempt id that names no row', [req(1, 0, 200, 'zz')], [row('a1', 1, 0.02, '200')], { 1: null }],
  ])('when %s, then the rows record exactly the expected requests', (_story, requests, rows, expected) => {
    expect(matched(requests, rows)).toEqual(expected);
  });

  it.each([
    ['a 200 row for a 200 answer', row('a', 1, 0, '200'), 200, null],
    ['a 200 row for a 500 answer', row('a', 1, 0, '200'), 500, 'code_differs_from_answer'],
    ['a 500 row for a 200 answer', row('a', 1, 0, '500'), 200, 'code_differs_from_answer'],
    ['a 200 row with no request', row('a', 1, 0, '200'), undefined, 'no_such_request'],
    ['a row saying success with code 500', { ...row('a', 1, 0, '500'), status: 'success' }, 500, 'status_contradicts_code'],
    ['a timeout row for a request answered 200', row('a', 1, 0, 'timeout'), 200, null],
    ['an interrupted row with no request', row('a', 1, 0, 'interrupted'), undefined, null],
  ])('when %s, then the disagreement is %s', (_story, r, answer, expected) => {
    expect(disagreement(r, answer)).toBe(expected);
  });
});

describe('chaos: the verdict from the three records', () => {
  const d1 = 'dest-1';
  const accepted = (id: string): PublishedEvent => ({ id, tries: [{ t1: T, t2: T + 5, answer: '202' }], accepted: true, destinationIds: [d1] });
  const received = (seq: number, eventId: string, atS: number, status: number): ReceivedRequest => ({
    seq, tag: 'd1', eventId, attemptId: null, arrivedAt: T + atS * 1000, status, answeredAt: T + atS * 1000 + 10, abandoned: false,
  });
  const logged = (id: string, eventId: string, n: number, atS: number, code: string): AttemptRow => ({
    id, event_id: eventId, destination_id: d1, attempt_number: n, code, manual: false,
    status: code.startsWith('2') ? 'success' : 'failed', time: new Date(T + atS * 1000).toISOString(),
  });
  const input = (over: Partial<AnalysisInput>): AnalysisInput => ({
    published: [], requests: [], unattributableRequests: 0, attempts: [], events: [], tags: new Map([[d1, 'd1']]), inFlightFrom: null, ...over,
  });

  it('when one event is delivered twice and both sends are logged, then it is one recorded duplicate and nothing else', () => {
    const f = analyse(input({
      published: [accepted('e1')],
      requests: [received(0, 'e1', 0, 200), received(1, 'e1', 30, 200)],
      attempts: [logged('a1', 'e1', 1, 0.02, 'interrupted'), logged('a2', 'e1', 2, 30.02, '200')],
      events: [{ id: 'e1', matched_destination_ids: [d1], time: '' }],
    }));
    expect(f.delivery).toMatchObject({ expected_pairs: 1, delivered_pairs: 1, missing_pairs: 0 });
    expect(f.duplicates).toMatchObject({ pairs: 1, recorded: 1, unrecorded: 0, recorded_pct: 100 });
    expect(f.attempt_log).toMatchObject({ unrecorded_requests: 0, disagreeing_rows: 0, interrupted_rows: 1, interrupted_matched: 1 });
  });

  it('when a send has no row and another event was stored but never sent, then both are counted', () => {
    const f = analyse(input({
      published: [accepted('e1'), { id: 'e2', tries: [{ t1: T, t2: T + 9, answer: '500' }], accepted: false, destinationIds: [] }],
      requests: [received(0, 'e1', 0, 200), received(1, 'e1', 20, 200)],
      attempts: [logged('a1', 'e1', 1, 20.02, '200')],
      events: [{ id: 'e1', matched_destination_ids: [d1], time: '' }, { id: 'e2', matched_destination_ids: [d1], time: '' }],
    }));
    expect(f.duplicates).toMatchObject({ pairs: 1, recorded: 0, unrecorded: 1 });
    expect(f.attempt_log.unrecorded_requests).toBe(1);
    expect(f.event_log).toMatchObject({ stored_unsent_events: 1, stored_unsent_pairs: 1, accepted_not_listed: 0 });
    expect(f.publish).toMatchObject({ events: 2, accepted: 1, gave_up: 1, answers: { 202: 1, 500: 1 } });
  });

  it('when the logs were read while deliveries still ran, then a recent send without a row is in flight, an old one unrecorded', () => {
    const f = analyse(input({
      published: [accepted('e1'), accepted('e2')],
      requests: [received(0, 'e1', 0, 200), received(1, 'e2', 100, 200)],
      inFlightFrom: T + 95_000,
    }));
    expect(f.attempt_log).toMatchObject({ unrecorded_requests: 1, in_flight_requests: 1 });
  });

  it('when an accepted event never arrives and a success row claims it did, then it is missing and the row disagrees', () => {
    const f = analyse(input({ published: [accepted('e1')], attempts: [logged('a1', 'e1', 1, 1, '200')] }));
    expect(f.delivery.missing_pairs).toBe(1);
    expect(f.attempt_log.disagreeing_by_reason).toEqual({ no_such_request: 1 });
    expect(f.event_log.accepted_not_listed).toBe(1);
  });
});

describe('chaos: options', () => {
  it('when a plan is given, then its steps are parsed in time order', () => {
    expect(parsePlan('60:api:5,30:worker:2')).toEqual([{ atS: 30, kind: 'worker', downS: 2 }, { atS: 60, kind: 'api', downS: 5 }]);
    expect(parsePlan('none')).toEqual([]);
    expect(() => parsePlan('30:redis:5')).toThrow(/unknown kind/);
  });

  it('when no plan is given, then each kind is killed once inside the load window', () => {
    const plan = defaultPlan(60);
    expect(plan.map((s) => s.kind).sort()).toEqual(['api', 'postgres', 'temporal', 'worker']);
    expect(plan.every((s) => s.atS > 0 && s.atS + s.downS < 60)).toBe(true);
  });
});

describe('npm run chaos (short run against the real engine)', () => {
  const abort = new AbortController();
  let dir: string | undefined;
  let run: Promise<ChaosReport> | undefined;
  afterAll(async () => {
    abort.abort();
    await run?.catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it('when each process is killed -9 once under load, then nothing is missing, unrecorded, disagreeing or stored but never sent', async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-chaos-'));
    // Postgres runs as the `postgres` user when the suite runs as root: it must reach the data dir.
    chmodSync(dir, 0o755);
    const options = parseOptions([
      '--events', '240', '--rate', '4', '--destinations', '3', '--settle-timeout', '240',
      '--data-dir', join(dir, 'data'), '--out', join(dir, 'report.json'), '--quiet',
    ])!;
    const progress: string[] = [];
    run = runChaos(options, { progress: (line) => progress.push(line), signal: abort.signal });
    const report = await run;
    writeReport(report);
    const why = `${renderReport(report)}\n\n${progress.join('\n')}`;

    // The harness did its part: load accepted, every planned kill executed and recovered.
    expect(report.findings.delivery.expected_pairs, why).toBeGreaterThan(0);
    expect(report.faults.map((f) => [f.kind, f.killed_at_s !== null, f.back_at_s !== null, f.error ?? null]), why)
      .toEqual(expect.arrayContaining(['worker', 'api', 'temporal', 'postgres'].map((k) => [k, true, true, null])));
    // Herald's promises.
    expect(report.findings.delivery.missing_pairs, why).toBe(0);
    expect(report.findings.attempt_log.unrecorded_requests, why).toBe(0);
    expect(report.findings.attempt_log.disagreeing_rows, why).toBe(0);
    expect(report.findings.event_log.stored_unsent_pairs, why).toBe(0);
  }, 900_000);
});
