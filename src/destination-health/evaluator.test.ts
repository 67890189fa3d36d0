import { describe, expect, it } from 'vitest';
import { applyOutcome, type HealthState } from './evaluator.js';
import { levelAt } from './thresholds.js';

function run(outcomes: boolean[], max: number, autoDisable: boolean) {
  let state: HealthState = { count: 0, disabled: false };
  const alerts: [number, number][] = [];
  const disables: number[] = [];
  for (const ok of outcomes) {
    const step = applyOutcome(state, ok, { max, autoDisable });
    state = step.state;
    if (step.alert) alerts.push([step.alert.current, step.alert.threshold]);
    if (step.disable) disables.push(state.count);
  }
  return { state, alerts, disables };
}

const fails = (n: number) => Array.from({ length: n }, () => false);

describe('destination health', () => {
  it.each([
    [10, 5, 50], [10, 7, 70], [10, 9, 90], [10, 10, 100], [10, 11, 100], [10, 6, undefined],
    [100, 50, 50], [100, 70, 70], [100, 90, 90], [100, 100, 100],
    [3, 2, 50], [3, 3, 100], [1, 1, 100], [7, 4, 50], [7, 5, 70], [7, 6, undefined], [7, 7, 100],
  ])('when max is %i and the count is %i, then the level is %s', (max, count, level) => {
    expect(levelAt(max, count)).toBe(level);
  });

  it('when a max of 10 sees 12 failures without auto-disable, then alerts at 5, 7, 9, 10 and again at every failure after', () => {
    expect(run(fails(12), 10, false).alerts).toEqual([[5, 50], [7, 70], [9, 90], [10, 100], [11, 100], [12, 100]]);
  });

  it('when auto-disable is on, then 100 % disables once and later failures raise nothing', () => {
    const { alerts, disables, state } = run(fails(13), 10, true);
    expect(alerts).toEqual([[5, 50], [7, 70], [9, 90], [10, 100]]);
    expect(disables).toEqual([10]);
    expect(state).toEqual({ count: 13, disabled: true });
  });

  it('when a success comes between failures, then the count starts again', () => {
    const { alerts, state } = run([...fails(6), true, ...fails(5)], 10, false);
    expect(alerts).toEqual([[5, 50], [5, 50]]);
    expect(state.count).toBe(5);
  });
});
