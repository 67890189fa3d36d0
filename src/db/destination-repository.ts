import type pg from 'pg';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Destination } from '../domain/types.js';
import {
  DESTINATION_COLUMNS as COLUMNS,
  type DestinationRow,
  SEALED_CONFIG_KEYS,
  clearConfig,
  jsonParam,
  sealSecrets,
  toDestination,
} from './destination-row.js';
import { DestinationLimitError, DuplicateDestinationError, TenantNotFoundError } from './errors.js';
import { withTransaction } from './transaction.js';

/** A destination to create: `updatedAt` defaults to `createdAt`, which defaults to now. */
export type NewDestination = Omit<Destination, 'createdAt' | 'updatedAt' | 'disabledAt' | 'failing'> & {
  readonly createdAt?: Date | undefined;
  readonly updatedAt?: Date | undefined;
  readonly disabledAt?: Date | null | undefined;
};

/** Fields to replace; absent (undefined) fields keep their value. `updatedAt` defaults to now. */
export type DestinationUpdate = Partial<
  Pick<Destination, 'topics' | 'filter' | 'config' | 'credentials' | 'deliveryMetadata' | 'metadata' | 'disabledAt' | 'updatedAt'>
>;

export interface DestinationListFilter {
  /** Keep destinations of these types. */
  readonly types?: readonly string[] | undefined;
  /**
   * Keep destinations subscribed to all of these topics; a `*` destination matches any filter and
   * the filter `["*"]` keeps only `*` destinations. Exact topics only: wildcard patterns such as
   * `user.*` are not expanded here.
   */
  readonly topics?: readonly string[] | undefined;
}

export interface DestinationRepository {
  /** Throws `TenantNotFoundError`, `DuplicateDestinationError` or `DestinationLimitError`. */
  create(input: NewDestination, options: { maxPerTenant: number }, client?: pg.PoolClient): Promise<Destination>;
  get(tenantId: string, id: string): Promise<Destination | null>;
  /** Non-deleted destinations (disabled included), oldest first. */
  list(tenantId: string, filter?: DestinationListFilter): Promise<Destination[]>;
  /** Non-deleted, enabled destinations in one query: the publish hot path. */
  listEnabled(tenantId: string): Promise<Destination[]>;
  update(tenantId: string, id: string, fields: DestinationUpdate, client?: pg.PoolClient): Promise<Destination | null>;
  /** Sets or clears `disabled_at`; a no-op returning the destination when it is already in that state. */
  setDisabledAt(tenantId: string, id: string, disabledAt: Date | null, client?: pg.PoolClient): Promise<Destination | null>;
  softDelete(tenantId: string, id: string, client?: pg.PoolClient): Promise<boolean>;
  /** Mirrors destination health (any consecutive failures); false when the destination is gone. */
  setFailing(tenantId: string, id: string, failing: boolean): Promise<boolean>;
  /**
   * Moves sealed config keys that rows written by earlier builds still hold in the clear `config`
   * column into the sealed document; returns how many rows it rewrote. Safe to run repeatedly and
   * concurrently: a row is rewritten only while its sealed document is still the one read.
   */
  sealClearConfig(): Promise<number>;
}

const UNIQUE_LIVE_ID = 'destinations_tenant_id_id_key';
const SEAL_BATCH = 500;

export function createDestinationRepository(pool: pg.Pool, secretBox: SecretBox): DestinationRepository {
  const map = (rows: DestinationRow[]) => rows.map((row) => toDestination(secretBox, row));

  function create(input: NewDestination, options: { maxPerTenant: number }, client?: pg.PoolClient): Promise<Destination> {
    return withTransaction(
      pool,
      async (tx) => {
        // Locking the tenant row serialises creates per tenant, so the count check below cannot race.
        const tenant = await tx.query(`SELECT 1 FROM tenants WHERE id = $1 AND deleted_at IS NULL FOR NO KEY UPDATE`, [
          input.tenantId,
        ]);
        if (tenant.rowCount === 0) {
          throw new TenantNotFoundError(input.tenantId);
        }
        const { rows: counts } = await tx.query<{ total: number; taken: boolean | null }>(
          `SELECT count(*)::int AS total, bool_or(id = $2) AS taken
             FROM destinations WHERE tenant_id = $1 AND deleted_at IS NULL`,
          [input.tenantId, input.id],
        );
        if (counts[0]?.taken) {
          throw new DuplicateDestinationError(input.tenantId, input.id);
        }
        if ((counts[0]?.total ?? 0) >= options.maxPerTenant) {
          throw new DestinationLimitError(input.tenantId, options.maxPerTenant);
        }
        const { rows } = await tx
          .query<DestinationRow>(
            `INSERT INTO destinations
               (tenant_id, id, type, topics, filter, config, secrets, metadata, created_at, updated_at, disabled_at)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::jsonb,
                     COALESCE($9, now()), COALESCE($10, $9, now()), $11)
             RETURNING ${COLUMNS}`,
            [
              input.tenantId,
              input.id,
              input.type,
              input.topics,
              jsonParam(input.filter),
              jsonParam(clearConfig(input.config)),
              sealSecrets(secretBox, input),
              jsonParam(input.metadata),
              input.createdAt ?? null,
              input.updatedAt ?? null,
              input.disabledAt ?? null,
            ],
          )
          .catch((error: unknown) => {
            throw isUniqueViolation(error) ? new DuplicateDestinationError(input.tenantId, input.id) : error;
          });
        return map(rows)[0] as Destination;
      },
      client,
    );
  }

  async function get(tenantId: string, id: string): Promise<Destination | null> {
    return (await selectLive(pool, tenantId, id, ''))[0] ?? null;
  }

  async function list(tenantId: string, filter: DestinationListFilter = {}): Promise<Destination[]> {
    const { rows } = await pool.query<DestinationRow>(
      `SELECT ${COLUMNS} FROM destinations
        WHERE tenant_id = $1 AND deleted_at IS NULL
          AND ($2::text[] IS NULL OR type = ANY ($2))
          AND ($3::text[] IS NULL OR '*' = ANY (topics) OR ($3 <> ARRAY['*'] AND topics @> $3))
        ORDER BY created_at, pk`,
      [tenantId, nonEmpty(filter.types), nonEmpty(filter.topics)],
    );
    return map(rows);
  }

  async function listEnabled(tenantId: string): Promise<Destination[]> {
    const { rows } = await pool.query<DestinationRow>(
      `SELECT ${COLUMNS} FROM destinations
        WHERE tenant_id = $1 AND deleted_at IS NULL AND disabled_at IS NULL
        ORDER BY created_at, pk`,
      [tenantId],
    );
    return map(rows);
  }

  function update(tenantId: string, id: string, fields: DestinationUpdate, client?: pg.PoolClient): Promise<Destination | null> {
    return withTransaction(
      pool,
      async (tx) => {
        const current = (await selectLive(tx, tenantId, id, 'FOR UPDATE'))[0];
        if (!current) {
          return null;
        }
        const next = { ...current, ...definedFields(fields) };
        const { rows } = await tx.query<DestinationRow>(
          `UPDATE destinations
              SET topics = $3, filter = $4::jsonb, config = $5::jsonb, secrets = $6, metadata = $7::jsonb,
                  disabled_at = $8, updated_at = COALESCE($9, now())
            WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL
            RETURNING ${COLUMNS}`,
          [
            tenantId,
            id,
            next.topics,
            jsonParam(next.filter),
            jsonParam(clearConfig(next.config)),
            sealSecrets(secretBox, next),
            jsonParam(next.metadata),
            next.disabledAt,
            fields.updatedAt ?? null,
          ],
        );
        return map(rows)[0] ?? null;
      },
      client,
    );
  }

  async function setDisabledAt(
    tenantId: string,
    id: string,
    disabledAt: Date | null,
    client?: pg.PoolClient,
  ): Promise<Destination | null> {
    const db = client ?? pool;
    const { rows } = await db.query<DestinationRow>(
      // Enabling also ends a run of failures: the health workflow's count is reset with it.
      `UPDATE destinations SET disabled_at = $3, updated_at = now(),
              failing = CASE WHEN $3::timestamptz IS NULL THEN false ELSE failing END
        WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL
          AND (disabled_at IS NULL) <> ($3::timestamptz IS NULL)
        RETURNING ${COLUMNS}`,
      [tenantId, id, disabledAt],
    );
    return map(rows)[0] ?? (await selectLive(db, tenantId, id, ''))[0] ?? null;
  }

  async function setFailing(tenantId: string, id: string, failing: boolean): Promise<boolean> {
    const { rowCount } = await pool.query(
      `UPDATE destinations SET failing = $3 WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL AND failing <> $3`,
      [tenantId, id, failing],
    );
    return (rowCount ?? 0) > 0;
  }

  async function softDelete(tenantId: string, id: string, client?: pg.PoolClient): Promise<boolean> {
    const { rowCount } = await (client ?? pool).query(
      `UPDATE destinations SET deleted_at = now() WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
      [tenantId, id],
    );
    return (rowCount ?? 0) > 0;
  }

  async function selectLive(
    db: pg.Pool | pg.PoolClient,
    tenantId: string,
    id: string,
    lock: '' | 'FOR UPDATE',
  ): Promise<Destination[]> {
    const { rows } = await db.query<DestinationRow>(
      `SELECT ${COLUMNS} FROM destinations WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL ${lock}`,
      [tenantId, id],
    );
    return map(rows);
  }

  async function sealClearConfig(): Promise<number> {
    let rewritten = 0;
    for (let after = '0'; ;) {
      // Deleted rows too: their clear values are as readable in the table as live ones.
      const { rows } = await pool.query<DestinationRow & { pk: string }>(
        `SELECT pk, ${COLUMNS} FROM destinations WHERE config ?| $1::text[] AND pk > $2 ORDER BY pk LIMIT ${SEAL_BATCH}`,
        [SEALED_CONFIG_KEYS, after],
      );
      for (const row of rows) {
        const destination = toDestination(secretBox, row);
        const { rowCount } = await pool.query(
          `UPDATE destinations SET config = $2::jsonb, secrets = $3 WHERE pk = $1 AND secrets = $4`,
          [row.pk, jsonParam(clearConfig(destination.config)), sealSecrets(secretBox, destination), row.secrets],
        );
        rewritten += rowCount ?? 0;
      }
      if (rows.length < SEAL_BATCH) return rewritten;
      after = (rows[rows.length - 1] as { pk: string }).pk;
    }
  }

  return { create, get, list, listEnabled, update, setDisabledAt, softDelete, setFailing, sealClearConfig };
}

function nonEmpty(values: readonly string[] | undefined): readonly string[] | null {
  return values && values.length > 0 ? values : null;
}

function definedFields(fields: DestinationUpdate): DestinationUpdate {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function isUniqueViolation(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === UNIQUE_LIVE_ID;
}
