import { runBaseline, type BaselineResult } from '../baseline.js';
import { loopDelayProbe, now } from '../clock.js';
import { Ledger } from '../ledger.js';
import { closedLoop, eventIds, publisher } from '../load.js';
import type { Role } from '../resources.js';
import type { Summary } from '../stats.js';
import { measured, rate1, ticker, within, type ScenarioContext, type ScenarioResult } from './context.js';

/**
 * (a) Saturation: a closed loop over the WHOLE path. Each of N clients publishes one event and
 * waits until the receiver has it, then publishes the next, so N is the number of deliveries in
 * flight and the rate is what Herald sustains at that depth (a publish-only loop would measure the
 * API while a backlog silently grew in Temporal). N doubles each step; the ramp stops after two
 * steps without a 5 % gain. After each step, the raw baseline runs at the same N.
 */

export interface SaturationStep {
  readonly concurrency: number;
  readonly deliveries_per_s: number;
  readonly publish_ms: Summary;
  readonly delivery_ms: Summary;
  readonly baseline: BaselineResult | null;
  /** Bench event-loop delay p99 during the Herald part of the step (not the baseline) */
  readonly bench_loop_p99_ms: number;
  /** Cores busy per process during the Herald part of the step, and the machine's total */
  readonly cores: Partial<Record<Role | 'machine', number>>;
  /** deliveries_per_s / baseline requests_per_s */
  readonly ratio: number | null;
}

export interface SaturationDetails {
  readonly steps: readonly SaturationStep[];
  readonly sustained_deliveries_per_s: number;
  readonly best_concurrency: number;
  readonly baseline_at_best_rps: number | null;
  readonly ratio_at_best: number | null;
  readonly baseline_peak_rps: number | null;
}

export async function runSaturation(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options, receiver } = ctx;
  const tag = `sat-${ctx.runId}`;
  const tenant = await ctx.createTenant('saturation', [
    { tag, behaviour: { latencyMs: options.receiverLatencyMs, failureRate: options.receiverFailureRate } },
  ]);
  return measured(ctx, 'saturation', async () => {
    const ledger = new Ledger(receiver, [tag]);
    const pub = publisher({
      api: ctx.stack.api, ledger, tenantId: tenant.tenantId, topic: tenant.topic, tags: tenant.tags,
      payloadBytes: options.payloadBytes, nextId: eventIds(`sat-${ctx.runId}`),
    });
    const steps: SaturationStep[] = [];
    const durationMs = options.stepDurationS * 1000;
    for (const concurrency of options.concurrencySteps) {
      const start = now();
      const before = ledger.deliveredCount();
      const stopTicker = ticker(ctx, () => {
        const s = (now() - start) / 1000;
        return `a saturation  c=${concurrency}  ${s.toFixed(0)}s  ${((ledger.deliveredCount() - before) / s).toFixed(0)} deliveries/s`;
      });
      const window = await ctx.monitor.begin();
      const probe = loopDelayProbe();
      await closedLoop(concurrency, durationMs, async () => {
        const { delivered } = await pub.publish(now());
        await within(delivered, options.drainTimeoutS * 1000, ctx.signal);
      }, ctx.signal);
      const loop = probe.stop();
      const usage = await window.end();
      stopTicker();
      const cores: Partial<Record<Role | 'machine', number>> = {};
      for (const [role, u] of Object.entries(usage)) {
        if (u && u !== 'unavailable') cores[role as Role | 'machine'] = 'cpu_cores' in u ? u.cpu_cores : u.busy_cores;
      }
      // Skip the first second (or quarter) of each step: connections and caches settle there.
      const warm = start + Math.min(1000, durationMs / 4);
      const end = start + durationMs;
      const rate = (ledger.deliveredBetween(warm, end) * 1000) / (end - warm);
      const lat = ledger.latencies(start, end);
      const baseline = options.baselineDurationS > 0
        ? await runBaseline({
            receiver, tag: `base-${ctx.runId}-${concurrency}`, concurrency, durationMs: options.baselineDurationS * 1000,
            payloadBytes: options.payloadBytes, latencyMs: options.receiverLatencyMs,
          })
        : null;
      const step: SaturationStep = {
        concurrency, deliveries_per_s: rate1(rate), publish_ms: lat.publish_ms, delivery_ms: lat.delivery_ms, baseline,
        bench_loop_p99_ms: loop.p99_ms, cores,
        ratio: baseline && baseline.requests_per_s > 0 ? Number((rate / baseline.requests_per_s).toFixed(4)) : null,
      };
      steps.push(step);
      if (ctx.signal.aborted) break;
      ctx.progress(
        `a saturation  c=${concurrency}  ${step.deliveries_per_s} deliveries/s  delivery p50 ${lat.delivery_ms.p50} p99 ${lat.delivery_ms.p99} ms` +
          (baseline ? `  | baseline ${baseline.requests_per_s} req/s` : ''),
      );
      const best = Math.max(...steps.map((s) => s.deliveries_per_s));
      const recent = steps.slice(-2);
      const earlierBest = Math.max(0, ...steps.slice(0, -2).map((s) => s.deliveries_per_s));
      if (steps.length >= 3 && recent.every((s) => s.deliveries_per_s < earlierBest * 1.05) && best === earlierBest) {
        ctx.progress(`a saturation  no gain for two steps past c=${steps.at(-3)?.concurrency}: stopping the ramp`);
        break;
      }
    }
    await ledger.drain(options.drainTimeoutS * 1000, undefined, ctx.signal);
    ledger.close();
    const best = steps.reduce((a, b) => (b.deliveries_per_s > a.deliveries_per_s ? b : a));
    const peaks = steps.map((s) => s.baseline?.requests_per_s ?? 0);
    const details: SaturationDetails = {
      steps,
      sustained_deliveries_per_s: best.deliveries_per_s,
      best_concurrency: best.concurrency,
      baseline_at_best_rps: best.baseline?.requests_per_s ?? null,
      ratio_at_best: best.ratio,
      baseline_peak_rps: peaks.some((p) => p > 0) ? Math.max(...peaks) : null,
    };
    const result = ledger.result();
    receiver.forget(tag);
    return { ledgers: { saturation: result }, details: { ...details } };
  });
}
