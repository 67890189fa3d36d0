import { now } from '../clock.js';
import { Ledger, type LedgerResult } from '../ledger.js';
import { eventIds, openLoop, publisher } from '../load.js';
import type { Summary } from '../stats.js';
import { measured, rate1, ticker, type ScenarioContext, type ScenarioResult, type TenantSetup } from './context.js';
import type { SaturationDetails } from './saturation.js';

/**
 * (b) Latency at fixed arrival rates (open loop) of 50 % and 80 % of the sustained rate found by
 * (a). t0 is each event's scheduled time, so if the generator or the API falls behind, the delay
 * counts as latency. Reported: publish t1→t2, delivery t0→t3, the generator's own lag t0→t1, and
 * delivery p99 of the first vs second half, which diverge when the rate is not sustainable.
 */

export interface LatencyRun {
  readonly fraction: number;
  readonly target_per_s: number;
  readonly achieved_deliveries_per_s: number;
  readonly publish_ms: Summary;
  readonly delivery_ms: Summary;
  readonly send_lag_ms: Summary;
  readonly delivery_p99_first_half_ms: number | null;
  readonly delivery_p99_second_half_ms: number | null;
}

/** The rate b's fractions apply to: a's result, else --rate, else 50/s. */
export function baseRate(ctx: ScenarioContext): { rate: number; source: string } {
  const sat = ctx.results.saturation?.details as SaturationDetails | undefined;
  if (sat && sat.sustained_deliveries_per_s > 0) return { rate: sat.sustained_deliveries_per_s, source: 'saturation' };
  return { rate: ctx.options.rate ?? 50, source: ctx.options.rate ? '--rate' : 'default 50/s' };
}

export async function runLatency(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options, receiver } = ctx;
  const base = baseRate(ctx);
  const tenants: { fraction: number; tag: string; tenant: TenantSetup }[] = [];
  for (const fraction of options.latencyFractions) {
    const tag = `lat${Math.round(fraction * 100)}-${ctx.runId}`;
    tenants.push({
      fraction, tag,
      tenant: await ctx.createTenant(`latency-${Math.round(fraction * 100)}`, [
        { tag, behaviour: { latencyMs: options.receiverLatencyMs, failureRate: options.receiverFailureRate } },
      ]),
    });
  }
  return measured(ctx, 'latency', async () => {
    const runs: LatencyRun[] = [];
    const ledgers: Record<string, LedgerResult> = {};
    for (const { fraction, tag, tenant } of tenants) {
      const rate = Math.max(0.1, base.rate * fraction);
      const label = `b latency ${Math.round(fraction * 100)}%`;
      const ledger = new Ledger(receiver, [tag]);
      const pub = publisher({
        api: ctx.stack.api, ledger, tenantId: tenant.tenantId, topic: tenant.topic, tags: tenant.tags,
        payloadBytes: options.payloadBytes, nextId: eventIds(tag),
      });
      const durationMs = options.durationS * 1000;
      const start = now();
      const stopTicker = ticker(ctx, () => {
        const s = (now() - start) / 1000;
        return `${label}  ${s.toFixed(0)}s  target ${rate.toFixed(0)}/s  delivered ${(ledger.deliveredCount() / s).toFixed(0)}/s  outstanding ${ledger.outstandingCount}`;
      });
      await openLoop({ ratePerSecond: rate, durationMs, maxOutstanding: 2000, signal: ctx.signal }, async (t0) => {
        await pub.publish(t0);
      });
      const end = start + durationMs;
      await ledger.drain(options.drainTimeoutS * 1000, (left) => ctx.progress(`${label}  draining, ${left} outstanding`), ctx.signal);
      stopTicker();
      ledger.close();
      const all = ledger.latencies();
      const mid = start + durationMs / 2;
      const warm = start + Math.min(1000, durationMs / 4);
      const run: LatencyRun = {
        fraction, target_per_s: rate1(rate),
        achieved_deliveries_per_s: rate1((ledger.deliveredBetween(warm, end) * 1000) / (end - warm)),
        publish_ms: all.publish_ms, delivery_ms: all.delivery_ms, send_lag_ms: all.send_lag_ms,
        delivery_p99_first_half_ms: ledger.latencies(start, mid).delivery_ms.p99,
        delivery_p99_second_half_ms: ledger.latencies(mid, end).delivery_ms.p99,
      };
      runs.push(run);
      ledgers[`latency_${Math.round(fraction * 100)}`] = ledger.result();
      receiver.forget(tag);
      ctx.progress(`${label}  ${run.achieved_deliveries_per_s}/s  publish p50 ${run.publish_ms.p50} p99 ${run.publish_ms.p99} ms  delivery p50 ${run.delivery_ms.p50} p99 ${run.delivery_ms.p99} ms`);
    }
    return { ledgers, details: { base_rate_per_s: base.rate, base_rate_source: base.source, runs } };
  });
}
