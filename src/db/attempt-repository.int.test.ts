import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttemptListQuery, createAttemptRepository } from './attempt-repository.js';
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

  it('when the same attempt is upserted again, then one row holds the latest values', async () => {
    const tenantId = uniqueId('tnt');
    const first = anAttempt(tenantId, { status: 'failed', code: 'timeout', responseData: null });

    await attempts.upsert(first);
    const second = await attempts.upsert({ ...first, status: 'success', code: '200', responseData: { status: 200 } });

    expect(second).toEqual({ ...first, status: 'success', code: '200', responseData: { status: 200 } });
    expect(await attempts.get(tenantId, first.id)).toEqual(second);
    const { rows } = await pool.query(`SELECT 1 FROM attempts WHERE id = $1`, [first.id]);
    expect(rows).toHaveLength(1);
  });

  it('when a re-run activity records the same attempt concurrently, then exactly one row exists', async () => {
    const attempt = anAttempt(uniqueId('tnt'));

    await Promise.all(Array.from({ length: 5 }, () => attempts.upsert(attempt)));

    const { rows } = await pool.query(`SELECT 1 FROM attempts WHERE id = $1`, [attempt.id]);
    expect(rows).toHaveLength(1);
  });

  it('when an attempt is read, then it is found in its tenant or without a tenant, and not in another tenant', async () => {
    const attempt = await attempts.upsert(anAttempt(uniqueId('tnt'), { exhaustedRetries: true, manual: true }));

    expect(await attempts.get(attempt.tenantId, attempt.id)).toEqual(attempt);
    expect(await attempts.get(null, attempt.id)).toEqual(attempt);
    expect(await attempts.get(uniqueId('tnt'), attempt.id)).toBeNull();
    expect(await attempts.get(null, uniqueId('atm'))).toBeNull();
  });

  it('when attempts exist for an event and destination, then latestFor returns the highest attempt number', async () => {
    const tenantId = uniqueId('tnt');
    const base = { eventId: 'evt_a', destinationId: 'des_a' };
    await attempts.upsert(anAttempt(tenantId, { ...base, attemptNumber: 1, time: at(1), status: 'failed' }));
    await attempts.upsert(anAttempt(tenantId, { ...base, attemptNumber: 3, time: at(3), manual: true, id: 'atm_latest' }));
    await attempts.upsert(anAttempt(tenantId, { ...base, attemptNumber: 2, time: at(2), status: 'failed' }));
    await attempts.upsert(anAttempt(tenantId, { ...base, destinationId: 'des_b', attemptNumber: 9, time: at(9) }));

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
    for (const attempt of seed) await attempts.upsert(attempt);
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
    const seeds: [string, number][] = [['b1', 1], ['b3', 2], ['b2', 2], ['b4', 2], ['b5', 3]];
    for (const [id, second] of seeds) await attempts.upsert(anAttempt(tenantId, { id, time: at(second) }));
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
