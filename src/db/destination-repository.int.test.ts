import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../crypto/secret-box.js';
import { createDestinationRepository } from './destination-repository.js';
import { DestinationLimitError, DuplicateDestinationError, TenantNotFoundError } from './errors.js';
import { createTenantRepository } from './tenant-repository.js';
import { aDestination, createTestPool, uniqueId } from './testing/fixtures.js';
import { withTransaction } from './transaction.js';

describe('destination repository', () => {
  let pool: pg.Pool;
  let destinations: ReturnType<typeof createDestinationRepository>;
  let tenants: ReturnType<typeof createTenantRepository>;
  const limit = { maxPerTenant: 20 };

  beforeAll(async () => {
    pool = await createTestPool();
    destinations = createDestinationRepository(pool, createSecretBox('test-secret'));
    tenants = createTenantRepository(pool);
  });

  afterAll(async () => {
    await pool.end();
  });

  async function aTenant(): Promise<string> {
    const id = uniqueId('tnt');
    await tenants.upsert(id, {});
    return id;
  }

  it('when a destination is created, then it reads back whole, credentials decrypted', async () => {
    const tenantId = await aTenant();
    const input = aDestination(tenantId, { filter: { data: { amount: { $gte: 10 } } } });

    const created = await destinations.create(input, limit);

    expect(created).toEqual({
      ...input,
      createdAt: expect.any(Date),
      updatedAt: created.createdAt,
      disabledAt: null,
      failing: false,
    });
    expect(await destinations.get(tenantId, input.id)).toEqual(created);
  });

  it('when a destination is stored, then its credentials and delivery metadata are not readable in the table', async () => {
    const tenantId = await aTenant();
    const created = await destinations.create(aDestination(tenantId), limit);

    const { rows } = await pool.query<{ raw: string }>(
      `SELECT row_to_json(d)::text || encode(secrets, 'escape') AS raw FROM destinations d WHERE tenant_id = $1 AND id = $2`,
      [tenantId, created.id],
    );

    expect(rows[0]?.raw).toContain('https://example.test/hook');
    expect(rows[0]?.raw).not.toContain('whsec_plaintext_credential');
    expect(rows[0]?.raw).not.toContain('plaintext-delivery-metadata');
  });

  it('when rows are read with another encryption secret, then the read fails instead of returning garbage', async () => {
    const tenantId = await aTenant();
    const created = await destinations.create(aDestination(tenantId), limit);
    const wrongKey = createDestinationRepository(pool, createSecretBox('another-secret'));

    await expect(wrongKey.get(tenantId, created.id)).rejects.toThrowError(/authentication failed/);
  });

  it('when import timestamps are given, then updatedAt defaults to createdAt and disabledAt is kept', async () => {
    const tenantId = await aTenant();
    const createdAt = new Date('2024-03-01T10:00:00.000Z');
    const disabledAt = new Date('2024-03-02T10:00:00.000Z');

    const created = await destinations.create(aDestination(tenantId, { createdAt, disabledAt }), limit);

    expect(created).toMatchObject({ createdAt, updatedAt: createdAt, disabledAt });
  });

  it('when the id is already used by a live destination, then create throws DuplicateDestinationError', async () => {
    const tenantId = await aTenant();
    const first = await destinations.create(aDestination(tenantId), limit);

    const duplicate = destinations.create(aDestination(tenantId, { id: first.id }), limit);

    await expect(duplicate).rejects.toThrowError(DuplicateDestinationError);
    await expect(duplicate).rejects.toMatchObject({ tenantId, destinationId: first.id });
  });

  it('when the same id is used by another tenant, then both destinations exist', async () => {
    const [a, b] = [await aTenant(), await aTenant()];
    await destinations.create(aDestination(a, { id: 'des_shared' }), limit);

    await destinations.create(aDestination(b, { id: 'des_shared' }), limit);

    expect((await destinations.get(a, 'des_shared'))?.tenantId).toBe(a);
    expect((await destinations.get(b, 'des_shared'))?.tenantId).toBe(b);
  });

  it('when the tenant is missing or deleted, then create throws TenantNotFoundError', async () => {
    const deleted = await aTenant();
    await tenants.softDelete(deleted);

    await expect(destinations.create(aDestination(uniqueId('tnt')), limit)).rejects.toThrowError(TenantNotFoundError);
    await expect(destinations.create(aDestination(deleted), limit)).rejects.toThrowError(TenantNotFoundError);
  });

  it('when the tenant has reached the limit, then create throws DestinationLimitError, and deleted ones do not count', async () => {
    const tenantId = await aTenant();
    const first = await destinations.create(aDestination(tenantId), { maxPerTenant: 2 });
    await destinations.create(aDestination(tenantId), { maxPerTenant: 2 });

    await expect(destinations.create(aDestination(tenantId), { maxPerTenant: 2 })).rejects.toThrowError(
      DestinationLimitError,
    );
    await destinations.softDelete(tenantId, first.id);
    await expect(destinations.create(aDestination(tenantId), { maxPerTenant: 2 })).resolves.toBeDefined();
  });

  it('when many creates race for the last slots, then the limit still holds', async () => {
    const tenantId = await aTenant();

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => destinations.create(aDestination(tenantId), { maxPerTenant: 3 })),
    );

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    const failures = results.filter((result) => result.status === 'rejected');
    expect(failures.every((failure) => failure.reason instanceof DestinationLimitError)).toBe(true);
    expect(await destinations.list(tenantId)).toHaveLength(3);
  });

  it('when a destination is soft-deleted, then it reads as absent and its id can be reused', async () => {
    const tenantId = await aTenant();
    const original = await destinations.create(aDestination(tenantId, { type: 'webhook' }), limit);

    expect(await destinations.softDelete(tenantId, original.id)).toBe(true);
    expect(await destinations.softDelete(tenantId, original.id)).toBe(false);
    expect(await destinations.get(tenantId, original.id)).toBeNull();
    const reused = await destinations.create(aDestination(tenantId, { id: original.id, type: 'aws_sqs' }), limit);

    expect(reused.type).toBe('aws_sqs');
    expect(await destinations.get(tenantId, original.id)).toEqual(reused);
  });

  it('when destinations are listed, then they come oldest first, filtered by type and topics', async () => {
    const tenantId = await aTenant();
    const at = (minute: number) => new Date(`2025-01-01T00:0${minute}:00.000Z`);
    const all = await destinations.create(aDestination(tenantId, { topics: ['*'], createdAt: at(3) }), limit);
    const users = await destinations.create(
      aDestination(tenantId, { topics: ['user.created', 'user.deleted'], createdAt: at(1) }),
      limit,
    );
    const orders = await destinations.create(
      aDestination(tenantId, { type: 'aws_sqs', topics: ['order.paid'], createdAt: at(2), disabledAt: at(4) }),
      limit,
    );
    const ids = (list: { id: string }[]) => list.map((d) => d.id);

    expect(ids(await destinations.list(tenantId))).toEqual([users.id, orders.id, all.id]);
    expect(ids(await destinations.list(tenantId, { types: ['aws_sqs'] }))).toEqual([orders.id]);
    expect(ids(await destinations.list(tenantId, { topics: ['user.created'] }))).toEqual([users.id, all.id]);
    expect(ids(await destinations.list(tenantId, { topics: ['user.created', 'user.deleted'] }))).toEqual([users.id, all.id]);
    expect(ids(await destinations.list(tenantId, { topics: ['user.created', 'order.paid'] }))).toEqual([all.id]);
    expect(ids(await destinations.list(tenantId, { topics: ['*'] }))).toEqual([all.id]);
    expect(ids(await destinations.list(tenantId, { types: [], topics: [] }))).toHaveLength(3);
    expect(ids(await destinations.listEnabled(tenantId))).toEqual([users.id, all.id]);
  });

  it('when a destination is updated, then exactly the given fields are replaced', async () => {
    const tenantId = await aTenant();
    const created = await destinations.create(aDestination(tenantId, { filter: { topic: 'x' } }), limit);
    const updatedAt = new Date('2030-01-01T00:00:00.000Z');

    const updated = await destinations.update(tenantId, created.id, {
      topics: ['order.paid'],
      filter: null,
      credentials: { secret: 'rotated' },
      updatedAt,
    });

    expect(updated).toEqual({
      ...created,
      topics: ['order.paid'],
      filter: null,
      credentials: { secret: 'rotated' },
      updatedAt,
    });
    expect(await destinations.get(tenantId, created.id)).toEqual(updated);
  });

  it('when an update runs in a transaction that rolls back, then nothing changes', async () => {
    const tenantId = await aTenant();
    const created = await destinations.create(aDestination(tenantId), limit);

    await expect(
      withTransaction(pool, async (client) => {
        await destinations.update(tenantId, created.id, { metadata: { changed: 'yes' } }, client);
        throw new Error('abort');
      }),
    ).rejects.toThrowError('abort');

    expect(await destinations.get(tenantId, created.id)).toEqual(created);
  });

  it('when a missing destination is updated, disabled or deleted, then the result says not found', async () => {
    const tenantId = await aTenant();

    expect(await destinations.update(tenantId, 'des_missing', { topics: ['a'] })).toBeNull();
    expect(await destinations.setDisabledAt(tenantId, 'des_missing', new Date())).toBeNull();
    expect(await destinations.softDelete(tenantId, 'des_missing')).toBe(false);
  });

  it('when a destination is disabled twice and enabled, then the first disable time stands until enabled', async () => {
    const tenantId = await aTenant();
    const created = await destinations.create(aDestination(tenantId), limit);
    const firstTime = new Date('2025-05-01T00:00:00.000Z');

    const disabled = await destinations.setDisabledAt(tenantId, created.id, firstTime);
    const again = await destinations.setDisabledAt(tenantId, created.id, new Date('2025-06-01T00:00:00.000Z'));
    const enabled = await destinations.setDisabledAt(tenantId, created.id, null);
    const enabledAgain = await destinations.setDisabledAt(tenantId, created.id, null);

    expect(disabled?.disabledAt).toEqual(firstTime);
    expect(again).toEqual(disabled);
    expect(enabled?.disabledAt).toBeNull();
    expect(enabledAgain).toEqual(enabled);
    expect((await destinations.listEnabled(tenantId)).map((d) => d.id)).toEqual([created.id]);
  });
  describe('webhook custom headers at rest', () => {
    const headers = JSON.stringify({ 'x-api-key': 'plaintext-custom-header' });
    const withHeaders = (tenantId: string) =>
      aDestination(tenantId, { config: { url: 'https://example.test/hook', custom_headers: headers } });

    async function rawRow(tenantId: string, id: string): Promise<string | undefined> {
      const { rows } = await pool.query<{ raw: string }>(
        `SELECT row_to_json(d)::text || encode(secrets, 'escape') AS raw FROM destinations d WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      return rows[0]?.raw;
    }

    it('when a destination with custom headers is created and updated, then they read back but are sealed in the table', async () => {
      const tenantId = await aTenant();
      const created = await destinations.create(withHeaders(tenantId), limit);
      expect(created.config).toEqual({ url: 'https://example.test/hook', custom_headers: headers });
      expect(await rawRow(tenantId, created.id)).not.toContain('plaintext-custom-header');

      const updated = await destinations.update(tenantId, created.id, { topics: ['*'] });
      expect(updated?.config).toEqual(created.config);
      expect(await rawRow(tenantId, created.id)).not.toContain('plaintext-custom-header');
    });

    it('when a row written by an earlier build holds custom headers in clear config, then it still reads whole and sealClearConfig seals it', async () => {
      const tenantId = await aTenant();
      const created = await destinations.create(aDestination(tenantId), limit);
      // What earlier builds wrote: custom_headers in the clear column, a sealed document without `config`.
      const legacySecrets = createSecretBox('test-secret').seal(JSON.stringify({
        credentials: created.credentials, deliveryMetadata: created.deliveryMetadata,
      }));
      await pool.query(`UPDATE destinations SET config = $3::jsonb, secrets = $4 WHERE tenant_id = $1 AND id = $2`, [
        tenantId, created.id, JSON.stringify({ url: 'https://example.test/hook', custom_headers: headers }), legacySecrets,
      ]);
      const expected = { ...created, config: { url: 'https://example.test/hook', custom_headers: headers } };
      expect(await destinations.get(tenantId, created.id)).toEqual(expected);
      expect(await rawRow(tenantId, created.id)).toContain('plaintext-custom-header');

      expect(await destinations.sealClearConfig()).toBeGreaterThanOrEqual(1);

      expect(await rawRow(tenantId, created.id)).not.toContain('plaintext-custom-header');
      expect(await destinations.get(tenantId, created.id)).toEqual(expected);
      expect(await destinations.sealClearConfig()).toBe(0);
    });
  });
});
