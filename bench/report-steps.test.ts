import { describe, expect, it } from 'vitest';
import { eagerCell } from './report-steps.js';

describe('eagerCell', () => {
  it.each([
    ['when Temporal\'s metrics are unknown, then n/a', null, 'n/a'],
    ['when nothing was started, then a dash', { starts: 0, requested: 0, denied: 0, ratio: null }, '–'],
    ['when every start was eager, then 100 %', { starts: 812, requested: 812, denied: 0, ratio: 1 }, '100.0 % (812/812)'],
    ['when some were denied, then the denials are named', { starts: 200, requested: 150, denied: 10, ratio: 0.7 }, '70.0 % (140/200, 10 denied)'],
  ])('%s', (_name, eager, expected) => {
    expect(eagerCell(eager)).toBe(expected);
  });
});
