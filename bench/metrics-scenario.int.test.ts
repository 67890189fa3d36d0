import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../test/harness/postgres.js';
import { runBench } from './bench.js';
import { parseOptions } from './options.js';
import { renderReport } from './report.js';
import type { MetricsDetails } from './scenarios/metrics.js';
import { stopStartedStacks } from './stack-support.js';

/**
 * Smoke test of scenario m, not a benchmark: a few thousand attempts instead of a million, two
 * timed runs per query, through a real `herald start` on the suite's Temporal and a fresh database.
 * It checks the queries answer, the report carries them and the data set is gone afterwards; no
 * timing is asserted (and the budget is not judged below a million attempts).
 */

const dir = mkdtempSync(join(tmpdir(), 'herald-bench-metrics-'));
const abort = new AbortController();
afterAll(async () => {
  abort.abort();
  await stopStartedStacks();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run bench -- --scenarios m (smoke)', () => {
  it('loads the attempts, times every query through the API and deletes the data set', async () => {
    const databaseUrl = await createTestDatabase(inject('databaseAdminUrl'), undefined, { migrate: false });
    const options = parseOptions([
      '--scenarios', 'm', '--metrics-attempts', '3000', '--metrics-repeats', '2',
      '--database-url', databaseUrl, '--temporal-address', inject('temporalAddress'),
      '--task-queue', `bench-${randomUUID()}`, '--data-dir', join(dir, 'data'), '--out', join(dir, 'result.json'), '--quiet',
    ])!;
    const report = await runBench(options, { progress: () => {}, signal: abort.signal });

    expect(report.errors).toEqual([]);
    expect(report.status).toBe('ok');
    const details = report.scenarios.metrics!.details as unknown as MetricsDetails;
    expect(details).toMatchObject({ attempts: 3000, events: 1501, tenants: 4, days: 30, repeats: 2, budget_ms: 500 });
    expect(details.queries.map((q) => q.name)).toEqual(['tenant daily by status', 'destination hourly by code', 'admin all-tenant totals', 'tenant events daily by topic']);
    // 30 days × 2 statuses; 720 hours × the codes the destination saw; one total; 30 days × 2 topics.
    expect(details.queries.map((q) => q.rows)).toEqual([60, expect.any(Number), 1, 60]);
    for (const q of details.queries) expect(q.median_ms).toEqual(expect.any(Number));
    expect(report.targets.at(-1)).toMatchObject({ met: null });
    expect(renderReport(report)).toContain('m) Metrics API');

    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    try {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM attempts WHERE tenant_id LIKE 'bench-%-metrics-%'`);
      expect(rows[0]?.n).toBe(0);
    } finally {
      await pool.end();
    }
  }, 600_000);
});
