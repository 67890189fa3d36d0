import { readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PG_MIGRATE_LOCK_ID, runner } from 'node-pg-migrate';
import pg from 'pg';
import { PendingMigrationsError } from './errors.js';

/**
 * Schema migrations: numbered SQL files in `./migrations` with `-- Up Migration` / `-- Down
 * Migration` sections, applied by node-pg-migrate. File names start with a 17-digit UTC stamp
 * (`yyyymmddhhmmssSSS_what.sql`, node-pg-migrate's `utc` format), which orders them; never
 * rename or edit an applied migration, add a new one. Servers only check (`assertMigrated`);
 * applying is an explicit command (`herald migrate`).
 */

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATIONS_TABLE = 'pgmigrations';

export interface MigrationLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const silentLogger: MigrationLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Applies all pending migrations in one transaction; returns the names applied (empty when up to date). */
export async function migrateUp(databaseUrl: string, logger: MigrationLogger = silentLogger): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'herald-migrate' });
  await client.connect();
  try {
    // node-pg-migrate's own lock is a try-lock that fails a concurrent run outright. Waiting on the
    // same lock instead makes concurrent `migrate` runs queue, and the later ones find nothing to do.
    await client.query('SELECT pg_advisory_lock($1::bigint)', [String(PG_MIGRATE_LOCK_ID)]);
    try {
      const applied = await runner({
        dbClient: client,
        dir: MIGRATIONS_DIR,
        migrationsTable: MIGRATIONS_TABLE,
        direction: 'up',
        singleTransaction: true,
        checkOrder: true,
        noLock: true,
        logger: { info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
      });
      return applied.map((migration) => migration.name);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [String(PG_MIGRATE_LOCK_ID)]);
    }
  } finally {
    await client.end();
  }
}

/** Names of the migrations this build ships that the database has not applied, in order. */
export async function pendingMigrations(db: pg.Pool | pg.ClientBase): Promise<string[]> {
  const [shipped, applied] = await Promise.all([shippedMigrations(), appliedMigrations(db)]);
  return shipped.filter((name) => !applied.has(name));
}

/**
 * Throws `PendingMigrationsError` unless every shipped migration is applied; servers call it at
 * start. Applied migrations this build does not know (a newer deploy's) are accepted, so rolling
 * back the code keeps working on an additive newer schema.
 */
export async function assertMigrated(db: pg.Pool | pg.ClientBase): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new PendingMigrationsError(pending);
  }
}

async function shippedMigrations(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => entry.name.slice(0, entry.name.length - extname(entry.name).length))
    .sort();
}

async function appliedMigrations(db: pg.Pool | pg.ClientBase): Promise<Set<string>> {
  const { rows: tables } = await db.query<{ present: boolean }>(
    `SELECT to_regclass('public.${MIGRATIONS_TABLE}') IS NOT NULL AS present`,
  );
  if (!tables[0]?.present) {
    return new Set();
  }
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM public.${MIGRATIONS_TABLE}`);
  return new Set(rows.map((row) => row.name));
}
