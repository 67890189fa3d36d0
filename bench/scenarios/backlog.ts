import { Client, Connection } from '@temporalio/client';
import { now, sleep } from '../clock.js';
import { Ledger } from '../ledger.js';
import { eventIds, publisher } from '../load.js';
import { measured, rate1, ticker, within, type ScenarioContext, type ScenarioResult } from './context.js';
import type { SaturationDetails } from './saturation.js';

/** --backlog, or about 45 s of fill at a's sustained rate (200–2 000) so the defaults stay under 5 minutes. */
export function backlogSize(ctx: ScenarioContext): number {
  if (ctx.options.backlog !== null) return ctx.options.backlog;
  const sat = ctx.results.saturation?.details as SaturationDetails | undefined;
  if (!sat) return 1000;
  return Math.min(2000, Math.max(200, Math.round((sat.sustained_deliveries_per_s * 45) / 100) * 100));
}

/**
 * (e) Backlog: --backlog deliveries whose receiver always answers 503, published while api and
 * worker run with RETRY_SCHEDULE=<--backlog-retry-seconds>, so after attempt 1 every one of them
 * sits on a long durable timer. The bench restarts api and worker for this (a fresh worker also
 * gives a clean memory baseline), then fills the backlog with a closed loop over the whole path:
 * each client publishes and waits until that event's first attempt has arrived. (A publish-only
 * loop, `--backlog-publish-only`, lets the API accept far more than the worker can attempt: on the
 * dev server, starts then starve the first attempts of what is already accepted.)
 *
 * "Delivered" here means the first attempt reached the receiver (the delivery is then parked).
 * Worker RSS is sampled before, at each tenth of the fill, and after a settle pause; flat memory
 * means the worker holds a bounded cache, not one object per pending delivery. When Temporal's
 * address is known, a visibility count of `DeliveryStatus="retrying"` confirms the parked number.
 */

async function countRetrying(address: string, tenantId: string, expected: number): Promise<number | null> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: 'herald' });
    const query = `TenantId = "${tenantId}" AND DeliveryStatus = "retrying" AND ExecutionStatus = "Running"`;
    let count = 0;
    // Visibility is eventually consistent: give it a few seconds to catch up.
    for (let i = 0; i < 30; i++) {
      count = (await client.workflow.count(query)).count;
      if (count >= expected) break;
      await sleep(500);
    }
    return count;
  } catch {
    return null;
  } finally {
    await connection.close();
  }
}

export async function runBacklog(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options, receiver, stack, monitor } = ctx;
  const reasons: string[] = [];
  // Without --split the worker lives in the `herald start` process, measured as `herald`.
  const workerRole = options.split ? 'worker' : 'herald';
  if (stack.managed) {
    ctx.progress(`e backlog  restarting Herald with RETRY_SCHEDULE=${options.backlogRetrySeconds}`);
    await stack.restart({ RETRY_SCHEDULE: String(options.backlogRetrySeconds) });
  }
  await ctx.warmUp();
  const tag = `backlog-${ctx.runId}`;
  const tenant = await ctx.createTenant('backlog', [{ tag, behaviour: { latencyMs: 0, failureRate: 0, alwaysFail: true } }]);
  await sleep(2_000);
  const rssBefore = await monitor.rssOf(workerRole);
  return measured(ctx, 'backlog', async () => {
    const target = backlogSize(ctx);
    const ledger = new Ledger(receiver, [tag], 'reached');
    const pub = publisher({
      api: stack.api, ledger, tenantId: tenant.tenantId, topic: tenant.topic, tags: tenant.tags,
      payloadBytes: options.payloadBytes, nextId: eventIds(tag),
    });
    const curve: { pending: number; worker_rss_mb: number | null; at_s: number }[] = [];
    const start = now();
    let filling = true;
    let lastRss: number | null = rssBefore;
    // The memory curve: worker RSS at every tenth of the fill.
    const sampler = (async () => {
      let nextMark = 0.1;
      while (filling) {
        lastRss = await monitor.rssOf(workerRole);
        const reached = ledger.deliveredCount();
        if (reached >= target * nextMark) {
          curve.push({ pending: reached, worker_rss_mb: lastRss, at_s: rate1((now() - start) / 1000) });
          while (reached >= target * nextMark) nextMark += 0.1;
        }
        await sleep(250);
      }
    })();
    const stopTicker = ticker(ctx, () => {
      const s = (now() - start) / 1000;
      const reached = ledger.deliveredCount();
      return `e backlog  ${s.toFixed(0)}s  published ${ledger.published}/${target}  parked ${reached}  (${(reached / s).toFixed(0)}/s)  worker RSS ${lastRss ?? '?'} MB`;
    });
    let issued = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.backlogConcurrency, target) }, async () => {
        while (issued < target && !ctx.signal.aborted) {
          issued += 1;
          const { delivered } = await pub.publish(now());
          if (!options.backlogPublishOnly) await within(delivered, options.drainTimeoutS * 1000, ctx.signal);
        }
      }),
    );
    const publishedAt = now();
    await ledger.drain(options.drainTimeoutS * 1000, (left) => ctx.progress(`e backlog  waiting for first attempts, ${left} outstanding`), ctx.signal);
    const filledAt = now();
    filling = false;
    await sampler;
    stopTicker();
    ledger.close();
    if (!ctx.signal.aborted) await sleep(3_000);
    const rssAfter = await monitor.rssOf(workerRole);
    curve.push({ pending: ledger.deliveredCount(), worker_rss_mb: rssAfter, at_s: rate1((now() - start) / 1000) });
    const parked = ledger.deliveredCount();
    const temporalCount = stack.temporalAddress ? await countRetrying(stack.temporalAddress, tenant.tenantId, parked) : null;
    if (temporalCount !== null && temporalCount < parked) {
      reasons.push(`Temporal lists ${temporalCount} retrying deliveries, the receiver saw ${parked} first attempts`);
    }
    const half = curve.find((c) => c.pending >= parked / 2);
    const slope = half && rssAfter !== null && half.worker_rss_mb !== null && parked > half.pending
      ? Number((((rssAfter - half.worker_rss_mb) / (parked - half.pending)) * 10_000).toFixed(1))
      : null;
    const details = {
      target,
      parked,
      retry_delay_s: options.backlogRetrySeconds,
      fill_s: rate1((filledAt - start) / 1000),
      publish_s: rate1((publishedAt - start) / 1000),
      fill_per_s: rate1((parked * 1000) / (filledAt - start)),
      worker_process: workerRole,
      worker_rss_before_mb: rssBefore,
      worker_rss_after_mb: rssAfter,
      worker_rss_delta_mb: rssBefore !== null && rssAfter !== null ? Number((rssAfter - rssBefore).toFixed(1)) : null,
      /** RSS growth per 10 000 parked deliveries over the second half of the fill: ~0 means flat */
      worker_mb_per_10k_second_half: slope,
      worker_lifetime_peak_rss_mb: await monitor.lifetimePeakOf(workerRole),
      temporal_retrying_count: temporalCount,
      publish_ms: ledger.latencies().publish_ms,
      first_attempt_ms: ledger.latencies().delivery_ms,
      curve,
    };
    const result = ledger.result();
    receiver.forget(tag);
    ctx.progress(`e backlog  ${parked} parked in ${details.fill_s}s  worker RSS ${rssBefore} → ${rssAfter} MB`);
    return { ledgers: { backlog: result }, details, reasons };
  });
}
