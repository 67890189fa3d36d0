import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../crypto/secret-box.js';
import { createDestinationRepository } from './destination-repository.js';
import { createTenantRepository } from './tenant-repository.js';
import { aDestination, createTestPool, uniqueId } from './testing/fixtures.js';

describe('tenant repository', () => {
  let pool: pg.Pool;
  let tenants: ReturnType<typeof createTenantRepository>;
  let destinations: ReturnType<typeof createDestinationRepository>;

  beforeAll(async () => {
    pool = await createTestPool();
    tenants = createTenantRepository(pool);
    destinations = createDestinationRepository(pool, createSecretBox('test-secret'));
  });

  afterAll(async () => {
    await pool.end();
  });

  it('when a new tenant is upserted, then it is created with its metadata', async () => {
    const id = uniqueId('tnt');

    const { tenant, created } = await tenants.upsert(id, { name: 'Acme' });

    expect(created).toBe(true);
    expect(tenant).toEqual({ id, metadata: { name: 'Acme' }, createdAt: expect.any(Date), updatedAt: expect.any(Date) });
    expect(await tenants.get(id)).toEqual(tenant);
  });

  it('when an existing tenant is upserted again, then its metadata is replaced and it is not reported as created', async () => {
    const id = uniqueId('tnt');
    const first = await tenants.upsert(id, { name: 'Acme', plan: 'pro' });

    const second = await tenants.upsert(id, { name: 'Acme Inc' });

    expect(second.created).toBe(false);
    expect(second.tenant.metadata).toEqual({ name: 'Acme Inc' });
    expect(second.tenant.createdAt).toEqual(first.tenant.createdAt);
    expect(second.tenant.updatedAt.getTime()).toBeGreaterThanOrEqual(first.tenant.updatedAt.getTime());
  });

  it('when the same new tenant is upserted concurrently, then exactly one call reports it created', async () => {
    const id = uniqueId('tnt');

    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => tenants.upsert(id, { n: String(i) })));

    expect(results.filter((result) => result.created)).toHaveLength(1);
  });

  it('when a tenant is soft-deleted, then it reads as absent and its destinations are soft-deleted too', async () => {
    const id = uniqueId('tnt');
    await tenants.upsert(id, {});
    const destination = await destinations.create(aDestination(id), { maxPerTenant: 10 });

    const deleted = await tenants.softDelete(id);

    expect(deleted).toBe(true);
    expect(await tenants.get(id)).toBeNull();
    expect(await destinations.get(id, destination.id)).toBeNull();
    expect(await tenants.summary(id)).toEqual({ destinationsCount: 0, topics: [] });
    expect(await tenants.softDelete(id)).toBe(false);
  });

  it('when a tenant that never existed is deleted, then nothing happens', async () => {
    expect(await tenants.softDelete(uniqueId('tnt'))).toBe(false);
    expect(await tenants.get(uniqueId('tnt'))).toBeNull();
  });

  it('when a soft-deleted tenant is upserted, then it is revived as a new tenant without its old destinations', async () => {
    const id = uniqueId('tnt');
    const original = await tenants.upsert(id, { name: 'old' });
    await destinations.create(aDestination(id), { maxPerTenant: 10 });
    await tenants.softDelete(id);

    const revived = await tenants.upsert(id, { name: 'new' });

    expect(revived.created).toBe(true);
    expect(revived.tenant.metadata).toEqual({ name: 'new' });
    expect(revived.tenant.createdAt.getTime()).toBeGreaterThan(original.tenant.createdAt.getTime());
    expect(await destinations.list(id)).toEqual([]);
  });

  it('when the summary is read, then it counts live destinations (disabled included) and unions their topics in order', async () => {
    const id = uniqueId('tnt');
    await tenants.upsert(id, {});
    await destinations.create(aDestination(id, { topics: ['user.updated', 'b.topic'] }), { maxPerTenant: 10 });
    await destinations.create(aDestination(id, { topics: ['a.topic', 'user.updated'], disabledAt: new Date() }), {
      maxPerTenant: 10,
    });
    const removed = await destinations.create(aDestination(id, { topics: ['z.removed'] }), { maxPerTenant: 10 });
    await destinations.softDelete(id, removed.id);

    const summary = await tenants.summary(id);

    expect(summary).toEqual({ destinationsCount: 2, topics: ['a.topic', 'b.topic', 'user.updated'] });
  });

  it('when any live destination subscribes to "*", then the summary topics are ["*"]', async () => {
    const id = uniqueId('tnt');
    await tenants.upsert(id, {});
    await destinations.create(aDestination(id, { topics: ['user.created'] }), { maxPerTenant: 10 });
    await destinations.create(aDestination(id, { topics: ['*'] }), { maxPerTenant: 10 });

    expect(await tenants.summary(id)).toEqual({ destinationsCount: 2, topics: ['*'] });
  });
});
