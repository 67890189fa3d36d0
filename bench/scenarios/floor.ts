import { join } from 'node:path';
import { FloorClient } from '../floor/floor-client.js';
import { FloorProcess } from '../floor/floor-runner.js';
import { now } from '../clock.js';
import { Ledger } from '../ledger.js';
import { eventIds, type Publisher } from '../load.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { cleanEnv } from '../stack-support.js';
import { rampSteps, runClosedStepWindow, type ClosedStep, type StepWindow } from './closed-step.js';
import { measured, within, type ScenarioContext, type ScenarioResult } from './context.js';

/**
 * (f) The Temporal floor: what a delivery costs on this Temporal server when nothing but
 * Temporal is involved. A bare workflow (one local activity doing the same undici POST to the
 * same receiver) started by a minimal process (bench/floor/) through a one-route HTTP endpoint,
 * driven by the same closed loop as (a) at the same concurrency steps and step duration, with
 * Herald's worker options. Herald ÷ floor is the overhead Herald adds on top of Temporal. Run
 * with (a), the two ramps alternate step by step (see paired.ts); alone, it runs a's steps.
 */

export interface FloorDetails {
  /** One per concurrency step; `deliveries_per_s` counts floor workflows whose POST arrived. */
  readonly steps: readonly ClosedStep[];
  readonly task_queue: string;
  /** Of the starts answered 202, how many the SDK reported as eagerly started (the client's own view). */
  readonly client_eager: { readonly starts: number; readonly eager: number };
  /**
   * Run with (a): at the goal steps, every pair of Herald's step and the floor's run back to back
   * (the ramp's own first); absent or empty when each step ran once.
   */
  readonly pairs?: readonly FloorPair[];
}

/** One of Herald's steps and the floor's step run right before or after it, at the same concurrency. */
export interface FloorPair {
  readonly concurrency: number;
  readonly herald: ClosedStep;
  readonly floor: ClosedStep;
}

/** The floor process, up, warm and measured as `floor`, with its load: one receiver route, one ledger. */
export interface FloorSide {
  readonly taskQueue: string;
  readonly tag: string;
  readonly ledger: Ledger;
  readonly publisher: Publisher;
  readonly client: FloorClient;
  readonly running: () => boolean;
  readonly tail: () => string;
  /** Stops the process and detaches it from the monitor; the ledger is the caller's to close. */
  close(): Promise<void>;
}

export async function startFloor(ctx: ScenarioContext): Promise<FloorSide> {
  const { options, receiver, stack } = ctx;
  if (!stack.temporalAddress) throw new Error('the floor needs the Temporal address (give --temporal-address with --api)');
  const taskQueue = `herald-floor-${ctx.runId}`;
  const port = await freeLoopbackPort();
  ctx.progress(`f floor  starting the floor process (task queue ${taskQueue})`);
  const proc = await FloorProcess.start({
    env: { ...cleanEnv(), ...stack.heraldEnv(), TEMPORAL_ADDRESS: stack.temporalAddress },
    taskQueue, port, logFile: join(stack.logDir, 'floor.log'),
    // With --cpu-prof the floor is profiled too, so the two can be compared function by function.
    profileDir: stack.profileDir ? join(stack.profileDir, 'floor') : null,
  });
  const detach = ctx.attachProcess('floor', () => proc.pid);
  const client = new FloorClient(`http://127.0.0.1:${port}`, 256);
  const close = async () => {
    await client.close();
    await proc.stop();
    detach();
  };
  try {
    await warmUp(ctx, client);
  } catch (error) {
    await close();
    throw error;
  }
  const tag = `floor-${ctx.runId}`;
  const url = receiver.route(tag, { latencyMs: options.receiverLatencyMs, failureRate: options.receiverFailureRate });
  const ledger = new Ledger(receiver, [tag]);
  const publisher = client.publisher({ ledger, tag, url, payloadBytes: options.payloadBytes, nextId: eventIds(tag) });
  return { taskQueue, tag, ledger, publisher, client, running: () => proc.running, tail: () => proc.tail(), close };
}

export async function floorStep(ctx: ScenarioContext, side: FloorSide, concurrency: number, first: boolean): Promise<{ step: ClosedStep; window: StepWindow }> {
  const measuredStep = await runClosedStepWindow(ctx, {
    label: 'f floor', concurrency, durationMs: ctx.options.stepDurationS * 1000, ledger: side.ledger, publisher: side.publisher, first,
  });
  const { step } = measuredStep;
  ctx.progress(`f floor  c=${concurrency}  ${step.deliveries_per_s} workflows/s  start→arrival p50 ${step.delivery_ms.p50} p99 ${step.delivery_ms.p99} ms`);
  return measuredStep;
}

/** Drains the floor's load and reports it; call before `close`. */
export async function finishFloor(ctx: ScenarioContext, side: FloorSide, steps: readonly ClosedStep[], pairs: readonly FloorPair[] = []) {
  await side.ledger.drain(ctx.options.drainTimeoutS * 1000, undefined, ctx.signal);
  side.ledger.close();
  const details: FloorDetails = { steps, task_queue: side.taskQueue, client_eager: side.client.eagerCounts(), ...(pairs.length > 0 ? { pairs } : {}) };
  const result = side.ledger.result();
  ctx.receiver.forget(side.tag);
  // Starts refused by a process that died are publish errors, which alone fail nothing.
  const reasons = side.running() ? [] : [`the floor process exited during the run:\n${side.tail()}`];
  return { ledgers: { floor: result }, details: { ...details }, reasons };
}

export async function runFloor(ctx: ScenarioContext): Promise<ScenarioResult> {
  const side = await startFloor(ctx);
  try {
    return await measured(ctx, 'floor', async () => {
      const steps: ClosedStep[] = [];
      for (const concurrency of rampSteps(ctx)) {
        steps.push((await floorStep(ctx, side, concurrency, steps.length === 0)).step);
        if (ctx.signal.aborted) break;
      }
      return finishFloor(ctx, side, steps);
    });
  } finally {
    await side.close();
  }
}

/** Five floor workflows one after the other: the worker is polling and the connections are open. */
async function warmUp(ctx: ScenarioContext, client: FloorClient): Promise<void> {
  const tag = `floor-warm-${ctx.runId}`;
  const url = ctx.receiver.route(tag, { latencyMs: 0, failureRate: 0 });
  const ledger = new Ledger(ctx.receiver, [tag]);
  const pub = client.publisher({ ledger, tag, url, payloadBytes: ctx.options.payloadBytes, nextId: eventIds(tag) });
  for (let i = 0; i < 5; i++) await within((await pub.publish(now())).delivered, 120_000, ctx.signal);
  ledger.close();
  const result = ledger.result();
  ctx.receiver.forget(tag);
  client.resetEagerCounts();
  if (result.missing > 0 || result.events_published === 0) {
    throw new Error(`floor warm-up: ${result.delivered}/${result.deliveries_expected} arrived in 120 s${result.publish_error_samples[0] ? ` (${result.publish_error_samples[0]})` : ''}; see ${ctx.stack.logDir}/floor.log`);
  }
}
