import { Client, Connection } from '@temporalio/client';
import { now, sleep } from '../clock.js';
import { Ledger } from '../ledger.js';
import { eventIds, publisher } from '../load.js';
import { measured, rate1, ticker, type ScenarioContext, type ScenarioResult } from './context.js';

/**
 * (e) Backlog: --backlog deliveries whose receiver always answers 503, published while api and
 * worker run with RETRY_SCHEDULE=<--backlog-retry-seconds>, so after attempt 1 every one of them
 * sits on a long durable timer. The bench restarts api and worker for this (a fresh worker also
 * gives a clean memory baseline), then fills the backlog with a publish-only closed loop.
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
  if (stack.managed) {
    ctx.progress(`e backlog  restarting api and worker with RETRY_SCHEDULE=${options.backlogRetrySeconds}`);
    await stack.restart({ RETRY_SCHEDULE: String(options.backlogRetrySeconds) });
  }
  await ctx.warmUp();
  const tag = `backlog-${ctx.runId}`;
  const tenant = await ctx.createTenant('backlog', [{ tag, behaviour: { latencyMs: 0, failureRate: 0, alwaysFail: true } }]);
  await sleep(2_000);
  const rssBefore = monitor.rssOf('worker');
  return measured(ctx, 'backlog', async () => {
    const target = options.backlog;
    const ledger = new Ledger(receiver, [tag], 'reached');
    const pub = publisher({
      api: stack.api, ledger, tenantId: tenant.tenantId, topic: tenant.topic, tags: tenant.tags,
      payloadBytes: options.payloadBytes, nextId: eventIds(tag),
    });
    const curve: { pending: number; worker_rss_mb: number | null; at_s: number }[] = [];
    const start = now();
    let nextMark = 0.1;
    const stopTicker = ticker(ctx, () => {
      const s = (now() - start) / 1000;
      const reached = ledger.deliveredCount();
      while (reached >= target * nextMark && nextMark <= 1.0001) {
        curve.push({ pending: reached, worker_rss_mb: monitor.rssOf('worker'), at_s: rate1(s) });
        nextMark += 0.1;
      }
      return `e backlog  ${s.toFixed(0)}s  published ${ledger.published}/${target}  parked ${reached}  (${(reached / s).toFixed(0)}/s)  worker RSS ${monitor.rssOf('worker') ?? '?'} MB`;
    }, 1_000);
    let issued = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.backlogConcurrency, target) }, async () => {
        while (issued < target) {
          issued += 1;
          await pub.publish(now());
        }
      }),
    );
    const publishedAt = now();
    await ledger.drain(options.drainTimeoutS * 1000 + target * 20, (left) => ctx.progress(`e backlog  waiting for first attempts, ${left} outstanding`));
    const filledAt = now();
    stopTicker();
    ledger.close();
    await sleep(3_000);
    const rssAfter = monitor.rssOf('worker');
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
      worker_rss_before_mb: rssBefore,
      worker_rss_after_mb: rssAfter,
      worker_rss_delta_mb: rssBefore !== null && rssAfter !== null ? Number((rssAfter - rssBefore).toFixed(1)) : null,
      /** RSS growth per 10 000 parked deliveries over the second half of the fill: ~0 means flat */
      worker_mb_per_10k_second_half: slope,
      worker_lifetime_peak_rss_mb: monitor.lifetimePeakOf('worker'),
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
