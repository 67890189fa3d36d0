import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../test/harness/postgres.js';
import { runBench } from './bench.js';
import { eventIds } from './load.js';
import { parseOptions } from './options.js';
import { hashFraction } from './receiver.js';
import { renderReport, writeReport } from './report.js';
import { stopStartedStacks } from './stack-support.js';

/**
 * Smoke test of the HARNESS, not a benchmark: a second of every scenario against the suite's
 * Temporal, the suite's RabbitMQ (for r, so no node of its own boots here) and a fresh database,
 * with `herald start` and the floor process as real child processes. It checks that the
 * run completes, the ledgers balance with nothing missing, and the report carries its fields. No
 * timing is asserted, and the bounds are generous (the load is closed-loop or a few events, so a
 * slow machine sends fewer, and a delivery counts as missing only after two quiet minutes):
 * numbers from a loaded test machine mean nothing. However the run ends (failed, timed out), the
 * stack it started is stopped in afterAll; were this process killed, its guardian would stop it.
 */

const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
const abort = new AbortController();
afterAll(async () => {
  abort.abort();
  await stopStartedStacks();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run bench (smoke)', () => {
  it('picks about half of the events as flaky in the retry scenario', () => {
    const next = eventIds('retry-abc123');
    const flaky = Array.from({ length: 2000 }, () => hashFraction(next())).filter((f) => f < 0.5).length;
    expect(flaky).toBeGreaterThan(800);
    expect(flaky).toBeLessThan(1200);
  });

  it('runs every scenario end to end and writes a complete report', async () => {
    const databaseUrl = await createTestDatabase(inject('databaseAdminUrl'), undefined, { migrate: false });
    const out = join(dir, 'result.json');
    const options = parseOptions([
      '--scenarios', 'a,f,r,b,c,d,e', '--rabbitmq-url', inject('rabbitmqUrl'),
      '--concurrency-steps', '1,2', '--step-duration', '1', '--baseline-duration', '0.5',
      '--duration', '1', '--latency-fractions', '0.5', '--fanout', '3', '--retry-rate', '8', '--retry-schedule', '1', '--retry-fail-attempts', '1',
      '--backlog', '20', '--drain-timeout', '120',
      '--database-url', databaseUrl, '--temporal-address', inject('temporalAddress'),
      '--task-queue', `bench-${randomUUID()}`, '--data-dir', join(dir, 'data'), '--out', out, '--quiet',
    ])!;
    const progress: string[] = [];
    const report = await runBench(options, { progress: (line) => progress.push(line), signal: abort.signal });
    writeReport(report);

    expect(report.errors, progress.join('\n')).toEqual([]);
    expect(Object.keys(report.scenarios)).toEqual(['saturation', 'floor', 'rabbitmq', 'latency', 'fanout', 'retries', 'backlog']);
    for (const scenario of Object.values(report.scenarios)) {
      expect(scenario.reasons, scenario.name).toEqual([]);
      for (const [name, ledger] of Object.entries(scenario.ledgers)) {
        expect(ledger.events_published, name).toBeGreaterThan(0);
        expect(ledger.deliveries_expected, name).toBe(ledger.delivered + ledger.missing);
        expect(ledger.missing, name).toBe(0);
        expect(ledger.balanced, name).toBe(true);
      }
      // `herald start` is the bench's own child, so its resources are measured, as one process.
      expect(scenario.resources.herald).toMatchObject({ cpu_s: expect.any(Number), peak_rss_mb: expect.any(Number) });
      expect(scenario.resources.api).toBeUndefined();
    }
    expect(report.scenarios.floor!.resources.floor).toMatchObject({ cpu_s: expect.any(Number) });
    expect(report.status).toBe('ok');
    const details = (name: keyof typeof report.scenarios) => report.scenarios[name]!.details as Record<string, any>;
    expect(details('saturation').steps).toHaveLength(2);
    expect(details('saturation').steps[0].baseline.requests_per_s).toBeGreaterThan(0);
    for (const step of details('saturation').steps) {
      expect(step.delivered).toBeGreaterThan(0);
      expect(step.cpu_ms_per_delivery).toMatchObject({ herald: expect.any(Number) });
    }
    // The floor ran the same steps with its own process; the run found no metrics endpoint for the
    // suite's Temporal, so the eager ratio is unknown rather than made up.
    expect(details('floor').steps.map((st: any) => st.concurrency)).toEqual([1, 2]);
    for (const step of details('floor').steps) {
      expect(step.delivered).toBeGreaterThan(0);
      expect(step.cpu_ms_per_delivery).toMatchObject({ floor: expect.any(Number) });
      expect(step.eager).toBeNull();
    }
    expect(details('floor').client_eager.starts).toBe(report.scenarios.floor!.ledgers.floor!.events_published);
    expect(report.floor_comparison.map((c) => c.concurrency)).toEqual([1, 2]);
    // The rabbitmq destination ran a's steps through the same ledger; a given broker is not measured.
    expect(details('rabbitmq').steps.map((st: any) => st.concurrency)).toEqual([1, 2]);
    for (const step of details('rabbitmq').steps) {
      expect(step.delivered).toBeGreaterThan(0);
      expect(step.cpu_ms_per_delivery).toMatchObject({ herald: expect.any(Number) });
    }
    expect(details('rabbitmq')).toMatchObject({ broker_started: false, unidentified: 0 });
    expect(report.rabbitmq_comparison.map((c) => c.concurrency)).toEqual([1, 2]);
    expect(details('latency').runs).toHaveLength(1);
    expect(report.scenarios.fanout!.ledgers.fanout!.deliveries_expected).toBe(3 * report.scenarios.fanout!.ledgers.fanout!.events_published);
    // Single-destination steps ran around the fan-out run, as many in flight, their ledger kept apart.
    const single = details('fanout').single_destination;
    expect(single.concurrency).toBe(3 * details('fanout').concurrency);
    expect(single.steps).toHaveLength(2);
    expect(single.delivered).toBeGreaterThan(0);
    expect(single.ledger).toMatchObject({ missing: 0, duplicates: 0, balanced: true });
    expect(details('retries').retries_seen).toBe(details('retries').retries_expected);
    expect(details('retries').lateness_ms.count).toBe(details('retries').retries_seen);
    expect(details('backlog').parked).toBe(20);
    expect(details('backlog').temporal_retrying_count).toBe(20);
    expect(report.targets).toHaveLength(10);
    expect(report.machine.cpus).toBeGreaterThan(0);

    expect(existsSync(out)).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ format: 'herald-bench/1', status: 'ok' });
    const rendered = renderReport(report);
    for (const heading of ['Ledger', 'f) Floor', 'Herald ÷ floor', 'a) CPU ms per delivery', 'r) RabbitMQ', 'rabbitmq ÷ webhook', 'beside it, one destination']) expect(rendered).toContain(heading);
  }, 900_000);
});
