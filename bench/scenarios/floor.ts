import { join } from 'node:path';
import { FloorClient } from '../floor/floor-client.js';
import { FloorProcess } from '../floor/floor-runner.js';
import { now } from '../clock.js';
import { Ledger } from '../ledger.js';
import { eventIds } from '../load.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { cleanEnv } from '../stack-support.js';
import { rampSteps, runClosedStep, type ClosedStep } from './closed-step.js';
import { measured, within, type ScenarioContext, type ScenarioResult } from './context.js';

/**
 * (f) The Temporal floor: what a delivery costs on this Temporal server when nothing but
 * Temporal is involved. A bare workflow (one local activity doing the same undici POST to the
 * same receiver) started by a minimal process (bench/floor/) through a one-route HTTP endpoint,
 * driven by the same closed loop as (a) at the same concurrency steps and step duration, with
 * Herald's worker options. Herald ÷ floor is the overhead Herald adds on top of Temporal.
 */

export interface FloorDetails {
  /** One per concurrency step; `deliveries_per_s` counts floor workflows whose POST arrived. */
  readonly steps: readonly ClosedStep[];
  readonly task_queue: string;
  /** Of the starts answered 202, how many the SDK reported as eagerly started (the client's own view). */
  readonly client_eager: { readonly starts: number; readonly eager: number };
}

export async function runFloor(ctx: ScenarioContext): Promise<ScenarioResult> {
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
  try {
    const behaviour = { latencyMs: options.receiverLatencyMs, failureRate: options.receiverFailureRate };
    await warmUp(ctx, client);
    const tag = `floor-${ctx.runId}`;
    const url = receiver.route(tag, behaviour);
    return await measured(ctx, 'floor', async () => {
      const ledger = new Ledger(receiver, [tag]);
      const pub = client.publisher({ ledger, tag, url, payloadBytes: options.payloadBytes, nextId: eventIds(tag) });
      const steps: ClosedStep[] = [];
      for (const concurrency of rampSteps(ctx)) {
        const step = await runClosedStep(ctx, {
          label: 'f floor', concurrency, durationMs: options.stepDurationS * 1000, ledger, publisher: pub, first: steps.length === 0,
        });
        steps.push(step);
        if (ctx.signal.aborted) break;
        ctx.progress(`f floor  c=${concurrency}  ${step.deliveries_per_s} workflows/s  start→arrival p50 ${step.delivery_ms.p50} p99 ${step.delivery_ms.p99} ms`);
      }
      await ledger.drain(options.drainTimeoutS * 1000, undefined, ctx.signal);
      ledger.close();
      const details: FloorDetails = { steps, task_queue: taskQueue, client_eager: client.eagerCounts() };
      const result = ledger.result();
      receiver.forget(tag);
      // Starts refused by a process that died are publish errors, which alone fail nothing.
      const reasons = proc.running ? [] : [`the floor process exited during the run:\n${proc.tail()}`];
      return { ledgers: { floor: result }, details: { ...details }, reasons };
    });
  } finally {
    await client.close();
    await proc.stop();
    detach();
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
