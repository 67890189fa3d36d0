import type pg from 'pg';
import type { EventRecord, StringMap } from '../domain/types.js';
import { type Page, type PageRequest, cursorTimeSql, planKeyset } from './keyset.js';
import { createStatementBatcher } from './statement-batcher.js';
import { QueryParams, type TimeRange, membershipCondition, timeRangeConditions, whereClause } from './query-params.js';

/** An event to store; `createdAt` is set by the database and `dispatchedAt` by `markDispatched`. */
export type NewEvent = Omit<EventRecord, 'createdAt' | 'dispatchedAt'>;

/** Filters combine with AND; an undefined or empty array means no filter on that field. */
export interface EventListQuery extends PageRequest {
  readonly tenantIds?: readonly string[] | undefined;
  readonly ids?: readonly string[] | undefined;
  /** Events whose `matched_destination_ids` include any of these. */
  readonly destinationIds?: readonly string[] | undefined;
  readonly topics?: readonly string[] | undefined;
  readonly time?: TimeRange | undefined;
}

export interface EventRepository {
  /** Stores the event unless (tenant, id) exists; either way returns the stored row. */
  insertIfAbsent(event: NewEvent): Promise<{ event: EventRecord; inserted: boolean }>;
  /** With a null tenant (admin), the oldest stored event with this id in any tenant. */
  get(tenantId: string | null, id: string): Promise<EventRecord | null>;
  /** Records that delivery was started (first call wins); false when the event does not exist. */
  markDispatched(tenantId: string, id: string): Promise<boolean>;
  /** `markDispatched` for many events in one statement; returns how many exist. */
  markDispatchedMany(keys: readonly { readonly tenantId: string; readonly id: string }[]): Promise<number>;
  /**
   * Takes up to `limit` events stored more than `olderThanMs` ago whose dispatch never completed,
   * oldest first, and hides them from other callers for `holdMs` (so several workers share the
   * work, and an event whose starts keep failing is tried again only after that).
   */
  claimUndispatched(olderThanMs: number, limit: number, holdMs: number): Promise<EventRecord[]>;
  /** Keyset-paged by (time, id, tenant), in `dir` order. Throws `InvalidCursorError` on a bad cursor. */
  list(query: EventListQuery): Promise<Page<EventRecord>>;
}

/** A row of `events` as selected with EVENT_COLUMNS (table alias `e`). */
export interface EventRow {
  tenant_id: string;
  id: string;
  topic: string;
  time: Date;
  eligible_for_retry: boolean;
  metadata: StringMap;
  data: Record<string, unknown>;
  destination_id: string | null;
  matched_destination_ids: string[];
  created_at: Date;
  dispatched_at: Date | null;
  cursor_time: string;
}

export const EVENT_COLUMNS = [
  'tenant_id', 'id', 'topic', 'time', 'eligible_for_retry', 'metadata', 'data', 'destination_id',
  'matched_destination_ids', 'created_at', 'dispatched_at',
].map((column) => `e.${column}`).join(', ') + `, ${cursorTimeSql('e.time')} AS cursor_time`;

export function createEventRepository(pool: pg.Pool): EventRepository {
  /** Inserts a batch (see statement-batcher); events whose key already existed come back as null. */
  const insertBatch = createStatementBatcher(async (events: readonly NewEvent[]): Promise<(EventRecord | null)[]> => {
    const { rows } = await pool.query<EventRow>({
      name: 'herald-insert-events',
      text: `INSERT INTO events AS e
         (tenant_id, id, topic, time, eligible_for_retry, metadata, data, destination_id, matched_destination_ids)
       SELECT v.tenant_id, v.id, v.topic, v.time, v.eligible_for_retry, v.metadata::jsonb, v.data::json, v.destination_id,
              ARRAY(SELECT json_array_elements_text(v.matched::json))
         FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bool[], $6::text[], $7::text[], $8::text[], $9::text[])
           AS v(tenant_id, id, topic, time, eligible_for_retry, metadata, data, destination_id, matched)
       ON CONFLICT (tenant_id, id) DO NOTHING
       RETURNING ${EVENT_COLUMNS}`,
      values: [
        events.map((e) => e.tenantId), events.map((e) => e.id), events.map((e) => e.topic), events.map((e) => e.time),
        events.map((e) => e.eligibleForRetry), events.map((e) => JSON.stringify(e.metadata)), events.map((e) => JSON.stringify(e.data)),
        events.map((e) => e.destinationId), events.map((e) => JSON.stringify(e.matchedDestinationIds)),
      ],
    });
    const inserted = new Map(rows.map((row) => [`${row.tenant_id}\u0000${row.id}`, row]));
    // Two publishes of one key in one batch: the first row inserted it, the second conflicted.
    const taken = new Set<string>();
    return events.map((e) => {
      const key = `${e.tenantId}\u0000${e.id}`;
      const row = inserted.get(key);
      if (!row || taken.has(key)) return null;
      taken.add(key);
      return toEvent(row);
    });
  }, { maxBatch: 200 });

  async function insertIfAbsent(event: NewEvent): Promise<{ event: EventRecord; inserted: boolean }> {
    const stored = await insertBatch(event);
    if (stored) return { event: stored, inserted: true };
    // DO NOTHING waited for any concurrent insert of this key to commit, so a fresh read sees it.
    const existing = await pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.tenant_id = $1 AND e.id = $2`, [
      event.tenantId,
      event.id,
    ]);
    if (!existing.rows[0]) {
      throw new Error(`event ${event.id} of tenant ${event.tenantId} conflicted but cannot be read`);
    }
    return { event: toEvent(existing.rows[0]), inserted: false };
  }

  async function get(tenantId: string | null, id: string): Promise<EventRecord | null> {
    const { rows } =
      tenantId === null
        ? await pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = $1 ORDER BY e.created_at LIMIT 1`, [id])
        : await pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.tenant_id = $1 AND e.id = $2`, [tenantId, id]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async function markDispatched(tenantId: string, id: string): Promise<boolean> {
    return (await markDispatchedMany([{ tenantId, id }])) > 0;
  }

  async function markDispatchedMany(keys: readonly { readonly tenantId: string; readonly id: string }[]): Promise<number> {
    if (keys.length === 0) return 0;
    const { rowCount } = await pool.query({
      name: 'herald-mark-dispatched',
      text: `UPDATE events e SET dispatched_at = COALESCE(e.dispatched_at, now())
         FROM unnest($1::text[], $2::text[]) AS k(tenant_id, id)
        WHERE e.tenant_id = k.tenant_id AND e.id = k.id`,
      values: [keys.map((k) => k.tenantId), keys.map((k) => k.id)],
    });
    return rowCount ?? 0;
  }

  async function claimUndispatched(olderThanMs: number, limit: number, holdMs: number): Promise<EventRecord[]> {
    const { rows } = await pool.query<EventRow>(
      `UPDATE events e SET redrive_after = now() + $3 * interval '1 millisecond'
        WHERE (e.tenant_id, e.id) IN (
          SELECT u.tenant_id, u.id FROM events u
           WHERE u.dispatched_at IS NULL AND u.created_at < now() - $1 * interval '1 millisecond'
             AND (u.redrive_after IS NULL OR u.redrive_after <= now())
           ORDER BY u.created_at LIMIT $2
           FOR UPDATE SKIP LOCKED)
        RETURNING ${EVENT_COLUMNS}`,
      [olderThanMs, limit, holdMs],
    );
    return rows.map(toEvent);
  }

  async function list(query: EventListQuery): Promise<Page<EventRecord>> {
    const params = new QueryParams();
    const conditions = [
      ...membershipCondition('e.tenant_id', query.tenantIds, params),
      ...membershipCondition('e.id', query.ids, params),
      ...membershipCondition('e.topic', query.topics, params),
      ...timeRangeConditions('e.time', query.time, params),
    ];
    if (query.destinationIds && query.destinationIds.length > 0) {
      conditions.push(`e.matched_destination_ids && ${params.add(query.destinationIds)}::text[]`);
    }
    // Within one tenant, (time, id) is unique and matches the per-tenant index; across tenants the
    // tenant id breaks ties between equal event ids.
    const singleTenant = query.tenantIds?.length === 1;
    const keyset = planKeyset(
      { resource: 'evt', positionLength: 3, columns: singleTenant ? ['e.time', 'e.id'] : ['e.time', 'e.id', 'e.tenant_id'] },
      query,
      params,
    );
    if (keyset.seek) {
      conditions.push(keyset.seek);
    }
    const { rows } = await pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events e ${whereClause(conditions)}
        ORDER BY ${keyset.orderBy} LIMIT ${params.add(keyset.fetchLimit)}`,
      params.values,
    );
    return keyset.toPage(rows, (row) => [row.cursor_time, row.id, row.tenant_id], toEvent);
  }

  return { insertIfAbsent, get, markDispatched, markDispatchedMany, claimUndispatched, list };
}

export function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    topic: row.topic,
    time: row.time,
    eligibleForRetry: row.eligible_for_retry,
    metadata: row.metadata,
    data: row.data,
    destinationId: row.destination_id,
    matchedDestinationIds: row.matched_destination_ids,
    createdAt: row.created_at,
    dispatchedAt: row.dispatched_at,
  };
}
