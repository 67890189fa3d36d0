import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../activities/index.js';
import type { AttemptSummary, DeliveryInput } from './delivery-contract.js';
import {
  CARRIED_ATTEMPTS,
  RECENT_ATTEMPTS,
  afterAttempt,
  attempting,
  attemptsRunLocally,
  continuedInput,
  deliveryState,
  initialProgress,
  nextAttempt,
  nextStep,
  retryWaitMs,
  type DeliveryProgress,
} from './delivery-state.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

const input = (overrides: Partial<DeliveryInput> = {}): DeliveryInput => ({
  tenantId: 't', eventId: 'e', destinationId: 'd', destinationType: 'webhook', topic: 'x', target: 'https://example.test',
  eligibleForRetry: true, retryDelaysSeconds: [1, 2], attemptTimeoutMs: 1000, awaitManualRetrySeconds: 0,
  startedBy: 'publish', ...overrides,
});

const progress = (overrides: Partial<DeliveryProgress> = {}): DeliveryProgress => ({
  status: 'pending', attemptCount: 0, pendingRetryAt: null, recent: [], ...overrides,
});

const summary = (attemptNumber: number): AttemptSummary => ({
  attemptNumber, attemptId: `a${attemptNumber}`, manual: false, status: 'failed', code: '500', time: new Date(NOW).toISOString(),
});

const failed = (extra: Partial<AttemptOutcome> = {}): AttemptOutcome => ({ status: 'failed', code: '500', attemptId: 'a', time: 'T', ...extra });
const succeeded: AttemptOutcome = { status: 'success', code: '200', attemptId: 'a', time: 'T' };
const skipped: AttemptOutcome = { status: 'skipped', code: 'destination_deleted', attemptId: null, time: 'T' };

/** One attempt from `before`, as the workflow makes it: next attempt, attempting, outcome at NOW. */
function attemptFrom(before: DeliveryProgress, manual: boolean, outcome: AttemptOutcome, delivery = input()) {
  const attempt = nextAttempt(delivery, 'wf', before, manual);
  return afterAttempt(attempting(before, attempt), attempt, outcome, delivery, NOW);
}

/** Table rows as `[when, then, row]`, so test names print the stories whole. */
const stories = <T extends { when: string; then: string }>(rows: T[]) => rows.map((row) => [row.when, row.then, row] as const);

describe('delivery state', () => {
  it.each(stories([
    { when: 'a publish starts the run', then: 'the first attempt is due at once', start: input(), expected: progress({ pendingRetryAt: NOW }) },
    {
      when: 'a manual retry starts the run', then: 'nothing is due until its signal and the numbering continues',
      start: input({ startedBy: 'manual-retry', previousAttempts: 4 }),
      expected: progress({ attemptCount: 4 }),
    },
    {
      when: 'a run continues a retrying one', then: 'the carried schedule, count and attempts resume',
      start: input({ previousAttempts: 12, carried: { status: 'retrying', pendingRetryAt: NOW + 5000, manualQueue: [], recent: [summary(12)] } }),
      expected: progress({ status: 'retrying', attemptCount: 12, pendingRetryAt: NOW + 5000, recent: [summary(12)] }),
    },
    {
      when: 'a run continues an exhausted one', then: 'nothing is due at once',
      start: input({ previousAttempts: 3, carried: { status: 'exhausted', pendingRetryAt: null, manualQueue: [], recent: [] } }),
      expected: progress({ status: 'exhausted', attemptCount: 3 }),
    },
  ]))('when %s, then %s', (_when, _then, { start, expected }) => {
    expect(initialProgress(start, NOW)).toEqual(expected);
  });

  it.each(stories([
    { when: 'the attempt succeeds', then: 'it is delivered and nothing is pending',
      before: progress(), manual: false, outcome: succeeded, delivery: input(),
      expected: { status: 'delivered', attemptCount: 1, pendingRetryAt: null } },
    { when: 'the destination is gone at its turn', then: 'it is skipped, the attempt is not counted and nothing is pending',
      before: progress(), manual: false, outcome: skipped, delivery: input(),
      expected: { status: 'skipped', attemptCount: 0, pendingRetryAt: null } },
    { when: 'it fails with retries left', then: 'the next attempt is due after the scheduled delay',
      before: progress(), manual: false, outcome: failed(), delivery: input(),
      expected: { status: 'retrying', attemptCount: 1, pendingRetryAt: NOW + 1000 } },
    { when: 'it fails with a Retry-After longer than the delay', then: 'the next attempt waits for the Retry-After',
      before: progress(), manual: false, outcome: failed({ retryAfterMs: 5000 }), delivery: input(),
      expected: { status: 'retrying', attemptCount: 1, pendingRetryAt: NOW + 5000 } },
    { when: 'it fails with a Retry-After shorter than the delay', then: 'the scheduled delay still holds',
      before: progress(), manual: false, outcome: failed({ retryAfterMs: 10 }), delivery: input(),
      expected: { status: 'retrying', attemptCount: 1, pendingRetryAt: NOW + 1000 } },
    { when: 'the last scheduled attempt fails', then: 'it is exhausted and nothing is pending',
      before: progress({ status: 'retrying', attemptCount: 2 }), manual: false, outcome: failed(), delivery: input(),
      expected: { status: 'exhausted', attemptCount: 3, pendingRetryAt: null } },
    { when: 'an event not eligible for retry fails', then: 'it is exhausted at once, whatever the Retry-After',
      before: progress(), manual: false, outcome: failed({ retryAfterMs: 5000 }), delivery: input({ eligibleForRetry: false }),
      expected: { status: 'exhausted', attemptCount: 1, pendingRetryAt: null } },
    { when: 'a manual attempt succeeds while a retry is pending', then: 'it is delivered and the pending retry is dropped',
      before: progress({ status: 'retrying', attemptCount: 1, pendingRetryAt: NOW + 30_000 }), manual: true, outcome: succeeded, delivery: input(),
      expected: { status: 'delivered', attemptCount: 2, pendingRetryAt: null } },
    { when: 'a manual attempt fails while a retry is pending', then: 'the schedule continues from its number, replacing the pending retry',
      before: progress({ status: 'retrying', attemptCount: 1, pendingRetryAt: NOW + 30_000 }), manual: true, outcome: failed(),
      delivery: input({ retryDelaysSeconds: [30, 0.2, 0.2] }),
      expected: { status: 'retrying', attemptCount: 2, pendingRetryAt: NOW + 200 } },
    { when: 'a manual attempt fails after retries were exhausted', then: 'it stays exhausted with one attempt more',
      before: progress({ status: 'exhausted', attemptCount: 3 }), manual: true, outcome: failed(), delivery: input(),
      expected: { status: 'exhausted', attemptCount: 4, pendingRetryAt: null } },
  ]))('when %s, then %s', (_when, _then, { before, manual, outcome, delivery, expected }) => {
    const after = attemptFrom(before, manual, outcome, delivery);
    expect({ status: after.status, attemptCount: after.attemptCount, pendingRetryAt: after.pendingRetryAt }).toEqual(expected);
    expect(after.recent.at(-1)).toEqual({
      attemptNumber: before.attemptCount + 1, attemptId: outcome.attemptId, manual, status: outcome.status, code: outcome.code, time: outcome.time,
    });
  });

  it.each(stories([
    { when: 'an attempt has retries after it', then: 'a failure is neither final nor alerted',
      attemptCount: 0, manual: false, delivery: input(), finalIfFailed: false, alertIfExhausted: false },
    { when: 'an attempt is the last scheduled one', then: 'a failure is final and raises the exhausted-retries alert',
      attemptCount: 2, manual: false, delivery: input(), finalIfFailed: true, alertIfExhausted: true },
    { when: 'a manual attempt comes past the schedule', then: 'a failure is final and alerted',
      attemptCount: 4, manual: true, delivery: input(), finalIfFailed: true, alertIfExhausted: true },
    { when: 'a manual attempt comes inside the schedule', then: 'a failure is neither final nor alerted',
      attemptCount: 1, manual: true, delivery: input(), finalIfFailed: false, alertIfExhausted: false },
    { when: 'the event is not eligible for retry', then: 'a failure is final but not alerted (it had no retry budget)',
      attemptCount: 0, manual: false, delivery: input({ eligibleForRetry: false }), finalIfFailed: true, alertIfExhausted: false },
    { when: 'the schedule has no retries', then: 'a failure is final but not alerted',
      attemptCount: 0, manual: false, delivery: input({ retryDelaysSeconds: [] }), finalIfFailed: true, alertIfExhausted: false },
  ]))('when %s, then %s', (_when, _then, { attemptCount, manual, delivery, finalIfFailed, alertIfExhausted }) => {
    expect(nextAttempt(delivery, 'wf', progress({ attemptCount }), manual)).toEqual({
      workflowId: 'wf', tenantId: 't', eventId: 'e', destinationId: 'd', destinationType: 'webhook',
      attemptNumber: attemptCount + 1, manual, finalIfFailed, alertIfExhausted,
    });
  });

  it.each(stories([
    { when: 'an automatic attempt is under way', then: 'it is counted and no longer pending', manual: false, pendingRetryAt: null },
    { when: 'a manual attempt is under way', then: 'it is counted and the pending retry stays until its outcome', manual: true, pendingRetryAt: NOW + 30_000 },
  ]))('when %s, then %s', (_when, _then, { manual, pendingRetryAt }) => {
    const before = progress({ status: 'retrying', attemptCount: 1, pendingRetryAt: NOW + 30_000 });
    expect(attempting(before, nextAttempt(input(), 'wf', before, manual))).toEqual({ ...before, attemptCount: 2, pendingRetryAt });
  });

  it.each(stories([
    { when: 'no attempt is remembered yet', then: 'the new one is kept', before: 0, kept: 1, oldest: 1 },
    { when: 'one attempt less than the cap is remembered', then: 'all are kept', before: RECENT_ATTEMPTS - 1, kept: RECENT_ATTEMPTS, oldest: 1 },
    { when: 'the cap is reached', then: 'the oldest is dropped', before: RECENT_ATTEMPTS, kept: RECENT_ATTEMPTS, oldest: 2 },
  ]))('when %s and one more attempt ends, then %s', (_when, _then, { before, kept, oldest }) => {
    const recent = Array.from({ length: before }, (_, i) => summary(i + 1));
    const after = attemptFrom(progress({ attemptCount: before, recent }), false, failed());
    expect(after.recent).toHaveLength(kept);
    expect(after.recent[0]!.attemptNumber).toBe(oldest);
    expect(recent).toHaveLength(before); // the earlier state is left as it was
  });

  it.each(stories([
    { when: 'a manual retry is asked for while continue-as-new is suggested', then: 'the manual attempt goes first',
      state: progress({ pendingRetryAt: NOW }), manual: true, can: true, step: 'manual-attempt' },
    { when: 'continue-as-new is suggested and nothing is asked for', then: 'the run continues as new',
      state: progress({ pendingRetryAt: NOW }), manual: false, can: true, step: 'continue-as-new' },
    { when: 'an automatic attempt is pending', then: 'the loop waits for it',
      state: progress({ status: 'retrying', pendingRetryAt: NOW }), manual: false, can: false, step: 'scheduled-attempt' },
    { when: 'retries are exhausted and manual retries are awaited', then: 'the loop waits for one',
      state: progress({ status: 'exhausted' }), manual: false, can: false, awaitManualRetrySeconds: 60, step: 'await-manual-retry' },
    { when: 'retries are exhausted and manual retries are not awaited', then: 'the run finishes',
      state: progress({ status: 'exhausted' }), manual: false, can: false, step: 'finish' },
    { when: 'it was delivered', then: 'the run finishes', state: progress({ status: 'delivered' }), manual: false, can: false,
      awaitManualRetrySeconds: 60, step: 'finish' },
    { when: 'it was skipped', then: 'the run finishes', state: progress({ status: 'skipped' }), manual: false, can: false,
      awaitManualRetrySeconds: 60, step: 'finish' },
  ]))('when %s, then %s', (_when, _then, { state, manual, can, awaitManualRetrySeconds = 0, step }) => {
    expect(nextStep(state, { awaitManualRetrySeconds }, manual, can)).toBe(step);
  });

  it.each(stories([
    { when: 'the scheduled attempt is due later', then: 'the loop waits until then', pendingRetryAt: NOW + 1500, wait: 1500 },
    { when: 'it is due now (a publish, a zero delay)', then: 'there is no wait', pendingRetryAt: NOW, wait: 0 },
    { when: 'it is overdue (a continued run)', then: 'there is no wait', pendingRetryAt: NOW - 10, wait: -10 },
  ]))('when %s, then %s', (_when, _then, { pendingRetryAt, wait }) => {
    expect(retryWaitMs(progress({ pendingRetryAt }), NOW)).toBe(wait);
  });

  it('when a run continues as new, then numbering, state and the last attempts carry over and the next run resumes them', () => {
    const recent = Array.from({ length: 20 }, (_, i) => summary(i + 1));
    const state = progress({ status: 'retrying', attemptCount: 20, pendingRetryAt: NOW + 200, recent });
    const started = input({ startedBy: 'manual-retry', previousAttempts: 2, attemptMode: 'local', revision: 2 });
    const next = continuedInput(started, state, []);
    expect(next).toEqual({
      ...started, startedBy: 'publish', previousAttempts: 20,
      carried: { status: 'retrying', pendingRetryAt: NOW + 200, manualQueue: [], recent: recent.slice(-CARRIED_ATTEMPTS) },
    });
    expect(initialProgress(next, NOW + 50)).toEqual({ ...state, recent: recent.slice(-CARRIED_ATTEMPTS) });
  });

  it.each(stories([
    { when: 'no retry is pending', then: 'the attempts query has no next retry time', pendingRetryAt: null, nextRetryAt: null },
    { when: 'a retry is pending', then: 'the attempts query gives its time', pendingRetryAt: NOW + 1000, nextRetryAt: '2026-01-01T00:00:01.000Z' },
  ]))('when %s, then %s', (_when, _then, { pendingRetryAt, nextRetryAt }) => {
    const state = progress({ status: 'retrying', attemptCount: 1, pendingRetryAt, recent: [summary(1)] });
    expect(deliveryState(state)).toEqual({ status: 'retrying', attemptCount: 1, nextRetryAt, attempts: [summary(1)] });
  });

  it.each(stories([
    { when: 'a run asks for local attempts', then: 'they are local', attemptMode: 'local', patchedRun: false, attemptTimeoutMs: 60_000, local: true },
    { when: 'a run asks for normal activities', then: 'they are not local', attemptMode: 'activity', patchedRun: true, attemptTimeoutMs: 1000, local: false },
    { when: 'a run predates attemptMode, took the patch and its timeout fits a workflow task', then: 'they are local',
      patchedRun: true, attemptTimeoutMs: 30_000, local: true },
    { when: 'a run predates attemptMode, took the patch and its timeout is too long', then: 'they are not local',
      patchedRun: true, attemptTimeoutMs: 30_001, local: false },
    { when: 'a run predates local attempts', then: 'they are not local', patchedRun: false, attemptTimeoutMs: 1000, local: false },
  ] as { when: string; then: string; attemptMode?: 'local' | 'activity'; patchedRun: boolean; attemptTimeoutMs: number; local: boolean }[]))(
    'when %s, then %s', (_when, _then, { attemptMode, patchedRun, attemptTimeoutMs, local }) => {
      expect(attemptsRunLocally(input({ attemptMode, attemptTimeoutMs }), patchedRun)).toBe(local);
    });
});
