import { now } from '../clock.js';
import { Ledger } from '../ledger.js';
import { eventIds, openLoop, publisher } from '../load.js';
import { hashFraction } from '../receiver.js';
import { summarize } from '../stats.js';
import { measured, ticker, type ScenarioContext, type ScenarioResult } from './context.js';

/**
 * (d) Retries: open loop at --retry-rate; the receiver answers 503 to the first
 * --retry-fail-attempts attempts of the events whose id hashes into --retry-fail-fraction
 * (deterministic, so the bench knows which events must retry), 200 otherwise.
 *
 * Lateness of retry k (k ≥ 2) = its arrival (t3) − (the moment the receiver answered attempt k−1
 * + RETRY_SCHEDULE[k−2]). The schedule counts from the failed attempt's result, and the receiver's
 * answer is the earliest moment Herald can know it, so everything Herald adds after it (activity
 * completion, workflow task, timer start, timer firing, dispatch, HTTP) is lateness.
 */

export async function runRetries(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options, receiver } = ctx;
  const schedule = options.retrySchedule;
  const failAttempts = options.retryFailAttempts;
  const tag = `retry-${ctx.runId}`;
  const tenant = await ctx.createTenant('retries', [
    { tag, behaviour: { latencyMs: options.receiverLatencyMs, failureRate: 0, failFirst: { fraction: options.retryFailFraction, attempts: failAttempts } } },
  ]);
  return measured(ctx, 'retries', async () => {
    const reasons: string[] = [];
    if (failAttempts > schedule.length) {
      reasons.push(`--retry-fail-attempts ${failAttempts} exceeds the ${schedule.length} retries of the schedule: flaky events cannot succeed`);
    }
    const ledger = new Ledger(receiver, [tag]);
    const pub = publisher({
      api: ctx.stack.api, ledger, tenantId: tenant.tenantId, topic: tenant.topic, tags: tenant.tags,
      payloadBytes: options.payloadBytes, nextId: eventIds(tag),
    });
    const durationMs = options.durationS * 1000;
    const start = now();
    const stopTicker = ticker(ctx, () => `d retries  ${((now() - start) / 1000).toFixed(0)}s  published ${ledger.published}  delivered ${ledger.deliveredCount()}  outstanding ${ledger.outstandingCount}`);
    await openLoop({ ratePerSecond: options.retryRate, durationMs, maxOutstanding: 2000, signal: ctx.signal }, async (t0) => {
      await pub.publish(t0);
    });
    // Idle timeout: at least the longest scheduled wait, during which nothing may arrive.
    const longestWait = Math.max(0, ...schedule.slice(0, failAttempts)) * 1000;
    await ledger.drain(options.drainTimeoutS * 1000 + longestWait, (left) => ctx.progress(`d retries  waiting for retries, ${left} outstanding`), ctx.signal);
    stopTicker();
    ledger.close();

    const lateness: number[] = [];
    const latenessByRetry: number[][] = schedule.map(() => []);
    let flaky = 0;
    let retriesSeen = 0;
    let extraAttempts = 0;
    const flakyDelivery: number[] = [];
    const cleanDelivery: number[] = [];
    for (const event of ledger.allEvents()) {
      const arrivals = receiver.arrivalsOf(tag, event.id);
      const isFlaky = failAttempts > 0 && hashFraction(event.id) < options.retryFailFraction;
      const expectedAttempts = isFlaky ? Math.min(failAttempts, schedule.length) + 1 : 1;
      if (isFlaky) flaky += 1;
      extraAttempts += Math.max(0, arrivals.length - expectedAttempts);
      for (let k = 2; k <= arrivals.length && k - 2 < schedule.length; k++) {
        const previous = arrivals[k - 2]!;
        const current = arrivals[k - 1]!;
        if (previous.answeredAt === null) continue;
        const late = current.t3 - (previous.answeredAt + schedule[k - 2]! * 1000);
        lateness.push(late);
        latenessByRetry[k - 2]!.push(late);
        retriesSeen += 1;
      }
      const success = arrivals.find((a) => a.status >= 200 && a.status < 300);
      if (success) (isFlaky ? flakyDelivery : cleanDelivery).push(success.t3 - event.t0);
    }
    const details = {
      retry_schedule_s: schedule,
      fail_first_attempts: failAttempts,
      flaky_events: flaky,
      retries_expected: flaky * Math.min(failAttempts, schedule.length),
      retries_seen: retriesSeen,
      /** attempts beyond what the receiver's script needed: duplicate or spurious retries */
      extra_attempts: extraAttempts,
      lateness_ms: summarize(lateness),
      lateness_by_retry_ms: latenessByRetry.slice(0, failAttempts).map((l, i) => ({ retry: i + 1, delay_s: schedule[i], ...summarize(l) })),
      first_attempt_delivery_ms: summarize(cleanDelivery),
      flaky_delivery_ms: summarize(flakyDelivery),
      publish_ms: ledger.latencies().publish_ms,
    };
    const result = ledger.result();
    receiver.forget(tag);
    ctx.progress(`d retries  ${retriesSeen} retries  lateness p50 ${details.lateness_ms.p50} p99 ${details.lateness_ms.p99} max ${details.lateness_ms.max} ms`);
    return { ledgers: { retries: result }, details, reasons };
  });
}
