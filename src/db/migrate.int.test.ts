import { runner } from 'node-pg-migrate';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestDatabase } from '../../test/harness/postgres.js';
import { PendingMigrationsError } from './errors.js';
import { MIGRATIONS_DIR, assertMigrated, migrateUp, pendingMigrations } from './migrate.js';
import { createPool } from './pool.js';

const ALL = [
  '20261122120000000_create-tenants',
  '20261122120100000_create-destinations',
  '20261122120200000_create-events',
  '20261122120300000_create-attempts',
  '20261122130000000_destination-health-and-alerts',
  '20261201120000000_attempt-sends',
  '20261202100000000_destination-change-notify',
  '20261202120000000_tenants-list-index',
  '20261203090000000_attempt-metrics-indexes',
];

describe('migrations', () => {
  const pools: ReturnType<typeof createPool>[] = [];
  const poolOn = (url: string) => {
    const pool = createPool(url, { max: 2 });
    pools.push(pool);
    return pool;
  };

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
  });

  it('when the database is empty, then assertMigrated lists every migration as pending', async () => {
    const pool = poolOn(await createTestDatabase(inject('databaseAdminUrl'), undefined, { migrate: false }));

    const error = await assertMigrated(pool).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PendingMigrationsError);
    expect((error as PendingMigrationsError).pending).toEqual(ALL);
  });

  it('when migrateUp runs on an empty database and again, then it applies everything once and then nothing', async () => {
    const url = await createTestDatabase(inject('databaseAdminUrl'), undefined, { migrate: false });

    const first = await migrateUp(url);
    const second = await migrateUp(url);

    expect(first).toEqual(ALL);
    expect(second).toEqual([]);
    await expect(assertMigrated(poolOn(url))).resolves.toBeUndefined();
  });

  it('when only some migrations were applied, then assertMigrated names the missing ones', async () => {
    const url = await createTestDatabase(inject('databaseAdminUrl'), undefined, { migrate: false });
    await runner({ databaseUrl: url, dir: MIGRATIONS_DIR, migrationsTable: 'pgmigrations', direction: 'up', count: 2, log: () => {} });

    await expect(assertMigrated(poolOn(url))).rejects.toMatchObject({ pending: ALL.slice(2) });
    expect(await migrateUp(url)).toEqual(ALL.slice(2));
  });

  it('when several processes migrate the same database at once, then each migration is applied exactly once', async () => {
    const url = await createTestDatabase(inject('databaseAdminUrl'), undefined, { migrate: false });

    const results = await Promise.all([migrateUp(url), migrateUp(url), migrateUp(url)]);

    expect(results.flat()).toEqual(ALL);
    expect(await pendingMigrations(poolOn(url))).toEqual([]);
  });

  it('when every migration is rolled back, then the schema is empty and can be migrated up again', async () => {
    const url = await createTestDatabase(inject('databaseAdminUrl'));
    const pool = poolOn(url);

    await runner({ databaseUrl: url, dir: MIGRATIONS_DIR, migrationsTable: 'pgmigrations', direction: 'down', count: Infinity, log: () => {} });
    const { rows } = await pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'pgmigrations'`);

    expect(rows).toEqual([]);
    expect(await pendingMigrations(pool)).toEqual(ALL);
    expect(await migrateUp(url)).toEqual(ALL);
  });
});
