import type pg from 'pg';
import type { StringMap, Tenant } from '../domain/types.js';
import { type Page, type PageRequest, cursorTimeSql, planKeyset } from './keyset.js';
import { QueryParams, membershipCondition, whereClause } from './query-params.js';
import { withTransaction } from './transaction.js';

export interface TenantSummary {
  /** Non-deleted destinations, disabled ones included. */
  readonly destinationsCount: number;
  /** Sorted union of those destinations' topics; `["*"]` when any subscribes to everything. */
  readonly topics: string[];
}

export interface TenantRepository {
  /** PUT semantics: creates, replaces metadata, or revives a soft-deleted tenant as a new one (`created: true`). */
  upsert(id: string, metadata: StringMap, client?: pg.PoolClient): Promise<{ tenant: Tenant; created: boolean }>;
  /** The live tenant, or null when it never existed or was soft-deleted. */
  get(id: string): Promise<Tenant | null>;
  /** Soft-deletes the tenant and all its destinations atomically; false when there was no live tenant. */
  softDelete(id: string, client?: pg.PoolClient): Promise<boolean>;
  summary(tenantId: string): Promise<TenantSummary>;
  /**
   * Live tenants with their summaries, keyset-paged by (created_at, id) in `dir` order; `count` is
   * every live tenant the filter matches, across pages. Throws `InvalidCursorError` on a bad cursor.
   */
  list(query: TenantListQuery): Promise<Page<TenantWithSummary> & { count: number }>;
}

export interface TenantListQuery extends PageRequest {
  /** Undefined or empty: every live tenant. */
  readonly ids?: readonly string[] | undefined;
}

export interface TenantWithSummary {
  readonly tenant: Tenant;
  readonly summary: TenantSummary;
}

interface TenantRow {
  id: string;
  metadata: StringMap;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, metadata, created_at, updated_at';

export function createTenantRepository(pool: pg.Pool): TenantRepository {
  async function upsert(id: string, metadata: StringMap, client?: pg.PoolClient): Promise<{ tenant: Tenant; created: boolean }> {
    const db = client ?? pool;
    const inserted = await db.query<TenantRow>(
      `INSERT INTO tenants (id, metadata) VALUES ($1, $2::jsonb)
       ON CONFLICT (id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [id, JSON.stringify(metadata)],
    );
    if (inserted.rows[0]) {
      return { tenant: toTenant(inserted.rows[0]), created: true };
    }
    // The row exists (a concurrent insert has committed by now): update it, reading the pre-update
    // deleted_at through a locked self-join, since RETURNING only sees new values.
    const updated = await db.query<TenantRow & { revived: boolean }>(
      `UPDATE tenants t
          SET metadata = $2::jsonb,
              updated_at = now(),
              created_at = CASE WHEN old.deleted_at IS NULL THEN t.created_at ELSE now() END,
              deleted_at = NULL
         FROM (SELECT id, deleted_at FROM tenants WHERE id = $1 FOR UPDATE) old
        WHERE t.id = old.id
        RETURNING t.id, t.metadata, t.created_at, t.updated_at, old.deleted_at IS NOT NULL AS revived`,
      [id, JSON.stringify(metadata)],
    );
    const row = updated.rows[0];
    if (!row) {
      throw new Error(`tenant ${id} vanished during upsert`);
    }
    return { tenant: toTenant(row), created: row.revived };
  }

  async function get(id: string): Promise<Tenant | null> {
    const { rows } = await pool.query<TenantRow>(
      `SELECT ${COLUMNS} FROM tenants WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return rows[0] ? toTenant(rows[0]) : null;
  }

  function softDelete(id: string, client?: pg.PoolClient): Promise<boolean> {
    return withTransaction(
      pool,
      async (tx) => {
        const deleted = await tx.query(
          `UPDATE tenants SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL`,
          [id],
        );
        if (deleted.rowCount === 0) {
          return false;
        }
        await tx.query(
          `UPDATE destinations SET deleted_at = now() WHERE tenant_id = $1 AND deleted_at IS NULL`,
          [id],
        );
        return true;
      },
      client,
    );
  }

  async function summary(tenantId: string): Promise<TenantSummary> {
    // COLLATE "C" sorts by code point, independent of the database locale.
    const { rows } = await pool.query<{ destinations_count: number; topics: string[] }>(
      `SELECT
         (SELECT count(*)::int FROM destinations WHERE tenant_id = $1 AND deleted_at IS NULL) AS destinations_count,
         ARRAY(
           SELECT DISTINCT topic COLLATE "C" AS topic
             FROM destinations, unnest(topics) AS topic
            WHERE tenant_id = $1 AND deleted_at IS NULL
            ORDER BY 1
         ) AS topics`,
      [tenantId],
    );
    const row = rows[0] ?? { destinations_count: 0, topics: [] };
    return {
      destinationsCount: row.destinations_count,
      topics: row.topics.includes('*') ? ['*'] : row.topics,
    };
  }

  async function list(query: TenantListQuery): Promise<Page<TenantWithSummary> & { count: number }> {
    const params = new QueryParams();
    const filter = ['t.deleted_at IS NULL', ...membershipCondition('t.id', query.ids, params)];
    const countParams = params.values.slice();
    const keyset = planKeyset({ resource: 'tnt', positionLength: 2, columns: ['t.created_at', 't.id'] }, query, params);
    const conditions = keyset.seek ? [...filter, keyset.seek] : filter;
    // The summary of each tenant on the page comes from the per-tenant destination index, as `summary` does.
    const pageQuery = pool.query<TenantRow & { cursor_time: string; destinations_count: number; topics: string[] }>(
      `SELECT t.id, t.metadata, t.created_at, t.updated_at, ${cursorTimeSql('t.created_at')} AS cursor_time,
              s.destinations_count, s.topics
         FROM tenants t
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS destinations_count,
                  ARRAY(SELECT DISTINCT topic COLLATE "C" FROM destinations d2, unnest(d2.topics) AS topic
                         WHERE d2.tenant_id = t.id AND d2.deleted_at IS NULL ORDER BY 1) AS topics
             FROM destinations d WHERE d.tenant_id = t.id AND d.deleted_at IS NULL
         ) s
        ${whereClause(conditions)}
        ORDER BY ${keyset.orderBy} LIMIT ${params.add(keyset.fetchLimit)}`,
      params.values,
    );
    const countQuery = pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM tenants t ${whereClause(filter)}`,
      countParams,
    );
    const [{ rows }, counted] = await Promise.all([pageQuery, countQuery]);
    const page = keyset.toPage(rows, (row) => [row.cursor_time, row.id], (row) => ({
      tenant: toTenant(row),
      summary: { destinationsCount: row.destinations_count, topics: row.topics.includes('*') ? ['*'] : row.topics },
    }));
    return { ...page, count: counted.rows[0]?.count ?? 0 };
  }

  return { upsert, get, softDelete, summary, list };
}

function toTenant(row: TenantRow): Tenant {
  return { id: row.id, metadata: row.metadata, createdAt: row.created_at, updatedAt: row.updated_at };
}
