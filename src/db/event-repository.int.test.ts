import type pg from 'pg';
import type { EventRecord } from '../domain/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from './cursor.js';
import { InvalidCursorError } from './errors.js';
import { type EventListQuery, createEventRepository } from './event-repository.js';
import { aDestination, anEvent, collectPages, createTestPool, uniqueId } from './testing/fixtures.js';

describe('event repository', () => {
  let pool: pg.Pool;
  let events: ReturnType<typeof createEventRepository>;

  beforeAll(async () => {
    pool = await createTestPool();
    events = createEventRepository(pool);
  });

  afterAll(async () => {
    await pool.end();
  });

  const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, second));

  /** Seven events of one tenant with ties on time; returns their ids in (time desc, id desc) order. */
  async function seedTies(tenantId: string): Promise<string[]> {
    const seeds: [string, number][] = [['e1', 1], ['e2', 2], ['e4', 2], ['e3', 2], ['e5', 3], ['e6', 3], ['e7', 4]];
    for (const [id, second] of seeds) {
      await events.insertIfAbsent(anEvent(tenantId, { id, time: at(second) }));
    }
    return seeds
      .sort(([idA, a], [idB, b]) => b - a || (idA < idB ? 1 : -1))
      .map(([id]) => id);
  }

  it('when an event is inserted twice, then the second call returns the stored original and inserted=false', async () => {
    const tenantId = uniqueId('tnt');
    const original = anEvent(tenantId, { data: { version: 1 }, metadata: { source: 'a' } });

    const first = await events.insertIfAbsent(original);
    const second = await events.insertIfAbsent({ ...original, data: { version: 2 }, topic: 'other' });

    expect(first).toEqual({ inserted: true, event: { ...original, createdAt: expect.any(Date), dispatchedAt: null } });
    expect(second).toEqual({ inserted: false, event: first.event });
  });

  it('when the same event is inserted concurrently, then exactly one insert wins and all see the same row', async () => {
    const event = anEvent(uniqueId('tnt'));

    const results = await Promise.all(Array.from({ length: 8 }, () => events.insertIfAbsent(event)));

    expect(results.filter((result) => result.inserted)).toHaveLength(1);
    expect(new Set(results.map((result) => result.event.createdAt.getTime())).size).toBe(1);
  });

  it('when an event is stored, then its payload keeps the key order it was given', async () => {
    const event = anEvent(uniqueId('tnt'), { data: { zebra: 1, apple: { y: true, b: null }, mango: [3, 1] } });

    await events.insertIfAbsent(event);

    const { rows } = await pool.query<{ data: string }>(`SELECT data::text AS data FROM events WHERE id = $1`, [event.id]);
    expect(rows[0]?.data).toBe('{"zebra":1,"apple":{"y":true,"b":null},"mango":[3,1]}');
    expect(Object.keys((await events.get(event.tenantId, event.id))?.data ?? {})).toEqual(['zebra', 'apple', 'mango']);
  });

  it('when an event is read, then it is found in its tenant or without a tenant, and not in another tenant', async () => {
    const event = anEvent(uniqueId('tnt'));
    await events.insertIfAbsent(event);

    expect((await events.get(event.tenantId, event.id))?.id).toBe(event.id);
    expect((await events.get(null, event.id))?.tenantId).toBe(event.tenantId);
    expect(await events.get(uniqueId('tnt'), event.id)).toBeNull();
    expect(await events.get(null, uniqueId('evt'))).toBeNull();
  });

  it('when an event is marked dispatched twice, then the first time stands and it leaves the undispatched list', async () => {
    const event = anEvent(uniqueId('tnt'));
    await events.insertIfAbsent(event);
    const undispatchedBefore = await events.claimUndispatched(-60_000, 1000, 0);

    expect(await events.markDispatched(event.tenantId, event.id)).toBe(true);
    const first = (await events.get(event.tenantId, event.id))?.dispatchedAt;
    expect(await events.markDispatched(event.tenantId, event.id)).toBe(true);

    expect(undispatchedBefore.map((e) => e.id)).toContain(event.id);
    expect(first).toBeInstanceOf(Date);
    expect((await events.get(event.tenantId, event.id))?.dispatchedAt).toEqual(first);
    expect((await events.claimUndispatched(-60_000, 1000, 0)).map((e) => e.id)).not.toContain(event.id);
    expect(await events.markDispatched(event.tenantId, uniqueId('evt'))).toBe(false);
  });

  it('when undispatched events are claimed, then each goes to one claimer, comes back after the hold, and young ones wait', async () => {
    const old = anEvent(uniqueId('tnt'));
    await events.insertIfAbsent(old);
    const claimed = (ids: EventRecord[]) => ids.some((e) => e.id === old.id && e.tenantId === old.tenantId);

    const [first, second] = await Promise.all([events.claimUndispatched(-60_000, 1000, 60_000), events.claimUndispatched(-60_000, 1000, 60_000)]);
    expect([claimed(first), claimed(second)].filter(Boolean)).toHaveLength(1);
    expect(claimed(await events.claimUndispatched(-60_000, 1000, 0))).toBe(false);
    expect(claimed(await events.claimUndispatched(60_000, 1000, 0))).toBe(false);
    await pool.query(`UPDATE events SET redrive_after = now() - interval '1 second' WHERE tenant_id = $1`, [old.tenantId]);
    expect(claimed(await events.claimUndispatched(-60_000, 1000, 0))).toBe(true);
  });

  it.each(['desc', 'asc'] as const)('when pages are walked %s with ties on time, then every event appears once in order', async (dir) => {
    const tenantId = uniqueId('tnt');
    const desc = await seedTies(tenantId);
    const expected = dir === 'desc' ? desc : [...desc].reverse();

    const pages = await collectPages((cursor) => events.list({ tenantIds: [tenantId], limit: 3, dir, ...cursor }));

    expect(pages.map((page) => page.ids)).toEqual([expected.slice(0, 3), expected.slice(3, 6), expected.slice(6)]);
    expect(pages[0]?.prev).toBeNull();
    expect(pages[2]?.next).toBeNull();
  });

  it('when paging back with prev, then the previous pages come back in the same order until prev is null', async () => {
    const tenantId = uniqueId('tnt');
    const expected = await seedTies(tenantId);
    const query: EventListQuery = { tenantIds: [tenantId], limit: 3, dir: 'desc' };
    const pages = await collectPages((cursor) => events.list({ ...query, ...cursor }));

    const second = await events.list({ ...query, prev: pages[2]?.prev ?? '' });
    const first = await events.list({ ...query, prev: second.prev ?? '' });

    expect(second.models.map((e) => e.id)).toEqual(expected.slice(3, 6));
    expect(second.next).toBe(pages[1]?.next);
    expect(first.models.map((e) => e.id)).toEqual(expected.slice(0, 3));
    expect(first.prev).toBeNull();
    expect(first.next).not.toBeNull();
  });

  it('when times differ only in microseconds, then cursors keep that precision', async () => {
    const tenantId = uniqueId('tnt');
    for (const [id, micros] of [['c', 1], ['b', 2], ['a', 3]] as const) {
      await pool.query(
        `INSERT INTO events (tenant_id, id, topic, time, eligible_for_retry, data)
         VALUES ($1, $2, 't', $3::timestamptz, true, '{}')`,
        [tenantId, id, `2025-01-01T00:00:00.00000${micros}Z`],
      );
    }

    const pages = await collectPages((cursor) => events.list({ tenantIds: [tenantId], limit: 1, dir: 'desc', ...cursor }));

    expect(pages.map((page) => page.ids)).toEqual([['a'], ['b'], ['c']]);
  });

  it('when two tenants hold the same event id at the same time, then a cross-tenant list shows both once', async () => {
    const [a, b] = [uniqueId('tnt'), uniqueId('tnt')];
    for (const tenantId of [a, b]) {
      await events.insertIfAbsent(anEvent(tenantId, { id: 'same', time: at(5) }));
      await events.insertIfAbsent(anEvent(tenantId, { id: 'other', time: at(5) }));
    }

    const pages = await collectPages((cursor) =>
      events.list({ tenantIds: [a, b], limit: 1, dir: 'desc', ...cursor }).then((page) => ({
        ...page,
        models: page.models.map((e) => ({ ...e, id: `${e.tenantId}/${e.id}` })),
      })),
    );

    expect(pages.flatMap((page) => page.ids).sort()).toEqual([`${a}/other`, `${a}/same`, `${b}/other`, `${b}/same`].sort());
  });

  it('when filters are given, then they combine with AND', async () => {
    const tenantId = uniqueId('tnt');
    const other = uniqueId('tnt');
    const seed = [
      anEvent(tenantId, { id: 'f1', topic: 'user.created', time: at(1), matchedDestinationIds: ['d1'] }),
      anEvent(tenantId, { id: 'f2', topic: 'user.deleted', time: at(2), matchedDestinationIds: ['d1', 'd2'] }),
      anEvent(tenantId, { id: 'f3', topic: 'user.created', time: at(3), matchedDestinationIds: ['d3'] }),
      anEvent(other, { id: 'f4', topic: 'user.created', time: at(2), matchedDestinationIds: ['d1'] }),
    ];
    for (const event of seed) await events.insertIfAbsent(event);
    const ids = async (query: Partial<EventListQuery>) =>
      (await events.list({ tenantIds: [tenantId], limit: 10, dir: 'asc', ...query })).models.map((e) => e.id);

    expect(await ids({})).toEqual(['f1', 'f2', 'f3']);
    expect(await ids({ topics: ['user.created'] })).toEqual(['f1', 'f3']);
    expect(await ids({ destinationIds: ['d2', 'd3'] })).toEqual(['f2', 'f3']);
    expect(await ids({ ids: ['f1', 'f3', 'f4'] })).toEqual(['f1', 'f3']);
    expect(await ids({ time: { gte: at(2), lt: at(3) } })).toEqual(['f2']);
    expect(await ids({ time: { gt: at(1), lte: at(3) }, topics: ['user.created'] })).toEqual(['f3']);
    expect(await ids({ tenantIds: [tenantId, other], destinationIds: ['d1'] })).toEqual(['f1', 'f2', 'f4']);
    expect(await ids({ tenantIds: undefined, ids: ['f4'] })).toEqual(['f4']);
  });

  it.each([
    ['garbage', { next: 'not-a-cursor!' }],
    ['a cursor of the attempt list', { next: encodeCursor('atm', '["2025-01-01T00:00:00.000000Z","x"]') }],
    ['an unreadable position', { prev: encodeCursor('evt', 'garbage') }],
    ['a position of the wrong shape', { next: encodeCursor('evt', '["2025-01-01T00:00:00.000000Z","x"]') }],
    ['both next and prev', { next: encodeCursor('evt', '[]'), prev: encodeCursor('evt', '[]') }],
  ])('when the cursor is %s, then list throws InvalidCursorError', async (_what, cursor) => {
    await expect(events.list({ limit: 10, dir: 'desc', ...cursor })).rejects.toThrowError(InvalidCursorError);
  });

  it('when the publisher named a destination, then the routing hint is stored beside the matched ids', async () => {
    const tenantId = uniqueId('tnt');
    const destination = aDestination(tenantId);
    const event = anEvent(tenantId, { destinationId: destination.id, matchedDestinationIds: [destination.id] });

    const { event: stored } = await events.insertIfAbsent(event);

    expect(stored).toMatchObject({ destinationId: destination.id, matchedDestinationIds: [destination.id] });
  });
});
