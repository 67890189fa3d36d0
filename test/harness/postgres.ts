import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrateUp } from '../../src/db/migrate.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { startEmbeddedPostgres } from '../../src/runtime/postgres.js';

/** Postgres for the integration suite: one server per run, a fresh database per test file. */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The test cluster's data directory, reused across runs (delete it to start from scratch). */
export const TEST_POSTGRES_DIR = join(REPO_ROOT, '.herald', 'test', 'postgres');
const TEST_DATABASE_PREFIX = 'herald_test_';

export interface TestPostgres {
  /** Superuser URL; test databases are created through it. */
  readonly adminUrl: string;
  readonly stop: () => Promise<void>;
}

/**
 * Uses `DATABASE_URL` when set (its user needs CREATEDB); otherwise starts the embedded test
 * cluster on `HERALD_TEST_PG_PORT` or a free port, dropping test databases left by earlier runs.
 * Durability is off (`fsync`, …): if the machine crashes, delete the data directory.
 */
export async function startTestPostgres(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgres> {
  if (env.DATABASE_URL) {
    return { adminUrl: env.DATABASE_URL, stop: async () => {} };
  }
  const port = env.HERALD_TEST_PG_PORT ? Number(env.HERALD_TEST_PG_PORT) : await freeLoopbackPort();
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`HERALD_TEST_PG_PORT must be a TCP port, got ${String(env.HERALD_TEST_PG_PORT)}`);
  }
  const server = await startEmbeddedPostgres({
    dataDir: TEST_POSTGRES_DIR,
    port,
    databaseName: 'postgres',
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });
  try {
    await dropTestDatabases(server.adminUrl);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { adminUrl: server.adminUrl, stop: server.stop };
}

/**
 * Creates a fresh database with all migrations applied (unless `migrate: false`) and returns its
 * URL. Without `name` the database gets a unique name; a given `name` is dropped first if it exists.
 */
export async function createTestDatabase(
  adminUrl: string,
  name?: string,
  options: { migrate?: boolean } = {},
): Promise<string> {
  const database = name ?? `${TEST_DATABASE_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, async (admin) => {
    const identifier = admin.escapeIdentifier(database);
    if (name !== undefined) {
      await admin.query(`DROP DATABASE IF EXISTS ${identifier} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${identifier}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  if (options.migrate !== false) {
    await migrateUp(url.toString());
  }
  return url.toString();
}

async function dropTestDatabases(adminUrl: string): Promise<void> {
  await withAdmin(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
      [TEST_DATABASE_PREFIX],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  });
}

async function withAdmin(adminUrl: string, work: (admin: pg.Client) => Promise<void>): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}
