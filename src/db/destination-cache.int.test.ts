import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../crypto/secret-box.js';
import { createLogger } from '../logger.js';
import { createDestinationCache } from './destination-cache.js';
import { createDestinationRepository } from './destination-repository.js';
import { listenForNotifications, type NotifyListener } from './notify-listener.js';
import { createPool } from './pool.js';
import { createTenantRepository } from './tenant-repository.js';
import { eventually } from '../../test/harness/eventually.js';
import { aDestination, createTestPool, uniqueId } from './testing/fixtures.js';

const until = (check: () => Promise<boolean> | boolean) => eventually(async () => check(), Boolean, 30_000, { intervalMs: 20 });


describe('destination cache over Postgres change notifications', () => {
  let pool: pg.Pool;
  let listener: NotifyListener;
  const box = createSecretBox('test-secret');
  let repo: ReturnType<typeof createDestinationRepository>;
  const cache = () => createDestinationCache(repo, { ttlMs: 600_000, maxTenants: 100 });
  let cached: ReturnType<typeof cache>;

  beforeAll(async () => {
    pool = await createTestPool();
    repo = createDestinationRepository(pool, box);
    cached = cache();
    listener = listenForNotifications({
      databaseUrl: pool.options.connectionString!, channel: 'herald_destinations', logger: createLogger({ level: 'silent', format: 'json' }),
      onNotify: (tenantId) => cached.invalidate(tenantId), onState: (on) => cached.setTrusted(on),
    });
    await until(() => listener.listening);
  });

  afterAll(async () => {
    await listener.close();
    await pool.end();
  });

  it('when another process creates, disables or deletes a destination, then the cache hears of it', async () => {
    const tenantId = uniqueId('tnt');
    await createTenantRepository(pool).upsert(tenantId, {});
    // "Another process": a second repository on its own pool, whose writes do not touch this cache.
    const otherPool = createPool(pool.options.connectionString!);
    const other = createDestinationRepository(otherPool, box);
    try {
      expect(await cached.enabledOf(tenantId)).toEqual([]);
      const created = await other.create(aDestination(tenantId), { maxPerTenant: 10 });
      await until(async () => (await cached.enabledOf(tenantId)).length === 1);
      expect((await cached.find(tenantId, created.id))?.disabledAt).toBeNull();

      await other.setDisabledAt(tenantId, created.id, new Date());
      await until(async () => (await cached.enabledOf(tenantId)).length === 0);
      expect((await cached.find(tenantId, created.id))?.disabledAt).toBeInstanceOf(Date);

      await other.softDelete(tenantId, created.id);
      await until(async () => (await cached.find(tenantId, created.id)) === null);
    } finally {
      await otherPool.end();
    }
  });
});
