import { z } from 'zod';
import { InvalidCursorError } from '../../db/cursor.js';
import { badRequest } from '../errors.js';
import { queryList } from '../validate.js';

/** Query of GET one event or attempt: the tenant it belongs to (admins) and what to include. */
export const getQuery = z.object({ tenant_id: z.string().optional(), include: queryList });

/** The paging a list query asks for; `next` and `prev` together are a 400. */
export function paging(q: { limit: number; dir: 'asc' | 'desc'; next?: string | undefined; prev?: string | undefined }) {
  if (q.next && q.prev) throw badRequest('next and prev cannot be used together');
  return { limit: q.limit, dir: q.dir, next: q.next, prev: q.prev };
}

/** Runs a list query, answering a cursor the repository cannot read with 400 `invalid cursor`. */
export async function withCursorErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badRequest('invalid cursor');
    throw error;
  }
}
