import type pg from 'pg';
import type { Attempt, AttemptStatus, EventRecord } from '../domain/types.js';
import { EVENT_COLUMNS, toEvent, type EventRow } from './event-repository.js';
import { createStatementBatcher } from './statement-batcher.js';
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

/** A send about to go out: its row is written first, as `sending`, and completed after the send. */
export type SendClaim = Pick<Attempt, 'id' | 'tenantId' | 'eventId' | 'destinationId' | 'destinationType' | 'attemptNumber' | 'manual'> & {
  readonly sendSeq: number;
  /** How long the claimant may still be sending: the attempt timeout plus a margin. */
  readonly leaseMs: number;
  /** Who sends: a process-unique id, so a re-execution in the same process can join the send. */
  readonly claimedBy: string;
};

/** One send of an attempt number, as stored; `attempt` is set once its outcome is known. */
export interface SendRecord {
  readonly id: string;
  readonly sendSeq: number;
  readonly claimedBy: string | null;
  /** Still `sending`: the outcome is not recorded yet. */
  readonly sending: boolean;
  /** While sending: milliseconds until the lease ends on the database's clock (≤ 0: expired). */
  readonly leaseRemainingMs: number;
  readonly attempt: Attempt | null;
}

/** The code of a send whose worker stopped before its outcome was recorded. */
export const INTERRUPTED_CODE = 'interrupted';
const INTERRUPTED_MESSAGE =
  'The worker stopped during this attempt before its outcome was recorded; the destination may or may not have received it.';

export interface AttemptRepository {
  /** Stores a completed attempt unless its id or send exists (fixtures and tools; deliveries use claims). */
  insert(attempt: Attempt, client?: pg.PoolClient): Promise<Attempt>;
  /** Writes the `sending` row of a send; false when that send (id or number+seq) is already taken. */
  claimSend(claim: SendClaim): Promise<boolean>;
  /** `claimSend` and a read of the attempted event, in one round trip (the attempt's first query). */
  claimSendReadingEvent(claim: SendClaim): Promise<{ readonly claimed: boolean; readonly event: EventRecord | null }>;
  /** Every send of one attempt number of a delivery, by send_seq. */
  sendsOf(tenantId: string, eventId: string, destinationId: string, attemptNumber: number): Promise<SendRecord[]>;
  /**
   * Records the outcome of a claimed send. Only a `sending` row, or one marked interrupted while
   * its worker was presumed gone, takes an outcome: a recorded attempt is never rewritten.
   */
  completeSend(attempt: Attempt): Promise<void>;
  /**
   * Marks a send whose lease expired (or, with `force`, any send still in flight: its claimant knows
   * it stopped) as failed `interrupted`; false when it is not, or no longer, such a send.
   */
  markInterrupted(id: string, options?: { force?: boolean }): Promise<boolean>;
  /** Drops a claim that never sent (the destination turned out to be disabled or deleted). */
  releaseClaim(id: string): Promise<void>;
  /** With a null tenant (admin), the attempt in any tenant. */
  get(tenantId: string | null, id: string): Promise<Attempt | null>;
  /** The highest-numbered attempt of this event to this destination. */
  latestFor(tenantId: string, eventId: string, destinationId: string): Promise<Attempt | null>;
  /** Keyset-paged by (time, id), in `dir` order. Throws `InvalidCursorError` on a bad cursor. */
  list(query: AttemptListQuery): Promise<Page<Attempt>>;
}

/**
 * JSON for a jsonb column from what a destination answered: Postgres refuses NUL characters and
 * unpaired surrogates in jsonb, and a receiver's body may hold either, so they become U+FFFD
 * rather than an attempt that can never be recorded.
 */
function storableJson(value: Record<string, unknown> | null): string | null {
  if (value === null) return null;
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'string' ? inner.toWellFormed().replaceAll('\u0000', '\uFFFD') : inner);
}

interface AttemptRow {
  id: string;
  tenant_id: string;
  event_id: string;
  destination_id: string;
  destination_type: string;
  attempt_number: number;
  manual: boolean;
  status: AttemptStatus | 'sending';
  code: string;
  response_data: Record<string, unknown> | null;
  time: Date;
  exhausted_retries: boolean;
  send_seq: number;
  cursor_time: string;
}

interface SendRow extends AttemptRow {
  claimed_by: string | null;
  lease_remaining_ms: number | null;
}

const COLUMNS = [
  'id', 'tenant_id', 'event_id', 'destination_id', 'destination_type', 'attempt_number', 'manual', 'status', 'code',
  'response_data', 'time', 'exhausted_retries', 'send_seq',
].map((column) => `a.${column}`).join(', ') + `, ${cursorTimeSql('a.time')} AS cursor_time`;

export function createAttemptRepository(pool: pg.Pool): AttemptRepository {
  async function insert(attempt: Attempt, client?: pg.PoolClient): Promise<Attempt> {
    const { rows } = await (client ?? pool).query<AttemptRow>(
      `INSERT INTO attempts AS a
         (id, tenant_id, event_id, destination_id, destination_type, attempt_number, send_seq, manual, status, code,
          response_data, time, exhausted_retries)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)
       ON CONFLICT DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        attempt.id, attempt.tenantId, attempt.eventId, attempt.destinationId, attempt.destinationType,
        attempt.attemptNumber, attempt.sendSeq ?? 1, attempt.manual, attempt.status, attempt.code,
        storableJson(attempt.responseData), attempt.time, attempt.exhaustedRetries,
      ],
    );
    return rows[0] ? toAttempt(rows[0]) : attempt;
  }

  async function claimSend(claim: SendClaim): Promise<boolean> {
    const { rowCount } = await pool.query(
      `INSERT INTO attempts
         (id, tenant_id, event_id, destination_id, destination_type, attempt_number, send_seq, manual, status, code,
          time, lease_until, claimed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sending', '', now(), now() + $9 * interval '1 millisecond', $10)
       ON CONFLICT DO NOTHING`,
      [
        claim.id, claim.tenantId, claim.eventId, claim.destinationId, claim.destinationType, claim.attemptNumber,
        claim.sendSeq, claim.manual, claim.leaseMs, claim.claimedBy,
      ],
    );
    return (rowCount ?? 0) > 0;
  }

  // A data-modifying WITH runs exactly once whether or not the outer query reads it; the events are
  // read from the snapshot taken before the insert, which does not touch them. One statement for
  // every claim queued meanwhile (see statement-batcher); a claim id is in a batch at most once,
  // because executions of one attempt in one process join each other before they claim. The hot
  // statements are named (prepared once per connection): Postgres parses and plans them once.
  const claimBatch = createStatementBatcher(async (claims: readonly SendClaim[]) => {
    const { rows } = await pool.query<EventRow & { claim_id: string; claimed: boolean }>({
      name: 'herald-claim-sends',
      text: `WITH v AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[],
                              $8::bool[], $9::float8[], $10::text[])
           AS v(id, tenant_id, event_id, destination_id, destination_type, attempt_number, send_seq, manual, lease_ms, claimed_by)),
       claim AS (
         INSERT INTO attempts
           (id, tenant_id, event_id, destination_id, destination_type, attempt_number, send_seq, manual, status, code,
            time, lease_until, claimed_by)
         SELECT id, tenant_id, event_id, destination_id, destination_type, attempt_number, send_seq, manual, 'sending', '',
                now(), now() + lease_ms * interval '1 millisecond', claimed_by
           FROM v
         ON CONFLICT DO NOTHING
         RETURNING id)
       SELECT v.id AS claim_id, c.id IS NOT NULL AS claimed, ${EVENT_COLUMNS}
         FROM v LEFT JOIN claim c ON c.id = v.id LEFT JOIN events e ON e.tenant_id = v.tenant_id AND e.id = v.event_id`,
      values: [
        claims.map((c) => c.id), claims.map((c) => c.tenantId), claims.map((c) => c.eventId), claims.map((c) => c.destinationId),
        claims.map((c) => c.destinationType), claims.map((c) => c.attemptNumber), claims.map((c) => c.sendSeq),
        claims.map((c) => c.manual), claims.map((c) => c.leaseMs), claims.map((c) => c.claimedBy),
      ],
    });
    const byId = new Map(rows.map((row) => [row.claim_id, row]));
    return claims.map((claim) => {
      const row = byId.get(claim.id)!;
      return { claimed: row.claimed, event: row.id === null ? null : toEvent(row) };
    });
  }, { maxBatch: 200 });

  const completeBatch = createStatementBatcher(async (attempts: readonly Attempt[]) => {
    await pool.query({
      name: 'herald-complete-sends',
      text: `UPDATE attempts a
          SET destination_type = v.destination_type, status = v.status, code = v.code,
              response_data = v.response_data::jsonb, time = v.time, exhausted_retries = v.exhausted_retries,
              lease_until = NULL
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::bool[])
           AS v(id, destination_type, status, code, response_data, time, exhausted_retries)
        WHERE a.id = v.id AND (a.status = 'sending' OR a.code = '${INTERRUPTED_CODE}')`,
      values: [
        attempts.map((a) => a.id), attempts.map((a) => a.destinationType), attempts.map((a) => a.status),
        attempts.map((a) => a.code), attempts.map((a) => storableJson(a.responseData)), attempts.map((a) => a.time),
        attempts.map((a) => a.exhaustedRetries),
      ],
    });
    return attempts.map(() => undefined);
  }, { maxBatch: 200 });

  async function sendsOf(tenantId: string, eventId: string, destinationId: string, attemptNumber: number): Promise<SendRecord[]> {
    const { rows } = await pool.query<SendRow>(
      `SELECT ${COLUMNS}, a.claimed_by,
              (EXTRACT(EPOCH FROM (a.lease_until - now())) * 1000)::float8 AS lease_remaining_ms
         FROM attempts a
        WHERE a.tenant_id = $1 AND a.event_id = $2 AND a.destination_id = $3 AND a.attempt_number = $4
        ORDER BY a.send_seq`,
      [tenantId, eventId, destinationId, attemptNumber],
    );
    return rows.map((row) => ({
      id: row.id,
      sendSeq: row.send_seq,
      claimedBy: row.claimed_by,
      sending: row.status === 'sending',
      leaseRemainingMs: row.lease_remaining_ms ?? 0,
      attempt: row.status === 'sending' ? null : toAttempt(row),
    }));
  }

  async function markInterrupted(id: string, options: { force?: boolean } = {}): Promise<boolean> {
    const { rowCount } = await pool.query(
      `UPDATE attempts
          SET status = 'failed', code = '${INTERRUPTED_CODE}', response_data = $2::jsonb, lease_until = NULL
        WHERE id = $1 AND status = 'sending' AND ($3 OR lease_until <= now())`,
      [id, JSON.stringify({ error: INTERRUPTED_MESSAGE }), options.force === true],
    );
    return (rowCount ?? 0) > 0;
  }

  async function releaseClaim(id: string): Promise<void> {
    await pool.query(`DELETE FROM attempts WHERE id = $1 AND status = 'sending'`, [id]);
  }

  async function get(tenantId: string | null, id: string): Promise<Attempt | null> {
    const { rows } = await pool.query<AttemptRow>(
      `SELECT ${COLUMNS} FROM attempts a WHERE a.id = $1 AND ($2::text IS NULL OR a.tenant_id = $2) AND a.status <> 'sending'`,
      [id, tenantId],
    );
    return rows[0] ? toAttempt(rows[0]) : null;
  }

  async function latestFor(tenantId: string, eventId: string, destinationId: string): Promise<Attempt | null> {
    const { rows } = await pool.query<AttemptRow>(
      `SELECT ${COLUMNS} FROM attempts a
        WHERE a.tenant_id = $1 AND a.event_id = $2 AND a.destination_id = $3 AND a.status <> 'sending'
        ORDER BY a.attempt_number DESC, a.send_seq DESC
        LIMIT 1`,
      [tenantId, eventId, destinationId],
    );
    return rows[0] ? toAttempt(rows[0]) : null;
  }

  async function list(query: AttemptListQuery): Promise<Page<Attempt>> {
    const params = new QueryParams();
    // A send in flight is not an attempt yet: it shows once its outcome (or its interruption) is recorded.
    const conditions = [
      `a.status <> 'sending'`,
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

  return { insert, claimSend, claimSendReadingEvent: claimBatch, sendsOf, completeSend: completeBatch, markInterrupted, releaseClaim, get, latestFor, list };
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
    status: row.status as AttemptStatus,
    code: row.code,
    responseData: row.response_data,
    time: row.time,
    exhaustedRetries: row.exhausted_retries,
    sendSeq: row.send_seq,
  };
}
