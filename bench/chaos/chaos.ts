import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { REPO_ROOT } from '../herald-process.js';
import { machineInfo } from '../machine.js';
import { ResourceMonitor } from '../resources.js';
import { analyse } from './analysis.js';
import { runFaultPlan, type FaultRecord } from './faults.js';
import { runLoad, type PublishedEvent } from './load.js';
import { readAttempts, readEvents, type AttemptRow, type EventRow } from './log-reader.js';
import { startNoisy, type Noisy } from './noisy.js';
import { defaultPlan, loadWindowS, type ChaosOptions } from './options.js';
import { LedgerReceiver } from './receiver.js';
import type { ChaosReport } from './report.js';
import { startChaosStack, type ChaosStack } from './stack.js';
import { verdictReasons } from './verdict.js';

/**
 * One chaos run: receiver, stack, tenant and destinations, a warm-up delivery, then the load and
 * the fault plan side by side, the settle phase, the two logs read through the API, and the
 * verdict. Everything started here is stopped in `finally`, also when the run fails or is
 * interrupted. Used by `bench/chaos/run.ts` and by the integration test.
 */

export interface ChaosIo {
  readonly progress: (line: string) => void;
  /** Aborting it cuts the load, the plan and the settle phase short; the report is still made. */
  readonly signal?: AbortSignal;
}

const TOPIC = 'chaos.event';
/** Settle timed out: how far back from the log read a send without a row counts as in flight. */
const UNSETTLED_IN_FLIGHT_MS = 10_000;
/** The warm-up tenant's one destination; its request is not part of the ledger under test. */
const WARMUP_TAG = 'warmup';

export function defaultResultsFile(startedAt: Date): string {
  return join(REPO_ROOT, 'bench', 'results', `chaos-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
}

export async function runChaos(options: ChaosOptions, io: ChaosIo): Promise<ChaosReport> {
  const startedAt = new Date();
  const signal = io.signal ?? new AbortController().signal;
  const runId = randomBytes(3).toString('hex');
  const tenantId = `chaos-${runId}`;
  const plan = options.plan ?? defaultPlan(loadWindowS(options));
  const machine = machineInfo();
  const receiver = new LedgerReceiver({ latencyMs: options.receiverLatencyMs, failFirstFraction: options.failFirstFraction, failRate: options.failRate });
  await receiver.listen();
  const heraldEnv = { RETRY_SCHEDULE: options.retrySchedule.join(','), DESTINATIONS_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', ...options.env };
  const dataDir = options.dataDir ?? join(REPO_ROOT, '.herald', 'chaos');

  let stack: ChaosStack | undefined;
  let noisy: Noisy | undefined;
  let monitor: ResourceMonitor | undefined;
  const errors: string[] = [];
  let published: PublishedEvent[] = [];
  let faults: FaultRecord[] = [];
  let attempts: AttemptRow[] = [];
  let events: EventRow[] = [];
  const tags = new Map<string, string>();
  const phases = { load_s: 0, settle_s: 0, settled: false };
  let inFlightFrom: number | null = null;
  let ledgerCut = Infinity;
  let resources: ChaosReport['resources'] = {};
  try {
    io.progress(`starting the stack in ${dataDir}`);
    stack = await startChaosStack({ dataDir, heraldEnv, log: io.progress, signal });
    const up = stack;
    io.progress(`stack up: API ${up.apiOrigin}, api ${up.pid('api')}, worker ${up.pid('worker')}, temporal ${up.pid('temporal')}, postgres ${up.pid('postgres')}`);
    await up.api.createTenant(tenantId);
    for (let i = 1; i <= options.destinations; i++) tags.set(await up.api.createWebhook(tenantId, TOPIC, receiver.route(`d${i}`)), `d${i}`);
    await warmUp(up, receiver, runId);

    if (options.noisy > 0) {
      noisy = startNoisy(options.noisy);
      io.progress(`${options.noisy} noisy neighbours busy-looping (pids ${noisy.pids.join(' ')})`);
    }
    monitor = new ResourceMonitor([
      { role: 'api', pid: () => up.pid('api'), tree: false },
      { role: 'worker', pid: () => up.pid('worker'), tree: false },
      { role: 'temporal', pid: () => up.pid('temporal'), tree: false },
      { role: 'postgres', pid: () => up.pid('postgres'), tree: true },
      { role: 'bench', pid: () => process.pid, tree: false },
    ]);
    monitor.start();
    const window = await monitor.begin();

    const loadStart = Date.now();
    io.progress(`load: up to ${options.events} events at ${options.rate}/s for at most ${options.durationS} s; plan ${plan.map((s) => `${s.atS}:${s.kind}:${s.downS}`).join(',') || 'none'}`);
    [published, faults] = await Promise.all([
      runLoad({
        origin: up.apiOrigin, tenantId, topic: TOPIC, runId, events: options.events, rate: options.rate, durationS: options.durationS,
        timeoutMs: options.publishTimeoutS * 1000, maxTries: options.publishAttempts, signal,
        progress: (p) => io.progress(`load: ${p.length} published, ${p.filter((e) => e.accepted).length} accepted, ${receiver.requests.length} requests at the receiver`),
      }).finally(() => (phases.load_s = Number(((Date.now() - loadStart) / 1000).toFixed(1)))),
      runFaultPlan(up, plan, loadStart, signal, io.progress),
    ]);

    const settleStart = Date.now();
    phases.settled = await settle(receiver, tags, published, options, signal, io.progress);
    phases.settle_s = Number(((Date.now() - settleStart) / 1000).toFixed(1));
    io.progress('reading the attempt log and the event log');
    // Interrupted, the API may be shutting down with everything else: a partial report without the logs then.
    const patienceMs = signal.aborted ? 5_000 : 60_000;
    const readFrom = Date.now();
    [attempts, events] = await Promise.all([readAttempts(up.apiOrigin, tenantId, patienceMs), readEvents(up.apiOrigin, tenantId, patienceMs)]);
    // A request that arrives while the logs are read may miss its row; unsettled, the last seconds
    // before too. Those are in flight, not unrecorded. Requests after the read are not judged.
    ledgerCut = Date.now();
    inFlightFrom = phases.settled ? readFrom : readFrom - UNSETTLED_IN_FLIGHT_MS;
    resources = await window.end();
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
    io.progress(`run failed: ${String(error)}`);
  } finally {
    await monitor?.stop();
    await noisy?.stop();
    io.progress('stopping the stack');
    await stack?.stop().catch((error: unknown) => errors.push(`stopping the stack: ${String(error)}`));
    await receiver.close();
  }

  const requests = receiver.requests.filter((r) => r.tag !== WARMUP_TAG && r.arrivedAt <= ledgerCut);
  const findings = analyse({ published, requests, unattributableRequests: receiver.unattributable, attempts, events, tags, inFlightFrom });
  // Every record the verdict was computed from, for a second look at a failing run.
  const rawFile = join(dataDir, 'records.json');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(rawFile, JSON.stringify({ tags: Object.fromEntries(tags), published, requests, attempts, events }));
  const reasons = [...errors, ...faults.filter((f) => f.error).map((f) => `${f.kind} at ${f.planned_at_s} s: ${f.error}`), ...verdictReasons(findings, options.maxRecordedDuplicatesPct)];
  return {
    format: 'herald-chaos/1',
    started_at: startedAt.toISOString(),
    duration_s: Number(((Date.now() - startedAt.getTime()) / 1000).toFixed(1)),
    status: signal.aborted ? 'INTERRUPTED' : reasons.length > 0 ? 'FAILED' : 'ok',
    reasons,
    options,
    plan,
    machine,
    system: { data_dir: dataDir, log_dir: join(dataDir, 'logs'), records_file: rawFile, tenant_id: tenantId, herald_env: heraldEnv, noisy: options.noisy },
    phases,
    faults,
    unplanned_exits: (stack?.unplannedExits ?? []).map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    findings,
    resources,
    results_file: options.out ?? defaultResultsFile(startedAt),
  };
}

/** One event through a tenant of its own, so the load starts against a worker that already delivers. */
async function warmUp(stack: ChaosStack, receiver: LedgerReceiver, runId: string): Promise<void> {
  const tenant = `chaos-${runId}-warmup`;
  await stack.api.createTenant(tenant);
  await stack.api.createWebhook(tenant, TOPIC, receiver.route(WARMUP_TAG));
  const id = `warmup-${runId}`;
  const res = await stack.api.call('POST', '/publish', { id, tenant_id: tenant, topic: TOPIC, data: {} });
  if (res.status !== 202) throw new Error(`warm-up publish → ${res.status} ${JSON.stringify(res.body)}`);
  const deadline = Date.now() + 120_000;
  while (!receiver.delivered(WARMUP_TAG, id)) {
    if (Date.now() > deadline) throw new Error(`warm-up event not delivered in 120 s; see ${stack.logDir}`);
    await delay(100);
  }
}

/**
 * Waits until every accepted event reached every destination it was accepted for and the receiver
 * has been quiet for `settleQuietS` (late duplicates and retries still land in the ledger), or
 * the settle timeout passes. Resolves true when everything arrived.
 */
async function settle(
  receiver: LedgerReceiver, tags: ReadonlyMap<string, string>, published: readonly PublishedEvent[],
  options: ChaosOptions, signal: AbortSignal, log: (line: string) => void,
): Promise<boolean> {
  const expected = published.filter((e) => e.accepted).flatMap((e) => e.destinationIds.map((d) => ({ tag: tags.get(d) ?? '', eventId: e.id })));
  const deadline = Date.now() + options.settleTimeoutS * 1000;
  let lastReport = 0;
  for (;;) {
    const outstanding = expected.filter((p) => !receiver.delivered(p.tag, p.eventId)).length;
    const quietFor = Date.now() - receiver.lastArrivalAt;
    if (outstanding === 0 && quietFor >= options.settleQuietS * 1000) return true;
    if (signal.aborted || Date.now() > deadline) return outstanding === 0;
    if (Date.now() - lastReport > 10_000) {
      log(`settling: ${outstanding} of ${expected.length} deliveries outstanding`);
      lastReport = Date.now();
    }
    await delay(250);
  }
}
