import { setTimeout as delay } from 'node:timers/promises';
import { ResourceMonitor } from '../resources.js';
import { runFaultPlan, type FaultRecord } from './faults.js';
import { runLoad, type PublishedEvent } from './load.js';
import { readAttempts, readEvents, type AttemptRow, type EventRow } from './log-reader.js';
import type { ChaosOptions, FaultStep } from './options.js';
import type { LedgerReceiver } from './receiver.js';
import type { ChaosStack } from './stack.js';

/** The phases of a chaos run after start-up, each filling its part of `RunRecords`. */

export const TOPIC = 'chaos.event';
/** The warm-up tenant's one destination; its request is not part of the ledger under test. */
export const WARMUP_TAG = 'warmup';
/** Settle timed out: how far back from the log read a send without a row counts as in flight. */
const UNSETTLED_IN_FLIGHT_MS = 10_000;

export interface RunRecords {
  /** destination id → receiver tag */
  readonly tags: Map<string, string>;
  published: PublishedEvent[];
  faults: FaultRecord[];
  attempts: AttemptRow[];
  events: EventRow[];
  readonly phases: { load_s: number; settle_s: number; settled: boolean };
  /** Sends without a row from this time on are in flight, not unrecorded (see `analyse`). */
  inFlightFrom: number | null;
  /** Requests after this time are not judged: the logs were read before they arrived. */
  ledgerCut: number;
  logsRead: boolean;
}

export const emptyRecords = (): RunRecords => ({
  tags: new Map(), published: [], faults: [], attempts: [], events: [],
  phases: { load_s: 0, settle_s: 0, settled: false }, inFlightFrom: null, ledgerCut: Infinity, logsRead: false,
});

const seconds = (since: number) => Number(((Date.now() - since) / 1000).toFixed(1));

/** The tenant and its webhooks, then one event through a tenant of its own, so the load starts against a worker that delivers. */
export async function prepareTenants(stack: ChaosStack, receiver: LedgerReceiver, tenantId: string, destinations: number, records: RunRecords): Promise<void> {
  await stack.api.createTenant(tenantId);
  for (let i = 1; i <= destinations; i++) records.tags.set(await stack.api.createWebhook(tenantId, TOPIC, receiver.route(`d${i}`)), `d${i}`);
  const warmTenant = `${tenantId}-warmup`;
  await stack.api.createTenant(warmTenant);
  await stack.api.createWebhook(warmTenant, TOPIC, receiver.route(WARMUP_TAG));
  const id = `${tenantId}-warmup`;
  const res = await stack.api.call('POST', '/publish', { id, tenant_id: warmTenant, topic: TOPIC, data: {} });
  if (res.status !== 202) throw new Error(`warm-up publish → ${res.status} ${JSON.stringify(res.body)}`);
  const deadline = Date.now() + 120_000;
  while (!receiver.delivered(WARMUP_TAG, id)) {
    if (Date.now() > deadline) throw new Error(`warm-up event not delivered in 120 s; see ${stack.logDir}`);
    await delay(100);
  }
}

export function monitorOf(stack: ChaosStack): ResourceMonitor {
  return new ResourceMonitor([
    { role: 'api', pid: () => stack.pid('api'), tree: false },
    { role: 'worker', pid: () => stack.pid('worker'), tree: false },
    { role: 'temporal', pid: () => stack.pid('temporal'), tree: false },
    { role: 'postgres', pid: () => stack.pid('postgres'), tree: true },
    { role: 'bench', pid: () => process.pid, tree: false },
  ]);
}

/** The load and the fault plan side by side, then the settle phase. */
export async function drive(
  ctx: { stack: ChaosStack; receiver: LedgerReceiver; tenantId: string; runId: string; plan: readonly FaultStep[]; signal: AbortSignal; log: (line: string) => void },
  options: ChaosOptions,
  records: RunRecords,
): Promise<void> {
  const { stack, receiver, signal, log } = ctx;
  const loadStart = Date.now();
  log(`load: up to ${options.events} events at ${options.rate}/s for at most ${options.durationS} s; plan ${ctx.plan.map((s) => `${s.atS}:${s.kind}:${s.downS}`).join(',') || 'none'}`);
  [records.published, records.faults] = await Promise.all([
    runLoad({
      origin: stack.apiOrigin, tenantId: ctx.tenantId, topic: TOPIC, runId: ctx.runId, events: options.events, rate: options.rate,
      durationS: options.durationS, timeoutMs: options.publishTimeoutS * 1000, maxTries: options.publishAttempts, signal,
      progress: (p) => log(`load: ${p.length} published, ${p.filter((e) => e.accepted).length} accepted, ${receiver.requests.length} requests at the receiver`),
    }).finally(() => (records.phases.load_s = seconds(loadStart))),
    runFaultPlan(stack, ctx.plan, loadStart, signal, log),
  ]);
  const settleStart = Date.now();
  records.phases.settled = await settle(receiver, records, options, signal, log);
  records.phases.settle_s = seconds(settleStart);
}

/**
 * Waits until every accepted event reached every destination it was accepted for and the receiver
 * has been quiet for `settleQuietS` (late retries and duplicates still land in the ledger), or
 * the settle timeout passes. Resolves true when everything arrived.
 */
async function settle(receiver: LedgerReceiver, records: RunRecords, options: ChaosOptions, signal: AbortSignal, log: (line: string) => void): Promise<boolean> {
  const expected = records.published.filter((e) => e.accepted)
    .flatMap((e) => e.destinationIds.map((d) => ({ tag: records.tags.get(d) ?? '', eventId: e.id })));
  const deadline = Date.now() + options.settleTimeoutS * 1000;
  let lastReport = 0;
  for (;;) {
    const outstanding = expected.filter((p) => !receiver.delivered(p.tag, p.eventId)).length;
    if (outstanding === 0 && Date.now() - receiver.lastArrivalAt >= options.settleQuietS * 1000) return true;
    if (signal.aborted || Date.now() > deadline) return outstanding === 0;
    if (Date.now() - lastReport > 10_000) {
      log(`settling: ${outstanding} of ${expected.length} deliveries outstanding`);
      lastReport = Date.now();
    }
    await delay(250);
  }
}

/** Both logs through the API. Interrupted, the API may be shutting down with everything else: little patience then. */
export async function readLogs(stack: ChaosStack, tenantId: string, records: RunRecords, signal: AbortSignal): Promise<void> {
  const patienceMs = signal.aborted ? 5_000 : 60_000;
  const readFrom = Date.now();
  try {
    [records.attempts, records.events] = await Promise.all([
      readAttempts(stack.apiOrigin, tenantId, patienceMs), readEvents(stack.apiOrigin, tenantId, patienceMs),
    ]);
  } catch (error) {
    throw new Error(`reading the logs: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A request arriving while the logs are read may miss its row; unsettled, one in the seconds
  // before may too. Those are in flight, not unrecorded. Requests after the read are not judged.
  records.ledgerCut = Date.now();
  records.logsRead = true;
  records.inFlightFrom = records.phases.settled ? readFrom : readFrom - UNSETTLED_IN_FLIGHT_MS;
}
