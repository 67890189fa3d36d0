import { now } from '../clock.js';
import { cpuMsPerDelivery, type CpuPerDelivery } from '../cpu.js';
import { Ledger, type LedgerResult } from '../ledger.js';
import { closedLoop, eventIds, publisher } from '../load.js';
import type { Behaviour } from '../receiver.js';
import { combineUsage } from '../resources.js';
import { summarize } from '../stats.js';
import { runClosedStepWindow, type ClosedStep, type StepWindow } from './closed-step.js';
import { measured, rate1, ticker, verdict, within, type ScenarioContext, type ScenarioResult } from './context.js';
import { oneDestinationLoad, type SaturationDetails, type SaturationLoad } from './saturation.js';

/**
 * (c) Fan-out: one tenant with N webhook destinations on the same topic, so each publish starts N
 * deliveries. Closed loop over the whole path (a client waits until all N have arrived), with
 * about as many deliveries in flight as (a)'s best step. Reported: events/s and deliveries/s,
 * publish latency (one request now starts N workflows), per-destination delivery latency, the
 * time until the LAST destination has it, and the spread between the first and the last.
 *
 * What fan-out costs per delivery is set beside single-destination delivery at the same moment:
 * a closed step of one-destination publishes with as many deliveries in flight (events in flight
 * × N) runs right before the fan-out run and right after it, half as long each. Compared with one
 * of (a)'s steps instead, minutes earlier, the two figures had seen different moments of a shared
 * machine, and the comparison moved by more than the difference.
 */

/** The single-destination steps around the fan-out run, and what they cost together. */
export interface FanoutSingleDestination {
  readonly concurrency: number;
  readonly steps: readonly ClosedStep[];
  readonly delivered: number;
  readonly cpu_ms_per_delivery: CpuPerDelivery;
  readonly ledger: LedgerResult;
}

export async function runFanout(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options, receiver } = ctx;
  const sat = ctx.results.saturation?.details as SaturationDetails | undefined;
  const concurrency = options.fanoutConcurrency ?? Math.max(2, Math.round((sat?.best_concurrency ?? 16) / options.fanout));
  const tags = Array.from({ length: options.fanout }, (_, i) => `fan${i}-${ctx.runId}`);
  const behaviour: Behaviour = { latencyMs: options.receiverLatencyMs, failureRate: options.receiverFailureRate };
  const tenant = await ctx.createTenant('fanout', tags.map((tag) => ({ tag, behaviour })));
  const single = await singleDestinationLoad(ctx, behaviour);
  const singleStep = async (first: boolean) => runClosedStepWindow(ctx, {
    label: 'c single destination', concurrency: concurrency * options.fanout, durationMs: (options.durationS * 1000) / 2,
    ledger: single.ledger, publisher: single.publisher, first,
  });
  const before = await singleStep(true);
  const fanout = await measured(ctx, 'fanout', async () => {
    const ledger = new Ledger(receiver, tags);
    const pub = publisher({
      api: ctx.stack.api, ledger, tenantId: tenant.tenantId, topic: tenant.topic, tags: tenant.tags,
      payloadBytes: options.payloadBytes, nextId: eventIds(`fan-${ctx.runId}`),
    });
    const durationMs = options.durationS * 1000;
    const start = now();
    const stopTicker = ticker(ctx, () => {
      const s = (now() - start) / 1000;
      return `c fanout x${options.fanout}  c=${concurrency}  ${s.toFixed(0)}s  ${(ledger.published / s).toFixed(1)} events/s  ${(ledger.deliveredCount() / s).toFixed(0)} deliveries/s`;
    });
    await closedLoop(concurrency, durationMs, async () => {
      const { delivered } = await pub.publish(now());
      await within(delivered, options.drainTimeoutS * 1000, ctx.signal);
    }, ctx.signal);
    const end = start + durationMs;
    await ledger.drain(options.drainTimeoutS * 1000, undefined, ctx.signal);
    stopTicker();
    ledger.close();

    const warm = start + Math.min(1000, durationMs / 4);
    const complete: number[] = [];
    const spread: number[] = [];
    let eventsInWindow = 0;
    for (const { event, t3s } of ledger.perEvent()) {
      if (event.t0 >= warm && event.t0 < end) eventsInWindow += 1;
      if (t3s.some((t) => t === undefined)) continue;
      const arrived = t3s as number[];
      complete.push(Math.max(...arrived) - event.t0);
      spread.push(Math.max(...arrived) - Math.min(...arrived));
    }
    const lat = ledger.latencies();
    const details = {
      destinations: options.fanout,
      concurrency,
      events_per_s: rate1((eventsInWindow * 1000) / (end - warm)),
      deliveries_per_s: rate1((ledger.deliveredBetween(warm, end) * 1000) / (end - warm)),
      publish_ms: lat.publish_ms,
      delivery_ms: lat.delivery_ms,
      all_destinations_ms: summarize(complete),
      first_to_last_ms: summarize(spread),
    };
    const result = ledger.result();
    for (const tag of tags) receiver.forget(tag);
    ctx.progress(`c fanout x${options.fanout}  ${details.deliveries_per_s} deliveries/s  publish p99 ${details.publish_ms.p99} ms  all-${options.fanout} p99 ${details.all_destinations_ms.p99} ms`);
    return { ledgers: { fanout: result }, details };
  });
  const after = await singleStep(false);
  const singleDestination = await finishSingle(ctx, single, concurrency * options.fanout, [before, after]);
  const cpu = singleDestination.cpu_ms_per_delivery;
  ctx.progress(`c single destination  c=${singleDestination.concurrency}  before and after: herald ${cpu.herald ?? '–'}, temporal ${cpu.temporal ?? '–'} CPU ms per delivery`);
  // Its ledger is judged with the scenario's, but kept apart: fan-out's CPU per delivery counts fan-out's deliveries only.
  const reasons = [...fanout.reasons, ...verdict({ 'fanout single destination': singleDestination.ledger }).reasons];
  return {
    ...fanout, status: reasons.length > 0 ? 'FAILED' : 'ok', reasons,
    details: { ...fanout.details, single_destination: singleDestination },
  };
}

async function singleDestinationLoad(ctx: ScenarioContext, behaviour: Behaviour): Promise<SaturationLoad> {
  const tag = `fan-single-${ctx.runId}`;
  return oneDestinationLoad(ctx, await ctx.createTenant('fanout-single', [{ tag, behaviour }]), tag);
}

async function finishSingle(
  ctx: ScenarioContext, load: SaturationLoad, concurrency: number, measuredSteps: readonly { step: ClosedStep; window: StepWindow }[],
): Promise<FanoutSingleDestination> {
  await load.ledger.drain(ctx.options.drainTimeoutS * 1000, undefined, ctx.signal);
  load.ledger.close();
  // The ledger reads the receiver's arrivals: judge it before the receiver forgets them.
  const ledger = load.ledger.result();
  ctx.receiver.forget(load.tag);
  const delivered = measuredSteps.reduce((a, m) => a + m.step.delivered, 0);
  return {
    concurrency,
    steps: measuredSteps.map((m) => m.step),
    delivered,
    cpu_ms_per_delivery: cpuMsPerDelivery(combineUsage(measuredSteps.map((m) => m.window)), delivered),
    ledger,
  };
}
