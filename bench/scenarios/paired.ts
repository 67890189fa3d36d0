import type { ClosedStep, StepWindow } from './closed-step.js';
import { fromStepWindows, type ScenarioContext, type ScenarioResult } from './context.js';
import { finishFloor, floorStep, startFloor } from './floor.js';
import { finishSaturation, rampDone, saturationLoad, saturationStep, saturationTenant, type SaturationStep } from './saturation.js';

/**
 * (a) and (f) in one ramp, step by step: at each concurrency Herald's step and the floor's run one
 * right after the other, Herald first at c=1, the floor first at the next step, and so on. On a
 * shared machine the CPU left to the stack drifts over minutes; two ramps run one after the other
 * see different machines, two steps side by side see the same one, and alternating which goes
 * first leaves neither the one that always follows the other's load. Each scenario's resources and
 * Temporal figures are the sum of its own steps' windows (`fromStepWindows`): the other's steps,
 * the baselines and the drains are in neither.
 */
export async function runSaturationWithFloor(ctx: ScenarioContext): Promise<{ saturation: ScenarioResult; floor: ScenarioResult }> {
  const tenant = await saturationTenant(ctx);
  const floor = await startFloor(ctx);
  try {
    const load = saturationLoad(ctx, tenant);
    const heraldSteps: SaturationStep[] = [];
    const heraldWindows: StepWindow[] = [];
    const floorSteps: ClosedStep[] = [];
    const floorWindows: StepWindow[] = [];
    const herald = async (concurrency: number, first: boolean) => {
      const { step, window } = await saturationStep(ctx, load, concurrency, first);
      heraldSteps.push(step);
      heraldWindows.push(window);
    };
    const bare = async (concurrency: number, first: boolean) => {
      const { step, window } = await floorStep(ctx, floor, concurrency, first);
      floorSteps.push(step);
      floorWindows.push(window);
    };
    for (const [i, concurrency] of ctx.options.concurrencySteps.entries()) {
      const [one, two] = i % 2 === 0 ? [herald, bare] : [bare, herald];
      await one(concurrency, i === 0);
      if (ctx.signal.aborted) break;
      await two(concurrency, false);
      if (ctx.signal.aborted || rampDone(ctx, heraldSteps, concurrency)) break;
    }
    const saturation = fromStepWindows('saturation', heraldWindows, await finishSaturation(ctx, load, heraldSteps));
    const bareResult = fromStepWindows('floor', floorWindows, await finishFloor(ctx, floor, floorSteps));
    return { saturation, floor: bareResult };
  } finally {
    await floor.close();
  }
}
