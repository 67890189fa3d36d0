import { loopDelayProbe, now, sleep } from '../clock.js';
import { cpuMsPerDelivery, threadMsPerDelivery, type CpuPerDelivery } from '../cpu.js';
import type { Ledger } from '../ledger.js';
import { closedLoop, type Publisher } from '../load.js';
import type { Role, Usage } from '../resources.js';
import type { Summary } from '../stats.js';
import { eagerStarts, samplesIncrease, type EagerStarts, type MetricSamples } from '../temporal-metrics.js';
import { rate1, ticker, within, type ScenarioContext } from './context.js';

/**
 * One step of a closed-loop ramp, shared by saturation (Herald) and the floor (the bare
 * workflow), so both are measured the same way: N clients each send, wait until the receiver has
 * the event, send again, for the step's duration. Around it: a resource window (CPU per process,
 * divided by the deliveries that arrived inside it) and two scrapes of Temporal's metrics (eager
 * starts), both taken outside the timed loop.
 */

/**
 * The server publishes its counters on /metrics about once a second (a start shows there 0.3–0.8 s
 * after it returned, measured on the dev server): the closing scrape waits one publication out, so
 * a step's last starts count in it and not in the next step, and so does the opening scrape of a
 * ramp's first step (the warm-up's starts are not the step's).
 */
const METRICS_PUBLISH_MS = 1_200;

export interface ClosedStep {
  readonly concurrency: number;
  /** Arrivals per second after the first second (or quarter) of the step: connections and caches settle there. */
  readonly deliveries_per_s: number;
  /** Arrivals while the resource window was open: the denominator of `cpu_ms_per_delivery`. */
  readonly delivered: number;
  readonly publish_ms: Summary;
  readonly delivery_ms: Summary;
  /** Bench event-loop delay p99 during the step */
  readonly bench_loop_p99_ms: number;
  /** Cores busy per process during the step, and the machine's total */
  readonly cores: Partial<Record<Role | 'machine', number>>;
  readonly cpu_ms_per_delivery: CpuPerDelivery;
  /** The Node processes' CPU ms per delivery by thread role: `main` (event loop), `node worker` (workflow thread), … */
  readonly thread_ms_per_delivery?: Partial<Record<Role, Record<string, number>>>;
  /** null when Temporal's metrics endpoint is unknown */
  readonly eager: EagerStarts | null;
}

/**
 * The concurrency steps (a) actually ran (its ramp may stop early), else the configured ones: the
 * ramps compared with (a) run exactly its steps.
 */
export function rampSteps(ctx: ScenarioContext): readonly number[] {
  // Read structurally: saturation's own types import this file.
  const sat = ctx.results.saturation?.details as { steps?: readonly { concurrency: number }[] } | undefined;
  return sat?.steps && sat.steps.length > 0 ? sat.steps.map((s) => s.concurrency) : ctx.options.concurrencySteps;
}

/**
 * What a step measured before it was reduced to figures: its resource window, Temporal's counters
 * over it, and the bench's loop delay. A scenario whose steps alternate with another's (the paired
 * ramp) adds these up into its own totals.
 */
export interface StepWindow {
  readonly usage: Usage;
  readonly wall_s: number;
  /** The increase of Temporal's series over the step; null when its metrics endpoint is unknown */
  readonly metrics: MetricSamples | null;
  readonly loop: { readonly p99_ms: number; readonly max_ms: number };
}

export interface ClosedStepSpec {
  readonly label: string;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly ledger: Ledger;
  readonly publisher: Publisher;
  /** The first step of a ramp: other starts may have just happened. */
  readonly first: boolean;
}

export async function runClosedStep(ctx: ScenarioContext, step: ClosedStepSpec): Promise<ClosedStep> {
  return (await runClosedStepWindow(ctx, step)).step;
}

/** runClosedStep, with the step's window as measured. */
export async function runClosedStepWindow(ctx: ScenarioContext, step: ClosedStepSpec): Promise<{ step: ClosedStep; window: StepWindow }> {
  const { ledger, concurrency, durationMs } = step;
  if (step.first && ctx.temporalMetrics) await sleep(METRICS_PUBLISH_MS);
  const metricsBefore = await ctx.temporalMetrics?.scrape();
  const start = now();
  const before = ledger.deliveredCount();
  const stopTicker = ticker(ctx, () => {
    const s = (now() - start) / 1000;
    return `${step.label}  c=${concurrency}  ${s.toFixed(0)}s  ${((ledger.deliveredCount() - before) / s).toFixed(0)} deliveries/s`;
  });
  const window = await ctx.monitor.begin();
  const windowStart = now();
  const probe = loopDelayProbe();
  await closedLoop(concurrency, durationMs, async () => {
    const { delivered } = await step.publisher.publish(now());
    await within(delivered, ctx.options.drainTimeoutS * 1000, ctx.signal);
  }, ctx.signal);
  const loopEnd = now();
  const loop = probe.stop();
  const usage = await window.end();
  const wallS = (now() - windowStart) / 1000;
  stopTicker();
  if (metricsBefore) await sleep(METRICS_PUBLISH_MS);
  const metricsAfter = await ctx.temporalMetrics?.scrape();

  const cores: Partial<Record<Role | 'machine', number>> = {};
  for (const [role, u] of Object.entries(usage)) {
    if (u && u !== 'unavailable') cores[role as Role | 'machine'] = 'cpu_cores' in u ? u.cpu_cores : u.busy_cores;
  }
  const warm = start + Math.min(1000, durationMs / 4);
  const end = start + durationMs;
  const lat = ledger.latencies(start, end);
  const delivered = ledger.deliveredBetween(start, loopEnd);
  const measured: ClosedStep = {
    concurrency,
    deliveries_per_s: rate1((ledger.deliveredBetween(warm, end) * 1000) / (end - warm)),
    delivered,
    publish_ms: lat.publish_ms,
    delivery_ms: lat.delivery_ms,
    bench_loop_p99_ms: loop.p99_ms,
    cores,
    cpu_ms_per_delivery: cpuMsPerDelivery(usage, delivered),
    thread_ms_per_delivery: threadMsPerDelivery(usage, delivered),
    eager: metricsBefore && metricsAfter ? eagerStarts(metricsBefore, metricsAfter) : null,
  };
  return {
    step: measured,
    window: { usage, wall_s: wallS, metrics: metricsBefore && metricsAfter ? samplesIncrease(metricsBefore, metricsAfter) : null, loop },
  };
}
