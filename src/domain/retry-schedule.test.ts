import { describe, expect, it } from 'vitest';
import { computeRetryDelays, nextRetryDelayMs } from './retry-schedule.js';

describe('computeRetryDelays', () => {
  it.each([
    ['when defaults (30 s, 10 retries), then the Outpost exponential series', [], 30, 10,
      [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360]],
    ['when the limit is 0, then no retries', [], 30, 0, []],
    ['when a schedule is given, then it overrides interval and limit', [1, 5, 10], 30, 10, [1, 5, 10]],
    ['when interval is 2 and limit 3, then 2, 4, 8', [], 2, 3, [2, 4, 8]],
  ])('%s', (_name, schedule, intervalSeconds, maxRetryLimit, expected) => {
    expect(computeRetryDelays({ schedule, intervalSeconds, maxRetryLimit })).toEqual(expected);
  });
});

describe('nextRetryDelayMs', () => {
  const delays = [1, 5, 10];
  it.each([
    ['when attempt 1 failed, then the first delay', 1, undefined, 1000],
    ['when attempt 3 failed, then the last delay', 3, undefined, 10_000],
    ['when attempt 4 failed, then no retry is left', 4, undefined, null],
    ['when attempt 0 is asked, then none', 0, undefined, null],
    ['when Retry-After is longer, then it postpones the retry', 1, 4000, 4000],
    ['when Retry-After is shorter, then the schedule wins', 2, 1000, 5000],
    ['when Retry-After is huge, then it is capped at an hour', 1, 10 * 3_600_000, 3_600_000],
  ])('%s', (_name, attempt, retryAfter, expected) => {
    expect(nextRetryDelayMs(delays, attempt, retryAfter)).toBe(expected);
  });
});
