/** Summary statistics over samples in milliseconds (or any unit); nearest-rank percentiles. */

export interface Summary {
  readonly count: number;
  readonly min: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? null;
}

const round = (x: number | null, digits = 1): number | null => (x === null ? null : Number(x.toFixed(digits)));

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.length === 0 ? null : sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    count: sorted.length,
    min: round(sorted[0] ?? null),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? null),
    mean: round(mean),
  };
}

/** Rate per second of the timestamps that fall in [from, to). */
export function rateIn(timestamps: Iterable<number>, from: number, to: number): number {
  if (to <= from) return 0;
  let n = 0;
  for (const t of timestamps) if (t >= from && t < to) n += 1;
  return (n * 1000) / (to - from);
}
