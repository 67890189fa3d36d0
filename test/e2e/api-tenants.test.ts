import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/db/cursor.js';
import { withTransaction } from '../../src/db/transaction.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { uid } from './fixtures.js';

const API_KEY = 'admin-key-for-tenant-list-tests';
const admin = { authorization: `Bearer ${API_KEY}` };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
let herald: TestHerald;

beforeAll(async () => {
  herald = await startTestHerald({ API_KEY, API_JWT_SECRET: 'jwt-secret-for-tenant-list-tests' }, { worker: false });
});
afterAll(async () => {
  await herald?.close();
});

interface ListedPage { models: { id: string }[]; pagination: { next: string | null; prev: string | null }; count: number }

async function list(query: string, headers: Record<string, string> = admin): Promise<ListedPage> {
  const res = await herald.call('GET', `/tenants${query}`, undefined, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as ListedPage;
}

/** Follows `next` from the first page to the last; returns every page's ids. */
async function walkForward(dir: 'asc' | 'desc', limit: number): Promise<{ pages: string[][]; last: ListedPage }> {
  const pages: string[][] = [];
  let page = await list(`?dir=${dir}&limit=${limit}`);
  pages.push(page.models.map((m) => m.id));
  while (page.pagination.next) {
    page = await list(`?dir=${dir}&limit=${limit}&next=${page.pagination.next}`);
    pages.push(page.models.map((m) => m.id));
  }
  return { pages, last: page };
}

async function tokenFor(tenantId: string): Promise<string> {
  const res = await herald.call('GET', `/tenants/${tenantId}/token`, undefined, admin);
  expect(res.status).toBe(200);
  return res.body.token as string;
}

describe('GET /tenants', () => {
  it('when 300 tenants exist, then paging walks them both ways without gaps or repeats', async () => {
    // 200 in one transaction share one created_at, so only the id orders them; 100 more arrive in parallel.
    const sameInstant = Array.from({ length: 200 }, (_, i) => `bulk_${String(i).padStart(3, '0')}_${uid('t')}`);
    await withTransaction(herald.ctx.pool, async (tx) => {
      for (const id of sameInstant) await herald.ctx.tenants.upsert(id, {}, tx);
    });
    const viaApi = Array.from({ length: 100 }, () => uid('api'));
    for (let i = 0; i < viaApi.length; i += 25) {
      await Promise.all(viaApi.slice(i, i + 25).map(async (id) => {
        expect((await herald.call('PUT', `/tenants/${id}`, {}, admin)).status).toBe(201);
      }));
    }
    const all = new Set([...sameInstant, ...viaApi]);

    const desc = await walkForward('desc', 37);
    const descIds = desc.pages.flat();
    expect(descIds).toHaveLength(300);
    expect(new Set(descIds)).toEqual(all);
    expect(desc.pages).toHaveLength(Math.ceil(300 / 37));
    expect(desc.last.count).toBe(300);

    // Back from the last page through `prev`: the same pages, in reverse.
    const back: string[][] = [];
    let page = desc.last;
    while (page.pagination.prev) {
      page = await list(`?dir=desc&limit=37&prev=${page.pagination.prev}`);
      back.unshift(page.models.map((m) => m.id));
    }
    expect([...back, desc.pages.at(-1)]).toEqual(desc.pages);

    const asc = await walkForward('asc', 50);
    expect(asc.pages.flat()).toEqual([...descIds].reverse());
    const bulkInAsc = asc.pages.flat().filter((id) => id.startsWith('bulk_'));
    expect(bulkInAsc).toEqual([...sameInstant].sort());
  });

  it('when the first page is asked for with defaults, then it has 20 tenants, ordered by created_at desc, and no prev', async () => {
    const page = await herald.call('GET', '/tenants', undefined, admin);
    expect(page.body.pagination).toMatchObject({ order_by: 'created_at', dir: 'desc', limit: 20, prev: null });
    expect(page.body.pagination.next).toEqual(expect.any(String));
    expect(page.body.models).toHaveLength(20);
    expect(page.body.count).toBeGreaterThanOrEqual(300);
  });

  it('when a tenant has destinations, then its listing shows their topics and count, and deleted tenants are gone', async () => {
    const id = uid('summary');
    const gone = uid('gone');
    await herald.call('PUT', `/tenants/${id}`, { metadata: { name: 'Acme' } }, admin);
    await herald.call('PUT', `/tenants/${gone}`, {}, admin);
    for (const topics of [['b.x', 'a.y'], ['a.y', 'c.z']]) {
      const created = await herald.call('POST', `/tenants/${id}/destinations`, { type: 'webhook', topics, config: { url: 'https://example.com/hook' } }, admin);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    await herald.call('DELETE', `/tenants/${gone}`, undefined, admin);

    const page = await list(`?id[]=${id}&id[]=${gone}`);
    expect(page.count).toBe(1);
    expect(page.models).toEqual([{
      id, destinations_count: 2, topics: ['a.y', 'b.x', 'c.z'], metadata: { name: 'Acme' },
      created_at: expect.any(String), updated_at: expect.any(String),
    }]);
    expect((await list(`?id=${id}`)).models.map((m) => m.id)).toEqual([id]);
  });

  it.each([
    ['?limit=0', /limit/],
    ['?limit=101', /limit/],
    ['?limit=ten', /limit/],
    ['?dir=sideways', /dir/],
    ['?order_by=time', /order_by/],
    ['?next=abc&prev=abc', /next and prev/],
    ['?next=not-a-cursor!', /invalid cursor/],
  ])('when the query is %s, then 400 in the error envelope', async (query, message) => {
    const res = await herald.call('GET', `/tenants${query}`, undefined, admin);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 400, message: expect.stringMatching(message) });
  });

  it('when a cursor from another list is replayed here, then 400 invalid cursor', async () => {
    const eventCursor = encodeCursor('evt', JSON.stringify(['2026-01-01T00:00:00.000000Z', 'evt_1', 'tenant_1']));
    const res = await herald.call('GET', `/tenants?next=${eventCursor}`, undefined, admin);
    expect(res.body).toEqual({ status: 400, message: 'invalid cursor' });
  });
});

describe('GET /tenants authorization', () => {
  it('when a tenant token lists, then it sees only its own tenant, on one page without cursors', async () => {
    const own = uid('own');
    const other = uid('other');
    await herald.call('PUT', `/tenants/${own}`, {}, admin);
    await herald.call('PUT', `/tenants/${other}`, {}, admin);
    const token = await tokenFor(own);
    for (const query of ['', `?id=${other}`, '?limit=1&dir=asc']) {
      const page = await list(query, bearer(token));
      expect(page.models.map((m) => m.id)).toEqual([own]);
      expect(page).toMatchObject({ count: 1, pagination: { next: null, prev: null } });
    }
  });

  it('when the caller has no token, a bad one, or a deleted tenant\'s, then 401', async () => {
    const tenantId = uid('stale');
    await herald.call('PUT', `/tenants/${tenantId}`, {}, admin);
    const stale = await tokenFor(tenantId);
    await herald.call('DELETE', `/tenants/${tenantId}`, undefined, admin);
    for (const headers of [{}, bearer('not-a-token'), bearer(stale)]) {
      expect((await herald.call('GET', '/tenants', undefined, headers)).status).toBe(401);
    }
  });
});
