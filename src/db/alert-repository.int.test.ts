import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestDatabase } from '../../test/harness/postgres.js';
import { createAlertRepository, type AlertRepository } from './alert-repository.js';

let pool: pg.Pool;
let alerts: AlertRepository;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase(inject('databaseAdminUrl')) });
  alerts = createAlertRepository(pool);
});
afterAll(async () => pool?.end());

describe('alert suppression', () => {
  it('when an alert was claimed within the window, then another claimant is refused', async () => {
    expect(await alerts.claim('k1', 3600, 'attempt-1')).toBe(true);
    expect(await alerts.claim('k1', 3600, 'attempt-2')).toBe(false);
  });

  it('when the same claimant claims again (a retried sender), then it is allowed', async () => {
    expect(await alerts.claim('k2', 3600, 'attempt-1')).toBe(true);
    expect(await alerts.claim('k2', 3600, 'attempt-1')).toBe(true);
  });

  it('when the window is 0, then every claim succeeds', async () => {
    expect(await alerts.claim('k3', 0, 'a')).toBe(true);
    expect(await alerts.claim('k3', 0, 'b')).toBe(true);
  });

  it('when claims race, then exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => alerts.claim('k4', 3600, `c${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
