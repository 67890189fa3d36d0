import type pg from 'pg';
import type { Attempt, AttemptStatus } from '../domain/types.js';
import { type Page, type PageRequest, cursorTimeSql, planKeyset } from './keyset.js';
import { QueryParams, type TimeRange, membershipCondition, timeRangeConditions, whereClause } from './query-params.js';

/** Filters combine with AND; an undefined or empty array means no filter on that field. */
export interface AttemptListQuery extends PageRequest {
  readonly tenantIds?: readonly string[] | undefined;
  readonly eventIds?: readonly string[] | undefined;
  readonly destinationIds?: readonly string[] | undefined;
  readonly destinationTypes?: readonly string[] | undefined;
  readonly status?: AttemptStatus | undefined;
  /** Topics of the attempted events. */
  readonly topics?: readonly string[] | undefined;
  readonly time?: TimeRange | undefined;
}

export interface AttemptRepository {
  /** Inserts, or overwrites the row with the same id: a re-run activity records its attempt once. */
  upsert(attempt: Attempt, client?: pg.PoolClient): Promise<Attempt>;
  /** With a null tenant (admin), the attempt in any tenant. */
  get(tenantId: string | null, id: string): Promise<Attempt | null>;
  /** The highest-numbered attempt of this event to this destination. */
  latestFor(tenantId: string, eventId: string, destinationId: string): Promise<Attempt | null>;
  /** Keyset-paged by (time, id), in `dir` order. Throws `InvalidCursorError` on a bad cursor. */
  list(query: AttemptListQuery): Promise<Page<Attempt>>;
}

interface AttemptRow {
  id: string;
  tenant_id: string;
  event_id: string;
  destination_id: string;
  destination_type: string;
  attempt_number: number;
  manual: boolean;
  status: AttemptStatus;
  code: string;
  response_data: Record<string, unknown> | null;
  time: Date;
  exhausted_retries: boolean;
  cursor_time: string;
}

const COLUMNS = [
  'id', 'tenant_id', 'event_id', 'destination_id', 'destination_type', 'attempt_number', 'manual', 'status', 'code',
  'response_data', 'time', 'exhausted_retries',
].map((column) => `a.${column}`).join(', ') + `, ${cursorTimeSql('a.time')} AS cursor_time`;

export function createAttemptRepository(pool: pg.Pool): AttemptRepository {
  async function upsert(attempt: Attempt, client?: pg.PoolClient): Promise<Attempt> {
    const { rows } = await (client ?? pool).query<AttemptRow>(
      `INSERT INTO attempts AS a
         (id, tenant_id, event_id, destination_id, destination_type, attempt_number, manual, status, code,
          response_data, time, exhausted_retries)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12)
       ON CONFLICT (id) DO UPDATE SET
         tenant_id = EXCLUDED.tenant_id, event_id = EXCLUDED.event_id, destination_id = EXCLUDED.destination_id,
         destination_type = EXCLUDED.destination_type, attempt_number = EXCLUDED.attempt_number,
         manual = EXCLUDED.manual, status = EXCLUDED.status, code = EXCLUDED.code,
         response_data = EXCLUDED.response_data, time = EXCLUDED.time, exhausted_retries = EXCLUDED.exhausted_retries
       RETURNING ${COLUMNS}`,
      [
        attempt.id,
        attempt.tenantId,
        attempt.eventId,
        attempt.destinationId,
        attempt.destinationType,
        attempt.attemptNumber,
        attempt.manual,
        attempt.status,
        attempt.code,
        attempt.responseData === null ? null : JSON.stringify(attempt.responseData),
        attempt.time,
        attempt.exhaustedRetries,
      ],
    );
    return toAttempt(rows[0] as AttemptRow);
  }

  async function get(tenantId: string | null, id: string): Promise<Attempt | null> {
    const { rows } = await pool.query<AttemptRow>(
      `SELECT ${COLUMNS} FROM attempts a WHERE a.id = $1 AND ($2::text IS NULL OR a.tenant_id = $2)`,
      [id, tenantId],
    );
    return rows[0] ? toAttempt(rows[0]) : null;
  }

  async function latestFor(tenantId: string, eventId: string, destinationId: string): Promise<Attempt | null> {
    const { rows } = await pool.query<AttemptRow>(
      `SELECT ${COLUMNS} FROM attempts a
        WHERE a.tenant_id = $1 AND a.event_id = $2 AND a.destination_id = $3
        ORDER BY a.attempt_number DESC, a.time DESC, a.id DESC
        LIMIT 1`,
      [tenantId, eventId, destinationId],
    );
    return rows[0] ? toAttempt(rows[0]) : null;
  }

  async function list(query: AttemptListQuery): Promise<Page<Attempt>> {
    const params = new QueryParams();
    const conditions = [
      ...membershipCondition('a.tenant_id', query.tenantIds, params),
      ...membershipCondition('a.event_id', query.eventIds, params),
      ...membershipCondition('a.destination_id', query.destinationIds, params),
      ...membershipCondition('a.destination_type', query.destinationTypes, params),
      ...(query.status ? [`a.status = ${params.add(query.status)}`] : []),
      ...timeRangeConditions('a.time', query.time, params),
    ];
    if (query.topics && query.topics.length > 0) {
      conditions.push(
        `EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = a.tenant_id AND e.id = a.event_id
                   AND e.topic = ANY (${params.add(query.topics)}::text[]))`,
      );
    }
    const keyset = planKeyset({ resource: 'atm', positionLength: 2, columns: ['a.time', 'a.id'] }, query, params);
    if (keyset.seek) {
      conditions.push(keyset.seek);
    }
    const { rows } = await pool.query<AttemptRow>(
      `SELECT ${COLUMNS} FROM attempts a ${whereClause(conditions)}
        ORDER BY ${keyset.orderBy} LIMIT ${params.add(keyset.fetchLimit)}`,
      params.values,
    );
    return keyset.toPage(rows, (row) => [row.cursor_time, row.id], toAttempt);
  }

  return { upsert, get, latestFor, list };
}

function toAttempt(row: AttemptRow): Attempt {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    eventId: row.event_id,
    destinationId: row.destination_id,
    destinationType: row.destination_type,
    attemptNumber: row.attempt_number,
    manual: row.manual,
    status: row.status,
    code: row.code,
    responseData: row.response_data,
    time: row.time,
    exhaustedRetries: row.exhausted_retries,
  };
}
