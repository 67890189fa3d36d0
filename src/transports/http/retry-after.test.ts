import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryAfterForStatus } from './retry-after.js';

const now = new Date('2024-05-01T10:00:00.000Z');

describe('parseRetryAfter', () => {
  it.each([
    { value: '0', expected: 0 },
    { value: '7', expected: 7_000 },
    { value: ' 120 ', expected: 120_000 },
    { value: '86400', expected: 86_400_000 },
    { value: 'Wed, 01 May 2024 10:00:30 GMT', expected: 30_000 },
    { value: 'Wednesday, 01-May-24 10:01:00 GMT', expected: 60_000 },
    { value: 'Wed May  1 10:02:00 2024', expected: 120_000 },
    { value: 'Wed, 01 May 2024 09:00:00 GMT', expected: 0 },
    { value: '-5', expected: undefined },
    { value: '1.5', expected: undefined },
    { value: '', expected: undefined },
    { value: undefined, expected: undefined },
    { value: 'soon', expected: undefined },
    { value: '9'.repeat(40), expected: undefined },
  ])('when Retry-After is "$value", then the delay is $expected ms', ({ value, expected }) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('retryAfterForStatus', () => {
  it.each([
    { status: 429, expected: 5_000 },
    { status: 503, expected: 5_000 },
    { status: 500, expected: undefined },
    { status: 200, expected: undefined },
  ])('when the status is $status, then Retry-After gives $expected', ({ status, expected }) => {
    expect(retryAfterForStatus(status, '5', now)).toBe(expected);
  });
});
