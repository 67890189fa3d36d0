import { cpuMsPerDelivery, heraldOwnMs, heraldStackMs } from './cpu.js';
import { compareWithFloor, judgedRatio, type FloorComparison } from './floor-comparison.js';
import type { ScenarioName } from './options.js';
import type { ScenarioResult } from './scenarios/context.js';
import type { FanoutSingleDestination } from './scenarios/fanout.js';
import type { FloorDetails } from './scenarios/floor.js';
import type { LatencyRun } from './scenarios/latency.js';
import { METRICS_BUDGET_ATTEMPTS, METRICS_BUDGET_MS, type MetricsDetails } from './scenarios/metrics.js';
import type { SaturationDetails, SaturationStep } from './scenarios/saturation.js';
import type { Summary } from './stats.js';
import { fmt } from './table.js';

/**
 * The goals the numbers are read against: reported, never asserted. Throughput is judged against
 * the floor measured in the same run (Herald cannot beat a bare workflow on the same server, so
 * an absolute rate would only measure the machine). A target whose scenario or step did not run
 * is `met: null`.
 */

export interface TargetCheck {
  readonly target: string;
  readonly reached: string;
  readonly met: boolean | null;
}

type Scenarios = Partial<Record<ScenarioName, ScenarioResult>>;

/** The steps the CPU and latency goals are stated at. */
export const GOAL_STEPS = [16, 64] as const;

/** false when any measured value misses; true when every one was measured and passes; else null. */
export function judge(values: readonly (number | null | undefined)[], ok: (v: number) => boolean): boolean | null {
  if (values.some((v) => typeof v === 'number' && !ok(v))) return false;
  return values.length > 0 && values.every((v) => typeof v === 'number') ? true : null;
}

function atGoalSteps(target: string, sat: SaturationDetails | undefined, value: (s: SaturationStep) => number | null, unit: string, ok: (v: number) => boolean): TargetCheck {
  if (!sat) return { target, reached: 'a not run', met: null };
  const values = GOAL_STEPS.map((c) => {
    const step = sat.steps.find((s) => s.concurrency === c);
    return step ? value(step) : undefined;
  });
  const reached = GOAL_STEPS.map((c, i) => `c=${c} ${values[i] === undefined ? 'not run' : `${fmt(values[i])}${unit}`}`).join(', ');
  return { target, reached, met: judge(values, ok) };
}

function againstFloor(sat: SaturationDetails | undefined, floor: FloorDetails | undefined): TargetCheck[] {
  const rows = sat && floor ? compareWithFloor(sat.steps, floor.steps, floor.pairs) : [];
  const reached = (which: 'rate' | 'cpu') => rows.length === 0
    ? 'a and f not both run'
    : rows.map((r) => `c=${r.concurrency} ${fmt(judgedRatio(r, which), 2)}×${r.pairs ? pairsNote(r.pairs[`${which}_ratios`]) : ''}`).join(', ');
  const judged = (which: 'rate' | 'cpu') => rows.map((r) => judgedRatio(r, which));
  return [
    { target: 'Herald CPU per delivery ≤ 1.25 × the floor\'s (same step)', reached: reached('cpu'), met: judge(judged('cpu'), (v) => v <= 1.25) },
    { target: 'deliveries/s ≥ 0.8 × the floor\'s workflows/s (same step)', reached: reached('rate'), met: judge(judged('rate'), (v) => v >= 0.8) },
  ];
}

/** ` (median of 3 pairs: 1.31 1.18 1.27)` */
const pairsNote = (ratios: NonNullable<FloorComparison['pairs']>['cpu_ratios']) =>
  ` (median of ${ratios.length} pairs: ${ratios.map((v) => fmt(v, 2)).join(' ')})`;

/**
 * Fan-out's CPU per delivery against single-destination delivery with as many deliveries in
 * flight: the steps run around the fan-out run (see fanout.ts), else (a)'s nearest step.
 */
function fanoutTarget(scenarios: Scenarios, sat: SaturationDetails | undefined): TargetCheck {
  const target = 'fan-out CPU per delivery ≤ single destination';
  const fan = scenarios.fanout;
  if (!fan) return { target, reached: 'c not run', met: null };
  const delivered = Object.values(fan.ledgers).reduce((a, l) => a + l.delivered, 0);
  const fanMs = heraldStackMs(cpuMsPerDelivery(fan.resources, delivered));
  const beside = singleBeside(fan, sat);
  if (!beside) return { target, reached: 'no single-destination step to compare with', met: null };
  return {
    target,
    reached: `${fmt(fanMs)} ms (x${String(fan.details.destinations)}, c=${String(fan.details.concurrency)}) vs ${fmt(beside.ms)} ms (${beside.what})`,
    met: fanMs === null || beside.ms === null ? null : fanMs <= beside.ms,
  };
}

function singleBeside(fan: ScenarioResult, sat: SaturationDetails | undefined): { ms: number | null; what: string } | null {
  const single = fan.details.single_destination as FanoutSingleDestination | undefined;
  if (single && single.delivered > 0) {
    return { ms: heraldStackMs(single.cpu_ms_per_delivery), what: `single, c=${single.concurrency}, before and after` };
  }
  if (!sat || sat.steps.length === 0) return null;
  const inFlight = Number(fan.details.concurrency) * Number(fan.details.destinations);
  const nearest = sat.steps.reduce((a, b) => (Math.abs(b.concurrency - inFlight) < Math.abs(a.concurrency - inFlight) ? b : a));
  return { ms: heraldStackMs(nearest.cpu_ms_per_delivery), what: `a, c=${nearest.concurrency}` };
}

export function checkTargets(scenarios: Scenarios): TargetCheck[] {
  const sat = scenarios.saturation?.details as SaturationDetails | undefined;
  const floor = scenarios.floor?.details as FloorDetails | undefined;
  const out: TargetCheck[] = [
    atGoalSteps('total CPU ≤ 25 ms per delivery (Herald + Temporal + Postgres)', sat, (s) => heraldStackMs(s.cpu_ms_per_delivery), ' ms', (v) => v <= 25),
    atGoalSteps('Herald\'s own processes ≤ 10 ms per delivery', sat, (s) => heraldOwnMs(s.cpu_ms_per_delivery), ' ms', (v) => v <= 10),
    ...againstFloor(sat, floor),
  ];
  const at64 = sat?.steps.find((s) => s.concurrency === 64);
  out.push({
    target: 'delivery p99 ≤ 1.5 s at c=64 (closed loop)',
    reached: at64 ? `${fmt(at64.delivery_ms.p99)} ms` : sat ? 'c=64 not run' : 'a not run',
    met: at64 && at64.delivery_ms.p99 !== null ? at64.delivery_ms.p99 <= 1500 : null,
  });
  const runs = (scenarios.latency?.details.runs as LatencyRun[] | undefined) ?? [];
  const half = [...runs].sort((a, b) => Math.abs(a.fraction - 0.5) - Math.abs(b.fraction - 0.5))[0];
  out.push({
    target: 'delivery p99 ≤ 250 ms at 50 % of the sustained rate',
    reached: half ? `${fmt(half.delivery_ms.p99)} ms at ${half.target_per_s}/s (${Math.round(half.fraction * 100)} %)` : 'not run',
    met: half && half.delivery_ms.p99 !== null ? half.delivery_ms.p99 <= 250 : null,
  });
  out.push(fanoutTarget(scenarios, sat));
  const lateness = scenarios.retries?.details.lateness_ms as Summary | undefined;
  out.push({
    target: 'retry lateness p99 < 1 s',
    reached: lateness ? `${fmt(lateness.p99)} ms over ${lateness.count} retries` : 'not run',
    met: lateness && lateness.p99 !== null ? lateness.p99 < 1000 : null,
  });
  const backlog = scenarios.backlog?.details;
  const slope = backlog?.worker_mb_per_10k_second_half as number | null | undefined;
  const parked = backlog?.parked as number | undefined;
  out.push({
    target: 'worker memory flat with 100 000 pending retries',
    reached: backlog
      ? `${fmt(backlog.worker_rss_before_mb as number | null)} → ${fmt(backlog.worker_rss_after_mb as number | null)} MB with ${parked} parked; ` +
        ((parked ?? 0) >= 10_000 ? `${fmt(slope)} MB per 10k in the second half` : 'slope not judged below 10 000')
      : 'not run',
    // "Flat": under 5 MB per 10 000 more parked deliveries; only judged at the target size.
    met: backlog && typeof slope === 'number' && (parked ?? 0) >= 100_000 ? slope < 5 : null,
  });
  out.push(metricsTarget(scenarios.metrics?.details as MetricsDetails | undefined));
  return out;
}

/** Judged only at the target size: fewer attempts say nothing about a month of them. */
function metricsTarget(metrics: MetricsDetails | undefined): TargetCheck {
  const target = `metrics queries over ${METRICS_BUDGET_ATTEMPTS} attempts: p95 ≤ ${METRICS_BUDGET_MS} ms each`;
  if (!metrics) return { target, reached: 'not run', met: null };
  const reached = `${metrics.queries.map((q) => `${q.name} ${fmt(q.p95_ms)} ms`).join(', ')} (${metrics.attempts} attempts)`;
  return { target, reached, met: metrics.attempts >= METRICS_BUDGET_ATTEMPTS ? judge(metrics.queries.map((q) => q.p95_ms), (v) => v <= METRICS_BUDGET_MS) : null };
}
