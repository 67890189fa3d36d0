import { describe, expect, it } from 'vitest';
import { compareWithFloor, judgedRatio, median } from './floor-comparison.js';
import { closedStep, saturationStep } from './step-fixtures.js';

describe('compareWithFloor', () => {
  it('when both ran a step, then the row divides Herald by the floor for rate and stack CPU', () => {
    const herald = [saturationStep(16, 50, { herald: 16, temporal: 18, postgres: 2, bench: 5 })];
    const floor = [closedStep(16, 100, { floor: 8, temporal: 12, herald: 0.2, bench: 4 })];
    expect(compareWithFloor(herald, floor)).toEqual([{
      concurrency: 16, herald_deliveries_per_s: 50, floor_workflows_per_s: 100, rate_ratio: 0.5,
      herald_cpu_ms: 36, floor_cpu_ms: 20, cpu_ratio: 1.8, herald_own_cpu_ms: 16, baseline_requests_per_s: 5000,
      threads: { herald_main: null, herald_workflow: null, floor_main: null, floor_workflow: null }, pairs: null,
    }]);
  });

  it('when the thread split was measured, then the main and workflow threads are set beside each other', () => {
    const herald = [{ ...saturationStep(16, 50, { herald: 16 }), thread_ms_per_delivery: { herald: { main: 5, 'node worker': 4.5, 'node other': 1 } } }];
    const floor = [{ ...closedStep(16, 100, { floor: 8 }), thread_ms_per_delivery: { floor: { main: 3, 'node worker': 3.2 } } }];
    expect(compareWithFloor(herald, floor)[0]!.threads).toEqual({ herald_main: 5, herald_workflow: 4.5, floor_main: 3, floor_workflow: 3.2 });
  });

  it('when a step ran on one side only, then it has no row', () => {
    const herald = [saturationStep(16, 50, { herald: 16 }), saturationStep(64, 60, { herald: 15 })];
    expect(compareWithFloor(herald, [closedStep(64, 90, { floor: 8, temporal: 12 })]).map((r) => r.concurrency)).toEqual([64]);
  });

  it('when the floor delivered nothing, then the ratios are null rather than infinite', () => {
    const [row] = compareWithFloor([saturationStep(1, 5, { herald: 16 })], [closedStep(1, 0, {})]);
    expect(row).toMatchObject({ rate_ratio: null, cpu_ratio: null, floor_cpu_ms: null });
  });

  it('when a step ran as several pairs, then each pair\'s ratios are listed in order and the judged ratio is their median', () => {
    const h = (rate: number, ms: number) => saturationStep(16, rate, { herald: ms, temporal: 10 });
    const f = (rate: number, ms: number) => closedStep(16, rate, { floor: ms, temporal: 10 });
    const pairs = [{ concurrency: 16, herald: h(40, 20), floor: f(100, 10) }, { concurrency: 16, herald: h(80, 15), floor: f(100, 10) },
      { concurrency: 16, herald: h(90, 14), floor: f(100, 10) }, { concurrency: 64, herald: h(1, 1), floor: f(1, 1) }];
    const [row] = compareWithFloor([pairs[0]!.herald], [pairs[0]!.floor], pairs);
    expect(row!.pairs).toEqual({ rate_ratios: [0.4, 0.8, 0.9], cpu_ratios: [1.5, 1.25, 1.2], rate_ratio_median: 0.8, cpu_ratio_median: 1.25 });
    expect([judgedRatio(row!, 'cpu'), judgedRatio(row!, 'rate')]).toEqual([1.25, 0.8]);
    expect(row!.cpu_ratio).toBe(1.5);
  });

  it('when a step ran once, then the judged ratio is the step\'s own', () => {
    const [row] = compareWithFloor([saturationStep(16, 50, { herald: 16 })], [closedStep(16, 100, { floor: 8 })]);
    expect([row!.pairs, judgedRatio(row!, 'cpu'), judgedRatio(row!, 'rate')]).toEqual([null, 2, 0.5]);
  });

  it('median: the middle value, the mean of the middle two for an even count, nulls left out', () => {
    expect([median([3, 1, 2]), median([1, 2, 3, 10]), median([null, 4]), median([null])]).toEqual([2, 2.5, 4, null]);
  });
});
