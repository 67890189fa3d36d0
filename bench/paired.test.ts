import { describe, expect, it } from 'vitest';
import { pairedPlan } from './scenarios/paired.js';

describe('pairedPlan', () => {
  it('when the ramp reaches the goal steps, then they run as several pairs, the order alternating from pair to pair', () => {
    expect(pairedPlan([4, 8, 16, 32, 64], 3)).toEqual([
      { concurrency: 4, heraldFirst: [true] },
      { concurrency: 8, heraldFirst: [false] },
      { concurrency: 16, heraldFirst: [true, false, true] },
      { concurrency: 32, heraldFirst: [false] },
      { concurrency: 64, heraldFirst: [true, false, true] },
    ]);
  });

  it('when one pair is asked for, then every step runs once, alternating who goes first', () => {
    expect(pairedPlan([1, 16, 64], 1).map((s) => s.heraldFirst)).toEqual([[true], [false], [true]]);
  });

  it('when an even number of pairs is asked for, then each side goes first equally often at the goal steps', () => {
    expect(pairedPlan([16], 4)[0]!.heraldFirst).toEqual([true, false, true, false]);
  });
});
