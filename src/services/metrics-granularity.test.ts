import { describe, expect, it } from 'vitest';
import { bucketSeconds, bucketStart, bucketsCovering, nextBucket, parseGranularity, type Granularity } from './metrics-granularity.js';

const at = (iso: string) => new Date(iso);
const g = (text: string): Granularity => {
  const parsed = parseGranularity(text);
  if (!('granularity' in parsed)) throw new Error(parsed.problem);
  return parsed.granularity;
};

describe('parseGranularity', () => {
  it.each([
    ['1s', 1, 's'], ['60s', 60, 's'], ['15m', 15, 'm'], ['24h', 24, 'h'], ['31d', 31, 'd'], ['4w', 4, 'w'], ['12M', 12, 'M'],
  ])('when given %s, then it is %i %s', (text, value, unit) => {
    expect(parseGranularity(text)).toEqual({ granularity: { value, unit } });
  });

  it.each(['', 'h', '1', '0h', '01h', '61s', '61m', '25h', '32d', '5w', '13M', '1y', '1H', ' 1h', '1.5h', '-1h', '1000s'])(
    'when given %j, then it names a problem', (text) => {
      expect(parseGranularity(text)).toEqual({ problem: expect.any(String) });
    },
  );
});

describe('bucketStart', () => {
  it.each([
    ['2026-03-02T14:35:17.250Z', '1s', '2026-03-02T14:35:17.000Z'],
    ['2026-03-02T14:35:17Z', '15s', '2026-03-02T14:35:15.000Z'],
    ['2026-03-02T14:35:17Z', '1m', '2026-03-02T14:35:00.000Z'],
    ['2026-03-02T14:35:17Z', '10m', '2026-03-02T14:30:00.000Z'],
    ['2026-03-02T14:35:17Z', '1h', '2026-03-02T14:00:00.000Z'],
    ['2026-03-02T14:35:17Z', '6h', '2026-03-02T12:00:00.000Z'],
    ['2026-03-02T14:35:17Z', '1d', '2026-03-02T00:00:00.000Z'],
    // Multiples of days since the epoch: 2026-03-02 is day 20514, and 20514 = 7 × 2930 + 4.
    ['2026-03-02T14:35:17Z', '7d', '2026-02-26T00:00:00.000Z'],
    // Weeks start on Sunday; 2026-03-02 is a Monday.
    ['2026-03-02T14:35:17Z', '1w', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T00:00:00Z', '1w', '2026-03-01T00:00:00.000Z'],
    ['2026-02-28T23:59:59Z', '1w', '2026-02-22T00:00:00.000Z'],
    ['2026-03-02T14:35:17Z', '1M', '2026-03-01T00:00:00.000Z'],
    ['2026-05-31T23:59:59Z', '3M', '2026-04-01T00:00:00.000Z'],
    ['2026-12-31T23:59:59Z', '12M', '2026-01-01T00:00:00.000Z'],
    ['1969-12-31T23:59:59Z', '1d', '1969-12-31T00:00:00.000Z'],
  ])('when %s falls into %s buckets, then its bucket starts at %s', (time, granularity, start) => {
    expect(bucketStart(at(time), g(granularity)).toISOString()).toBe(start);
  });
});

describe('nextBucket and bucketSeconds', () => {
  it.each([
    ['2026-03-02T14:00:00Z', '1h', '2026-03-02T15:00:00.000Z', 3600],
    ['2026-03-01T00:00:00Z', '1w', '2026-03-08T00:00:00.000Z', 7 * 86_400],
    ['2026-02-01T00:00:00Z', '1M', '2026-03-01T00:00:00.000Z', 28 * 86_400],
    ['2026-10-01T00:00:00Z', '3M', '2027-01-01T00:00:00.000Z', 92 * 86_400],
  ])('when a %s bucket of %s ends, then the next starts at %s and it lasted %i s', (start, granularity, next, seconds) => {
    expect(nextBucket(at(start), g(granularity)).toISOString()).toBe(next);
    expect(bucketSeconds(at(start), g(granularity))).toBe(seconds);
  });
});

describe('bucketsCovering', () => {
  it('when a range starts inside a bucket, then that bucket is the first and the end is exclusive', () => {
    const buckets = bucketsCovering(at('2026-03-02T10:30:00Z'), at('2026-03-02T13:00:00Z'), g('1h'), 100);
    expect(buckets?.map((b) => b.toISOString())).toEqual(['2026-03-02T10:00:00.000Z', '2026-03-02T11:00:00.000Z', '2026-03-02T12:00:00.000Z']);
  });

  it('when months are counted, then each bucket starts on the first of its month', () => {
    const buckets = bucketsCovering(at('2026-01-15T00:00:00Z'), at('2026-04-01T00:00:00Z'), g('1M'), 100);
    expect(buckets?.map((b) => b.toISOString().slice(0, 10))).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
  });

  it('when a range holds more buckets than allowed, then there are none', () => {
    expect(bucketsCovering(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), g('1s'), 86_399)).toBeNull();
    expect(bucketsCovering(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), g('1s'), 86_400)).toHaveLength(86_400);
    expect(bucketsCovering(at('2000-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), g('1M'), 100)).toBeNull();
  });
});
