import { describe, expect, it } from 'vitest';
import { closedStep, saturationStep } from './step-fixtures.js';
import type { ScenarioResult } from './scenarios/context.js';
import type { FanoutSingleDestination } from './scenarios/fanout.js';
import type { FloorDetails } from './scenarios/floor.js';
import type { SaturationDetails, SaturationStep } from './scenarios/saturation.js';
import { checkTargets, judge } from './targets.js';

function scenario(name: ScenarioResult['name'], details: object, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  return { name, status: 'ok', reasons: [], duration_s: 10, ledgers: {}, resources: {}, bench_loop_delay: { p99_ms: 0, max_ms: 0 }, temporal: null, details: { ...details }, ...extra };
}

function saturation(steps: SaturationStep[]): ScenarioResult {
  const details: SaturationDetails = {
    steps, sustained_deliveries_per_s: 0, best_concurrency: 16, baseline_at_best_rps: null, ratio_at_best: null, baseline_peak_rps: null,
  };
  return scenario('saturation', details);
}

const floorScenario = (steps: FloorDetails['steps']) => scenario('floor', { steps, task_queue: 'q', client_eager: { starts: 0, eager: 0 } } satisfies FloorDetails);
const byTarget = (checks: ReturnType<typeof checkTargets>, prefix: string) => checks.find((c) => c.target.startsWith(prefix))!;

describe('judge', () => {
  it.each([
    ['when every value passes, then met', [1, 2], true],
    ['when one value misses, then not met even if another is missing', [1, 30, undefined], false],
    ['when a value is missing and the rest pass, then not judged', [1, undefined], null],
    ['when there is nothing to judge, then not judged', [], null],
  ])('%s', (_name, values, expected) => {
    expect(judge(values, (v) => v <= 25)).toBe(expected);
  });
});

describe('checkTargets', () => {
  const cheap = { herald: 8, temporal: 14, postgres: 2 };
  const sat = saturation([saturationStep(16, 80, cheap), saturationStep(64, 90, cheap, 1200)]);
  const floor = floorScenario([closedStep(16, 95, { floor: 8, temporal: 12 }), closedStep(64, 100, { floor: 8, temporal: 12 })]);

  it('when Herald meets every goal at c=16 and c=64, then the CPU, floor and p99 targets are met', () => {
    const checks = checkTargets({ saturation: sat, floor });
    for (const prefix of ['total CPU', 'Herald\'s own', 'Herald CPU per delivery', 'deliveries/s', 'delivery p99 ≤ 1.5 s']) {
      expect(byTarget(checks, prefix).met, prefix).toBe(true);
    }
    expect(byTarget(checks, 'total CPU').reached).toBe('c=16 24 ms, c=64 24 ms');
  });

  it('when Herald costs 1.8 × the floor and keeps half its rate, then both floor targets are missed', () => {
    const costly = saturation([saturationStep(16, 50, { herald: 16, temporal: 18, postgres: 2 })]);
    const checks = checkTargets({ saturation: costly, floor });
    expect(byTarget(checks, 'Herald CPU per delivery')).toMatchObject({ met: false, reached: 'c=16 1.80×' });
    expect(byTarget(checks, 'deliveries/s')).toMatchObject({ met: false, reached: 'c=16 0.53×' });
    expect(byTarget(checks, 'total CPU')).toMatchObject({ met: false, reached: 'c=16 36 ms, c=64 not run' });
  });

  it('when the goal step ran as several pairs, then the targets judge the pairs\' medians, not the first pair alone', () => {
    const disturbed = saturationStep(16, 50, { herald: 16, temporal: 18, postgres: 2 });
    const pairs = [
      { concurrency: 16, herald: disturbed, floor: closedStep(16, 95, { floor: 8, temporal: 12 }) },
      { concurrency: 16, herald: closedStep(16, 80, cheap), floor: closedStep(16, 95, { floor: 8, temporal: 12 }) },
      { concurrency: 16, herald: closedStep(16, 84, cheap), floor: closedStep(16, 100, { floor: 8, temporal: 12 }) },
    ];
    const floorPaired = scenario('floor', { steps: [pairs[0]!.floor], task_queue: 'q', client_eager: { starts: 0, eager: 0 }, pairs } satisfies FloorDetails);
    const checks = checkTargets({ saturation: saturation([disturbed]), floor: floorPaired });
    expect(byTarget(checks, 'Herald CPU per delivery')).toMatchObject({ met: true, reached: 'c=16 1.20× (median of 3 pairs: 1.80 1.20 1.20)' });
    expect(byTarget(checks, 'deliveries/s')).toMatchObject({ met: true, reached: 'c=16 0.84× (median of 3 pairs: 0.53 0.84 0.84)' });
  });

  it('when the floor did not run, then the floor targets are not judged', () => {
    const checks = checkTargets({ saturation: sat });
    expect(byTarget(checks, 'Herald CPU per delivery')).toMatchObject({ met: null, reached: 'a and f not both run' });
  });

  it('when fan-out costs more per delivery than a single destination, then its target is missed', () => {
    const fanout = scenario('fanout', { concurrency: 2, destinations: 10 }, {
      ledgers: { fanout: { events_published: 100, publish_errors: 0, publish_error_samples: [], deliveries_expected: 1000, delivered: 1000, missing: 0, duplicates: 0, unexpected: 0, balanced: true, missing_samples: [] } },
      resources: { herald: { cpu_s: 10, cpu_cores: 1, peak_rss_mb: 0, end_rss_mb: 0 }, temporal: { cpu_s: 15, cpu_cores: 1, peak_rss_mb: 0, end_rss_mb: 0 } },
    });
    expect(byTarget(checkTargets({ saturation: sat, fanout }), 'fan-out')).toMatchObject({ met: false, reached: '25 ms (x10, c=2) vs 24 ms (a, c=16)' });
  });

  it('when single-destination steps ran around the fan-out run, then fan-out is judged against them, not against a', () => {
    const single: FanoutSingleDestination = {
      concurrency: 20, steps: [closedStep(20, 80, cheap), closedStep(20, 82, cheap)], delivered: 1000,
      cpu_ms_per_delivery: { herald: 9, temporal: 16, postgres: 1 },
      ledger: { events_published: 1000, publish_errors: 0, publish_error_samples: [], deliveries_expected: 1000, delivered: 1000, missing: 0, duplicates: 0, unexpected: 0, balanced: true, missing_samples: [] },
    };
    const fanout = scenario('fanout', { concurrency: 2, destinations: 10, single_destination: single }, {
      ledgers: { fanout: { events_published: 100, publish_errors: 0, publish_error_samples: [], deliveries_expected: 1000, delivered: 1000, missing: 0, duplicates: 0, unexpected: 0, balanced: true, missing_samples: [] } },
      resources: { herald: { cpu_s: 10, cpu_cores: 1, peak_rss_mb: 0, end_rss_mb: 0 }, temporal: { cpu_s: 15, cpu_cores: 1, peak_rss_mb: 0, end_rss_mb: 0 } },
    });
    expect(byTarget(checkTargets({ saturation: sat, fanout }), 'fan-out')).toMatchObject({
      met: true, reached: '25 ms (x10, c=2) vs 26 ms (single, c=20, before and after)',
    });
    expect(byTarget(checkTargets({ fanout }), 'fan-out').met).toBe(true);
  });

  it('when nothing ran, then no target is judged and the old absolute rate target is gone', () => {
    const checks = checkTargets({});
    expect(checks.every((c) => c.met === null)).toBe(true);
    expect(checks.some((c) => c.target.includes('500 deliveries/s'))).toBe(false);
  });
});
