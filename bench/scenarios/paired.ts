import { GOAL_STEPS } from '../targets.js';
import type { ClosedStep, StepWindow } from './closed-step.js';
import { fromStepWindows, type ScenarioContext, type ScenarioResult } from './context.js';
import { finishFloor, floorStep, startFloor, type FloorPair } from './floor.js';
import {
  finishSaturation, rampDone, saturationLoad, saturationRepeatStep, saturationStep, saturationTenant, type SaturationStep,
} from './saturation.js';

/**
 * (a) and (f) in one ramp, step by step: at each concurrency Herald's step and the floor's run one
 * right after the other, Herald first at c=1, the floor first at the next step, and so on. On a
 * shared machine the CPU left to the stack drifts over minutes; two ramps run one after the other
 * see different machines, two steps side by side see the same one, and alternating which goes
 * first leaves neither the one that always follows the other's load. Each scenario's resources and
 * Temporal figures are the sum of its own steps' windows (`fromStepWindows`): the other's steps,
 * the baselines and the drains are in neither.
 *
 * At the steps the targets judge (c=16, c=64) the pair runs `floorPairs` times, the order
 * alternating from pair to pair, and the judged ratios are the median of the pairs' (see
 * floor-comparison.ts): one pair of 4 s steps moved by ±0.2 × between runs of unchanged code,
 * disturbed by whatever else the machine did in those seconds.
 */
export async function runSaturationWithFloor(ctx: ScenarioContext): Promise<{ saturation: ScenarioResult; floor: ScenarioResult }> {
  const tenant = await saturationTenant(ctx);
  const floor = await startFloor(ctx);
  try {
    const load = saturationLoad(ctx, tenant);
    const heraldSteps: SaturationStep[] = [];
    const floorSteps: ClosedStep[] = [];
    const heraldWindows: StepWindow[] = [];
    const floorWindows: StepWindow[] = [];
    const pairs: FloorPair[] = [];
    type Turn = { readonly first: boolean; readonly again: boolean };
    const herald = async (concurrency: number, { first, again }: Turn) => {
      if (again) {
        const { step, window } = await saturationRepeatStep(ctx, load, concurrency);
        heraldWindows.push(window);
        return { herald: step };
      }
      const { step, window } = await saturationStep(ctx, load, concurrency, first);
      heraldSteps.push(step);
      heraldWindows.push(window);
      return { herald: step };
    };
    const bare = async (concurrency: number, { first, again }: Turn) => {
      const { step, window } = await floorStep(ctx, floor, concurrency, first);
      if (!again) floorSteps.push(step);
      floorWindows.push(window);
      return { floor: step };
    };
    for (const [i, { concurrency, heraldFirst }] of pairedPlan(ctx.options.concurrencySteps, ctx.options.floorPairs).entries()) {
      for (const [p, heraldGoesFirst] of heraldFirst.entries()) {
        const pair: { herald?: ClosedStep; floor?: ClosedStep } = {};
        for (const [k, side] of (heraldGoesFirst ? [herald, bare] : [bare, herald]).entries()) {
          if (ctx.signal.aborted) break;
          Object.assign(pair, await side(concurrency, { first: i === 0 && p === 0 && k === 0, again: p > 0 }));
        }
        if (heraldFirst.length > 1 && pair.herald && pair.floor) pairs.push({ concurrency, herald: pair.herald, floor: pair.floor });
      }
      if (ctx.signal.aborted || rampDone(ctx, heraldSteps, concurrency)) break;
    }
    const saturation = fromStepWindows('saturation', heraldWindows, await finishSaturation(ctx, load, heraldSteps));
    const bareResult = fromStepWindows('floor', floorWindows, await finishFloor(ctx, floor, floorSteps, pairs));
    return { saturation, floor: bareResult };
  } finally {
    await floor.close();
  }
}

/**
 * The paired ramp's order: per concurrency, one entry per pair, true where Herald's step goes
 * first. The first pair alternates from step to step (Herald first at the first step); at the goal
 * steps `pairs` pairs run, each the other way round from the one before.
 */
export function pairedPlan(steps: readonly number[], pairs: number): { concurrency: number; heraldFirst: boolean[] }[] {
  return steps.map((concurrency, i) => {
    const count = (GOAL_STEPS as readonly number[]).includes(concurrency) ? Math.max(1, pairs) : 1;
    return { concurrency, heraldFirst: Array.from({ length: count }, (_, p) => (i + p) % 2 === 0) };
  });
}
