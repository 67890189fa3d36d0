import { runBaseline, type BaselineResult } from '../baseline.js';
import { Ledger } from '../ledger.js';
import { eventIds, publisher, type Publisher } from '../load.js';
import { runClosedStepWindow, type ClosedStep, type StepWindow } from './closed-step.js';
import { measured, type ScenarioContext, type ScenarioResult, type TenantSetup } from './context.js';
import { GOAL_STEPS } from '../targets.js';

/**
 * (a) Saturation: a closed loop over the WHOLE path. Each of N clients publishes one event and
 * waits until the receiver has it, then publishes the next, so N is the number of deliveries in
 * flight and the rate is what Herald sustains at that depth (a publish-only loop would measure the
 * API while a backlog silently grew in Temporal). N doubles each step; the ramp stops after two
 * steps without a 5 % gain, unless a step the targets judge (c=16, c=64) is still ahead. After each step, the raw baseline runs at the same N.
 * Run with the floor (f), the two ramps alternate step by step (see paired.ts).
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

/** The saturation load: one tenant, one webhook destination on the receiver, one ledger. */
export interface SaturationLoad {
  readonly tag: string;
  readonly ledger: Ledger;
  readonly publisher: Publisher;
}

/** The receiver tag of the saturation destination; also the prefix of its event ids. */
const saturationTag = (ctx: ScenarioContext) => `sat-${ctx.runId}`;

export async function saturationTenant(ctx: ScenarioContext): Promise<TenantSetup> {
  const { options } = ctx;
  return ctx.createTenant('saturation', [
    { tag: saturationTag(ctx), behaviour: { latencyMs: options.receiverLatencyMs, failureRate: options.receiverFailureRate } },
  ]);
}

export function saturationLoad(ctx: ScenarioContext, tenant: TenantSetup): SaturationLoad {
  return oneDestinationLoad(ctx, tenant, saturationTag(ctx));
}

/** A closed-loop load on a tenant with one destination, the receiver route `tag` (also its event ids' prefix). */
export function oneDestinationLoad(ctx: ScenarioContext, tenant: TenantSetup, tag: string): SaturationLoad {
  const ledger = new Ledger(ctx.receiver, [tag]);
  const pub = publisher({
    api: ctx.stack.api, ledger, tenantId: tenant.tenantId, topic: tenant.topic, tags: tenant.tags,
    payloadBytes: ctx.options.payloadBytes, nextId: eventIds(tag),
  });
  return { tag, ledger, publisher: pub };
}

/** One step of the ramp, then the raw baseline at the same concurrency (outside the step's window). */
export async function saturationStep(
  ctx: ScenarioContext, load: SaturationLoad, concurrency: number, first: boolean,
): Promise<{ step: SaturationStep; window: StepWindow }> {
  const { options, receiver } = ctx;
  const { step: measuredStep, window } = await runClosedStepWindow(ctx, {
    label: 'a saturation', concurrency, durationMs: options.stepDurationS * 1000, ledger: load.ledger, publisher: load.publisher, first,
  });
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
  ctx.progress(
    `a saturation  c=${concurrency}  ${step.deliveries_per_s} deliveries/s  delivery p50 ${step.delivery_ms.p50} p99 ${step.delivery_ms.p99} ms` +
      (baseline ? `  | baseline ${baseline.requests_per_s} req/s` : ''),
  );
  return { step, window };
}

/**
 * Another of Herald's steps at `concurrency`, paired with one of the floor's (see paired.ts): the
 * step alone, no raw baseline after it (the ramp's step at this concurrency had one).
 */
export async function saturationRepeatStep(
  ctx: ScenarioContext, load: SaturationLoad, concurrency: number,
): Promise<{ step: ClosedStep; window: StepWindow }> {
  const measuredStep = await runClosedStepWindow(ctx, {
    label: 'a saturation', concurrency, durationMs: ctx.options.stepDurationS * 1000, ledger: load.ledger, publisher: load.publisher, first: false,
  });
  const { step } = measuredStep;
  ctx.progress(`a saturation  c=${concurrency}  again  ${step.deliveries_per_s} deliveries/s  delivery p50 ${step.delivery_ms.p50} p99 ${step.delivery_ms.p99} ms`);
  return measuredStep;
}

/** After the step at `concurrency`: stop the ramp (two steps without a 5 % gain, no judged step ahead)? */
export function rampDone(ctx: ScenarioContext, steps: readonly SaturationStep[], concurrency: number): boolean {
  const best = Math.max(...steps.map((s) => s.deliveries_per_s));
  const recent = steps.slice(-2);
  const earlierBest = Math.max(0, ...steps.slice(0, -2).map((s) => s.deliveries_per_s));
  // A step the targets judge is never skipped, gain or not.
  const judgedAhead = ctx.options.concurrencySteps.some((c) => c > concurrency && (GOAL_STEPS as readonly number[]).includes(c));
  if (!judgedAhead && steps.length >= 3 && recent.every((s) => s.deliveries_per_s < earlierBest * 1.05) && best === earlierBest) {
    ctx.progress(`a saturation  no gain for two steps past c=${steps.at(-3)?.concurrency}: stopping the ramp`);
    return true;
  }
  return false;
}

export function saturationDetails(steps: readonly SaturationStep[]): SaturationDetails {
  const best = steps.reduce((a, b) => (b.deliveries_per_s > a.deliveries_per_s ? b : a));
  const peaks = steps.map((s) => s.baseline?.requests_per_s ?? 0);
  return {
    steps,
    sustained_deliveries_per_s: best.deliveries_per_s,
    best_concurrency: best.concurrency,
    baseline_at_best_rps: best.baseline?.requests_per_s ?? null,
    ratio_at_best: best.ratio,
    baseline_peak_rps: peaks.some((p) => p > 0) ? Math.max(...peaks) : null,
  };
}

export async function runSaturation(ctx: ScenarioContext): Promise<ScenarioResult> {
  const tenant = await saturationTenant(ctx);
  return measured(ctx, 'saturation', async () => {
    const load = saturationLoad(ctx, tenant);
    const steps: SaturationStep[] = [];
    for (const concurrency of ctx.options.concurrencySteps) {
      steps.push((await saturationStep(ctx, load, concurrency, steps.length === 0)).step);
      if (ctx.signal.aborted || rampDone(ctx, steps, concurrency)) break;
    }
    return finishSaturation(ctx, load, steps);
  });
}

/** Drains the load and reports it: the ledger, the details. */
export async function finishSaturation(ctx: ScenarioContext, load: SaturationLoad, steps: readonly SaturationStep[]) {
  await load.ledger.drain(ctx.options.drainTimeoutS * 1000, undefined, ctx.signal);
  load.ledger.close();
  const result = load.ledger.result();
  ctx.receiver.forget(load.tag);
  return { ledgers: { saturation: result }, details: { ...saturationDetails(steps) } };
}
