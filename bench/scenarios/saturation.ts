import { runBaseline, type BaselineResult } from '../baseline.js';
import { Ledger } from '../ledger.js';
import { eventIds, publisher } from '../load.js';
import { runClosedStep, type ClosedStep } from './closed-step.js';
import { measured, type ScenarioContext, type ScenarioResult } from './context.js';
import { GOAL_STEPS } from '../targets.js';

/**
 * (a) Saturation: a closed loop over the WHOLE path. Each of N clients publishes one event and
 * waits until the receiver has it, then publishes the next, so N is the number of deliveries in
 * flight and the rate is what Herald sustains at that depth (a publish-only loop would measure the
 * API while a backlog silently grew in Temporal). N doubles each step; the ramp stops after two
 * steps without a 5 % gain, unless a step the targets judge (c=16, c=64) is still ahead. After each step, the raw baseline runs at the same N.
 */

export interface SaturationStep extends ClosedStep {
  readonly baseline: BaselineResult | null;
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
      const measuredStep = await runClosedStep(ctx, { label: 'a saturation', concurrency, durationMs, ledger, publisher: pub, first: steps.length === 0 });
      const baseline = options.baselineDurationS > 0
        ? await runBaseline({
            receiver, tag: `base-${ctx.runId}-${concurrency}`, concurrency, durationMs: options.baselineDurationS * 1000,
            payloadBytes: options.payloadBytes, latencyMs: options.receiverLatencyMs,
          })
        : null;
      const step: SaturationStep = {
        ...measuredStep, baseline,
        ratio: baseline && baseline.requests_per_s > 0 ? Number((measuredStep.deliveries_per_s / baseline.requests_per_s).toFixed(4)) : null,
      };
      steps.push(step);
      if (ctx.signal.aborted) break;
      ctx.progress(
        `a saturation  c=${concurrency}  ${step.deliveries_per_s} deliveries/s  delivery p50 ${step.delivery_ms.p50} p99 ${step.delivery_ms.p99} ms` +
          (baseline ? `  | baseline ${baseline.requests_per_s} req/s` : ''),
      );
      const best = Math.max(...steps.map((s) => s.deliveries_per_s));
      const recent = steps.slice(-2);
      const earlierBest = Math.max(0, ...steps.slice(0, -2).map((s) => s.deliveries_per_s));
      // A step the targets judge is never skipped, gain or not.
      const judgedAhead = options.concurrencySteps.some((c) => c > concurrency && (GOAL_STEPS as readonly number[]).includes(c));
      if (!judgedAhead && steps.length >= 3 && recent.every((s) => s.deliveries_per_s < earlierBest * 1.05) && best === earlierBest) {
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
