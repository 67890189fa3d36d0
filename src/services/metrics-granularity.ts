/**
 * Time buckets of the metrics API: `<n><unit>` granularities, how a time falls into a bucket, and
 * the buckets a range covers. Every bucket is in UTC and aligned to a fixed origin, so the same
 * time lands in the same bucket whatever range is asked for:
 * - `s`, `m`, `h`, `d`: multiples of the step since the Unix epoch (1970-01-01T00:00:00Z), so `1d`
 *   starts at UTC midnight and `6h` at 00, 06, 12 and 18 h;
 * - `w`: weeks starting on Sunday, multiples of the step since Sunday 1970-01-04;
 * - `M`: calendar months, multiples of the step since January 1970 (`3M` is calendar quarters).
 * The SQL in the metrics repository computes the same buckets; the two are tested against each other.
 */

export type GranularityUnit = 's' | 'm' | 'h' | 'd' | 'w' | 'M';

export interface Granularity {
  readonly value: number;
  readonly unit: GranularityUnit;
}

/** The largest `<n>` of each unit, as the contract states them. */
export const GRANULARITY_MAX: Readonly<Record<GranularityUnit, number>> = { s: 60, m: 60, h: 24, d: 31, w: 4, M: 12 };

const UNIT_SECONDS: Readonly<Record<Exclude<GranularityUnit, 'M'>, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400 };

/** Sunday 1970-01-04T00:00:00Z, the origin of week buckets. */
export const WEEK_ORIGIN = new Date(Date.UTC(1970, 0, 4));
export const EPOCH = new Date(0);

/** The granularity `text` names, or a problem saying why it names none. */
export function parseGranularity(text: string): { granularity: Granularity } | { problem: string } {
  const match = /^([1-9]\d{0,2})([smhdwM])$/.exec(text);
  if (!match) return { problem: 'must be <number><unit>, unit one of s, m, h, d, w, M (e.g. 1h)' };
  const unit = match[2] as GranularityUnit;
  const value = Number(match[1]);
  if (value > GRANULARITY_MAX[unit]) return { problem: `${unit} takes 1 to ${GRANULARITY_MAX[unit]}` };
  return { granularity: { value, unit } };
}

export const formatGranularity = (g: Granularity): string => `${g.value}${g.unit}`;

/** Length of a fixed-length step in seconds; null for months, whose length varies. */
export function stepSeconds(g: Granularity): number | null {
  return g.unit === 'M' ? null : g.value * UNIT_SECONDS[g.unit];
}

/** The origin fixed-length buckets are counted from. */
export const bucketOrigin = (g: Granularity): Date => (g.unit === 'w' ? WEEK_ORIGIN : EPOCH);

/** Months since January 1970 of a UTC time. */
const monthIndex = (t: Date) => (t.getUTCFullYear() - 1970) * 12 + t.getUTCMonth();
const fromMonthIndex = (index: number) => new Date(Date.UTC(1970 + Math.floor(index / 12), ((index % 12) + 12) % 12, 1));

/** Start of the bucket `t` falls in. */
export function bucketStart(t: Date, g: Granularity): Date {
  const step = stepSeconds(g);
  if (step === null) return fromMonthIndex(Math.floor(monthIndex(t) / g.value) * g.value);
  const origin = bucketOrigin(g).getTime();
  const stepMs = step * 1000;
  return new Date(origin + Math.floor((t.getTime() - origin) / stepMs) * stepMs);
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucket(start: Date, g: Granularity): Date {
  const step = stepSeconds(g);
  return step === null ? fromMonthIndex(monthIndex(start) + g.value) : new Date(start.getTime() + step * 1000);
}

/** Seconds a bucket lasts (months: that bucket's own length). */
export function bucketSeconds(start: Date, g: Granularity): number {
  return (nextBucket(start, g).getTime() - start.getTime()) / 1000;
}

/**
 * The buckets that overlap [start, end), in order; the first may begin before `start`. Null when
 * there are more than `max` (the caller refuses such a query rather than building them).
 */
export function bucketsCovering(start: Date, end: Date, g: Granularity, max: number): Date[] | null {
  const first = bucketStart(start, g);
  const step = stepSeconds(g);
  if (step !== null && Math.ceil((end.getTime() - first.getTime()) / (step * 1000)) > max) return null;
  const buckets: Date[] = [];
  for (let b = first; b < end; b = nextBucket(b, g)) {
    if (buckets.length === max) return null;
    buckets.push(b);
  }
  return buckets;
}
