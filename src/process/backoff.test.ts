import { describe, expect, it } from 'vitest';
import { backoffDelay, dependencyBackoff } from './backoff.js';

const noJitter = { ...dependencyBackoff, jitter: 0 };

describe('backoffDelay', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 15_000],
    [6, 15_000],
    [1_000, 15_000],
  ])('when attempt %i has failed, then the next one waits %i ms', (attempt, expected) => {
    expect(backoffDelay(attempt, noJitter)).toBe(expected);
  });

  it('when jitter applies, then the delay stays within ± 20 % and never passes the cap', () => {
    expect(backoffDelay(1, dependencyBackoff, () => 0)).toBe(800);
    expect(backoffDelay(1, dependencyBackoff, () => 0.999_999)).toBe(1_200);
    expect(backoffDelay(10, dependencyBackoff, () => 0.999_999)).toBe(15_000);
    expect(backoffDelay(10, dependencyBackoff, () => 0)).toBe(12_000);
  });
});
