import { HERALD_ROLES, floorStackMs, heraldOwnMs, heraldStackMs, ratio } from './cpu.js';
import type { ClosedStep } from './scenarios/closed-step.js';
import type { FloorPair } from './scenarios/floor.js';
import type { SaturationStep } from './scenarios/saturation.js';

/**
 * Herald beside the floor at the same concurrency step: the rate Herald keeps of what Temporal
 * alone sustains, and what it costs per delivery on top (CPU of Herald's processes, Temporal and
 * Postgres against the floor process and Temporal). Ratios are Herald ÷ floor.
 */

export interface FloorComparison {
  readonly concurrency: number;
  readonly herald_deliveries_per_s: number;
  readonly floor_workflows_per_s: number;
  readonly rate_ratio: number | null;
  /** Herald's processes + Temporal + Postgres, ms per delivery */
  readonly herald_cpu_ms: number | null;
  /** The floor process + Temporal, ms per workflow */
  readonly floor_cpu_ms: number | null;
  readonly cpu_ratio: number | null;
  /** Herald's own processes only (no Temporal, no Postgres), ms per delivery */
  readonly herald_own_cpu_ms: number | null;
  /**
   * The two busiest threads, ms per delivery: `main` is the event loop (Herald: API, activities and
   * the SDK's worker pipeline), `workflow` the SDK's workflow thread (workflow code). Herald's is
   * summed over its processes; null where the thread split was not measured.
   */
  readonly threads: {
    readonly herald_main: number | null; readonly herald_workflow: number | null;
    readonly floor_main: number | null; readonly floor_workflow: number | null;
  };
  readonly baseline_requests_per_s: number | null;
  /**
   * Where the step ran as several pairs (the goal steps, see scenarios/paired.ts): each pair's
   * ratios in run order, and their medians, which are what the targets judge. null: one pair.
   */
  readonly pairs: {
    readonly rate_ratios: readonly (number | null)[];
    readonly cpu_ratios: readonly (number | null)[];
    readonly rate_ratio_median: number | null;
    readonly cpu_ratio_median: number | null;
  } | null;
}

/** The ratio a target judges: the median over the pairs where the step ran as several, else the step's own. */
export function judgedRatio(row: FloorComparison, which: 'rate' | 'cpu'): number | null {
  return row.pairs ? row.pairs[`${which}_ratio_median`] : row[`${which}_ratio`];
}

/** The middle value (the mean of the two middle ones for an even count); null when none is a number. */
export function median(values: readonly (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = Math.floor(xs.length / 2);
  return Number((xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2).toFixed(2));
}

const rateRatio = (h: ClosedStep, f: ClosedStep) => ratio(h.deliveries_per_s, f.deliveries_per_s);
const cpuRatio = (h: ClosedStep, f: ClosedStep) => ratio(heraldStackMs(h.cpu_ms_per_delivery), floorStackMs(f.cpu_ms_per_delivery));

function pairRatios(pairs: readonly FloorPair[]): FloorComparison['pairs'] {
  if (pairs.length < 2) return null;
  const rate_ratios = pairs.map((p) => rateRatio(p.herald, p.floor));
  const cpu_ratios = pairs.map((p) => cpuRatio(p.herald, p.floor));
  return { rate_ratios, cpu_ratios, rate_ratio_median: median(rate_ratios), cpu_ratio_median: median(cpu_ratios) };
}

function threadMs(step: ClosedStep, roles: readonly string[], thread: string): number | null {
  const values = roles.map((r) => step.thread_ms_per_delivery?.[r as keyof NonNullable<ClosedStep['thread_ms_per_delivery']>]?.[thread])
    .filter((v): v is number => v !== undefined);
  return values.length === 0 ? null : Number(values.reduce((a, b) => a + b, 0).toFixed(2));
}

/** One row per concurrency both ran, in Herald's order; `pairs`: the floor's, where steps ran as several pairs. */
export function compareWithFloor(herald: readonly SaturationStep[], floor: readonly ClosedStep[], pairs: readonly FloorPair[] = []): FloorComparison[] {
  return herald.flatMap((h) => {
    const f = floor.find((s) => s.concurrency === h.concurrency);
    if (!f) return [];
    const heraldCpu = heraldStackMs(h.cpu_ms_per_delivery);
    const floorCpu = floorStackMs(f.cpu_ms_per_delivery);
    return [{
      concurrency: h.concurrency,
      herald_deliveries_per_s: h.deliveries_per_s,
      floor_workflows_per_s: f.deliveries_per_s,
      rate_ratio: rateRatio(h, f),
      herald_cpu_ms: heraldCpu,
      floor_cpu_ms: floorCpu,
      cpu_ratio: cpuRatio(h, f),
      herald_own_cpu_ms: heraldOwnMs(h.cpu_ms_per_delivery),
      threads: {
        herald_main: threadMs(h, HERALD_ROLES, 'main'), herald_workflow: threadMs(h, HERALD_ROLES, 'node worker'),
        floor_main: threadMs(f, ['floor'], 'main'), floor_workflow: threadMs(f, ['floor'], 'node worker'),
      },
      baseline_requests_per_s: h.baseline?.requests_per_s ?? null,
      pairs: pairRatios(pairs.filter((p) => p.concurrency === h.concurrency)),
    }];
  });
}
