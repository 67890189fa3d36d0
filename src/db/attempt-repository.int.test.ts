import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttemptListQuery, INTERRUPTED_CODE, type SendClaim, createAttemptRepository } from './attempt-repository.js';
import { encodeCursor } from './cursor.js';
import { InvalidCursorError } from './errors.js';
import { createEventRepository } from './event-repository.js';
import { anAttempt, anEvent, collectPages, createTestPool, uniqueId } from './testing/fixtures.js';

describe('attempt repository', () => {
  let pool: pg.Pool;
  let attempts: ReturnType<typeof createAttemptRepository>;
  let events: ReturnType<typeof createEventRepository>;

  beforeAll(async () => {
    pool = await createTestPool();
    attempts = createAttemptRepository(pool);
    events = createEventRepository(pool);
  });

  afterAll(async () => {
    await pool.end();
  });

  const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, second));

  const claimOf = (tenantId: string, overrides: Partial<SendClaim> = {}): SendClaim => ({
    id: uniqueId('atm'), tenantId, eventId: 'evt_1', destinationId: 'des_1', destinationType: 'webhook',
    attemptNumber: 1, sendSeq: 1, manual: false, leaseMs: 60_000, claimedBy: 'test', ...overrides,
  });

  it('when a send is claimed, then it is hidden until its outcome is recorded, and a recorded attempt is never rewritten', async () => {
    const tenantId = uniqueId('tnt');
    const claim = claimOf(tenantId);

    expect(await attempts.claimSend(claim)).toBe(true);
    expect(await attempts.get(tenantId, claim.id)).toBeNull();
    expect((await attempts.list({ tenantIds: [tenantId], limit: 10, dir: 'desc' })).models).toEqual([]);
    const outcome = anAttempt(tenantId, { id: claim.id, status: 'failed', code: '500', responseData: { status: 500 } });
    await attempts.completeSend(outcome);
    await attempts.completeSend({ ...outcome, status: 'success', code: '200' });

    expect(await attempts.get(tenantId, claim.id)).toEqual({ ...outcome, sendSeq: 1 });
    expect(await attempts.markInterrupted(claim.id, { force: true })).toBe(false);
  });

  it('when a receiver answered with NUL characters or unpaired surrogates, then the attempt is still recorded', async () => {
    const tenantId = uniqueId('tnt');
    const claim = claimOf(tenantId);
    await attempts.claimSend(claim);

    await attempts.completeSend(anAttempt(tenantId, { id: claim.id, responseData: { status: 200, body: 'a\u0000b\ud800c' } }));

    expect((await attempts.get(tenantId, claim.id))?.responseData).toEqual({ status: 200, body: 'a\uFFFDb\uFFFDc' });
  });

  it('when the same send is claimed concurrently, then exactly one claim wins', async () => {
    const tenantId = uniqueId('tnt');
    const claims = Array.from({ length: 5 }, () => claimOf(tenantId));

    const won = await Promise.all(claims.map((claim) => attempts.claimSend(claim)));

    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await attempts.sendsOf(tenantId, 'evt_1', 'des_1', 1)).toHaveLength(1);
  });

  it('when a send outlives its lease, then it can be marked interrupted, and its late outcome still completes it', async () => {
    const tenantId = uniqueId('tnt');
    const live = claimOf(tenantId, { attemptNumber: 1 });
    const lapsed = claimOf(tenantId, { attemptNumber: 2, leaseMs: 0 });
    await attempts.claimSend(live);
    await attempts.claimSend(lapsed);

    expect(await attempts.markInterrupted(live.id)).toBe(false);
    expect(await attempts.markInterrupted(lapsed.id)).toBe(true);
    const [interrupted] = await attempts.sendsOf(tenantId, 'evt_1', 'des_1', 2);
    expect(interrupted?.attempt).toMatchObject({ status: 'failed', code: INTERRUPTED_CODE });
    const late = anAttempt(tenantId, { id: lapsed.id, attemptNumber: 2, code: '200' });
    await attempts.completeSend(late);
    expect(await attempts.get(tenantId, lapsed.id)).toMatchObject({ status: 'success', code: '200' });
    const [sending] = await attempts.sendsOf(tenantId, 'evt_1', 'des_1', 1);
    expect(sending).toMatchObject({ sending: true, claimedBy: 'test', attempt: null });
    expect(sending?.leaseRemainingMs).toBeGreaterThan(0);
  });

  it('when an attempt is read, then it is found in its tenant or without a tenant, and not in another tenant', async () => {
    const attempt = await attempts.insert(anAttempt(uniqueId('tnt'), { exhaustedRetries: true, manual: true }));

    expect(await attempts.get(attempt.tenantId, attempt.id)).toEqual(attempt);
    expect(await attempts.get(null, attempt.id)).toEqual(attempt);
    expect(await attempts.get(uniqueId('tnt'), attempt.id)).toBeNull();
    expect(await attempts.get(null, uniqueId('atm'))).toBeNull();
  });

  it('when attempts exist for an event and destination, then latestFor returns the highest attempt number', async () => {
    const tenantId = uniqueId('tnt');
    const base = { eventId: 'evt_a', destinationId: 'des_a' };
    await attempts.insert(anAttempt(tenantId, { ...base, attemptNumber: 1, time: at(1), status: 'failed' }));
    await attempts.insert(anAttempt(tenantId, { ...base, attemptNumber: 3, time: at(3), manual: true, id: 'atm_latest' }));
    await attempts.insert(anAttempt(tenantId, { ...base, attemptNumber: 2, time: at(2), status: 'failed' }));
    await attempts.insert(anAttempt(tenantId, { ...base, destinationId: 'des_b', attemptNumber: 9, time: at(9) }));

    expect((await attempts.latestFor(tenantId, 'evt_a', 'des_a'))?.id).toBe('atm_latest');
    expect(await attempts.latestFor(tenantId, 'evt_a', 'des_missing')).toBeNull();
  });

  it('when filters are given, then they combine with AND, topics through the attempted events', async () => {
    const tenantId = uniqueId('tnt');
    await events.insertIfAbsent(anEvent(tenantId, { id: 'evt_user', topic: 'user.created' }));
    await events.insertIfAbsent(anEvent(tenantId, { id: 'evt_order', topic: 'order.paid' }));
    const seed = [
      anAttempt(tenantId, { id: 'a1', eventId: 'evt_user', destinationId: 'd1', time: at(1) }),
      anAttempt(tenantId, { id: 'a2', eventId: 'evt_user', destinationId: 'd2', time: at(2), status: 'failed' }),
      anAttempt(tenantId, { id: 'a3', eventId: 'evt_order', destinationId: 'd2', destinationType: 'aws_sqs', time: at(3) }),
      anAttempt(uniqueId('tnt'), { id: 'a4', eventId: 'evt_user', destinationId: 'd1', time: at(2) }),
    ];
    for (const attempt of seed) await attempts.insert(attempt);
    const ids = async (query: Partial<AttemptListQuery>) =>
      (await attempts.list({ tenantIds: [tenantId], limit: 10, dir: 'asc', ...query })).models.map((a) => a.id);

    expect(await ids({})).toEqual(['a1', 'a2', 'a3']);
    expect(await ids({ eventIds: ['evt_user'] })).toEqual(['a1', 'a2']);
    expect(await ids({ destinationIds: ['d2'] })).toEqual(['a2', 'a3']);
    expect(await ids({ destinationTypes: ['aws_sqs'] })).toEqual(['a3']);
    expect(await ids({ status: 'failed' })).toEqual(['a2']);
    expect(await ids({ topics: ['user.created'] })).toEqual(['a1', 'a2']);
    expect(await ids({ topics: ['order.paid'], status: 'success' })).toEqual(['a3']);
    expect(await ids({ time: { gt: at(1), lte: at(2) } })).toEqual(['a2']);
    expect(await ids({ tenantIds: undefined, eventIds: ['evt_user'], destinationIds: ['d1'] })).toEqual([
      'a1',
      'a4',
    ]);
  });

  it.each(['desc', 'asc'] as const)('when pages are walked %s and back with ties on time, then each attempt appears once in order', async (dir) => {
    const tenantId = uniqueId('tnt');
    const seeds: [string, number][] = [[`${dir}1`, 1], [`${dir}3`, 2], [`${dir}2`, 2], [`${dir}4`, 2], [`${dir}5`, 3]];
    for (const [n, [id, second]] of seeds.entries()) await attempts.insert(anAttempt(tenantId, { id, attemptNumber: n + 1, time: at(second) }));
    const desc = seeds.sort(([idA, a], [idB, b]) => b - a || (idA < idB ? 1 : -1)).map(([id]) => id);
    const expected = dir === 'desc' ? desc : [...desc].reverse();
    const query: AttemptListQuery = { tenantIds: [tenantId], limit: 2, dir };

    const pages = await collectPages((cursor) => attempts.list({ ...query, ...cursor }));
    const backToSecond = await attempts.list({ ...query, prev: pages[2]?.prev ?? '' });
    const backToFirst = await attempts.list({ ...query, prev: backToSecond.prev ?? '' });

    expect(pages.map((page) => page.ids)).toEqual([expected.slice(0, 2), expected.slice(2, 4), expected.slice(4)]);
    expect([pages[0]?.prev, pages[2]?.next]).toEqual([null, null]);
    expect(backToSecond.models.map((a) => a.id)).toEqual(expected.slice(2, 4));
    expect(backToFirst.models.map((a) => a.id)).toEqual(expected.slice(0, 2));
    expect(backToFirst.prev).toBeNull();
  });

  it('when the list is empty, then there is no cursor either way', async () => {
    expect(await attempts.list({ tenantIds: [uniqueId('tnt')], limit: 5, dir: 'desc' })).toEqual({
      models: [],
      next: null,
      prev: null,
    });
  });

  it('when the cursor belongs to the event list or is garbage, then list throws InvalidCursorError', async () => {
    const eventCursor = encodeCursor('evt', '["2025-01-01T00:00:00.000000Z","e","t"]');

    await expect(attempts.list({ limit: 5, dir: 'desc', next: eventCursor })).rejects.toThrowError(InvalidCursorError);
    await expect(attempts.list({ limit: 5, dir: 'desc', prev: 'zzz' })).rejects.toThrowError(InvalidCursorError);
  });
});
