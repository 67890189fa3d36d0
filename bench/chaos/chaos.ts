import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../herald-process.js';
import { machineInfo, type MachineInfo } from '../machine.js';
import type { ResourceMonitor } from '../resources.js';
import { analyse } from './analysis.js';
import { startNoisy, type Noisy } from './noisy.js';
import { defaultPlan, loadWindowS, type ChaosOptions } from './options.js';
import { drive, emptyRecords, monitorOf, prepareTenants, readLogs, WARMUP_TAG, type RunRecords } from './phases.js';
import { LedgerReceiver } from './receiver.js';
import type { ChaosReport } from './report.js';
import { startChaosStack, type ChaosStack } from './stack.js';
import { verdictReasons } from './verdict.js';
import { countWorkflowTaskTimeouts, type WorkflowTaskTimeouts } from './workflow-tasks.js';

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

interface RunContext {
  readonly options: ChaosOptions;
  readonly startedAt: Date;
  /** Taken at the start: the load average then says how busy the box was before the run. */
  readonly machine: MachineInfo;
  readonly runId: string;
  readonly tenantId: string;
  readonly dataDir: string;
  readonly heraldEnv: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

export function defaultResultsFile(startedAt: Date): string {
  return join(REPO_ROOT, 'bench', 'results', `chaos-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
}

export async function runChaos(options: ChaosOptions, io: ChaosIo): Promise<ChaosReport> {
  const runId = randomBytes(3).toString('hex');
  const ctx: RunContext = {
    options, startedAt: new Date(), machine: machineInfo(), runId, tenantId: `chaos-${runId}`,
    dataDir: options.dataDir ?? join(REPO_ROOT, '.herald', 'chaos'),
    heraldEnv: { RETRY_SCHEDULE: options.retrySchedule.join(','), DESTINATIONS_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', ...options.env },
    signal: io.signal ?? new AbortController().signal,
    log: io.progress,
  };
  const plan = options.plan ?? defaultPlan(loadWindowS(options));
  const receiver = new LedgerReceiver({ latencyMs: options.receiverLatencyMs, failFirstFraction: options.failFirstFraction, failRate: options.failRate });
  await receiver.listen();
  const records = emptyRecords();
  const errors: string[] = [];
  let stack: ChaosStack | undefined;
  let noisy: Noisy | undefined;
  let monitor: ResourceMonitor | undefined;
  let resources: ChaosReport['resources'] = {};
  let workflowTasks: WorkflowTaskTimeouts | null = null;
  try {
    ctx.log(`starting the stack in ${ctx.dataDir}`);
    stack = await startChaosStack({ dataDir: ctx.dataDir, heraldEnv: ctx.heraldEnv, log: ctx.log, signal: ctx.signal });
    ctx.log(`stack up: API ${stack.apiOrigin}; pids api ${stack.pid('api')}, worker ${stack.pid('worker')}, temporal ${stack.pid('temporal')}, postgres ${stack.pid('postgres')}`);
    await prepareTenants(stack, receiver, ctx.tenantId, options.destinations, records);
    if (options.noisy > 0) {
      noisy = startNoisy(options.noisy);
      ctx.log(`${options.noisy} noisy neighbours busy-looping (pids ${noisy.pids.join(' ')})`);
    }
    monitor = monitorOf(stack);
    monitor.start();
    const window = await monitor.begin();
    await drive({ stack, receiver, tenantId: ctx.tenantId, runId, plan, signal: ctx.signal, log: ctx.log }, options, records);
    ctx.log('reading the attempt log and the event log');
    await readLogs(stack, ctx.tenantId, records, ctx.signal);
    resources = await window.end();
    ctx.log('counting workflow-task timeouts in the delivery histories');
    workflowTasks = await countWorkflowTaskTimeouts(stack.temporalAddress, ctx.tenantId).catch((error: unknown) => {
      errors.push(`reading the delivery histories: ${String(error)}`);
      return null;
    });
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
    ctx.log(`run failed: ${String(error)}`);
  } finally {
    await monitor?.stop();
    await noisy?.stop();
    ctx.log('stopping the stack');
    await stack?.stop().catch((error: unknown) => errors.push(`stopping the stack: ${String(error)}`));
    await receiver.close();
  }
  return report(ctx, plan, records, receiver, errors, { resources, workflowTasks, unplannedExits: stack?.unplannedExits ?? [] });
}

function report(
  ctx: RunContext, plan: ChaosReport['plan'], records: RunRecords, receiver: LedgerReceiver, errors: readonly string[],
  extra: { resources: ChaosReport['resources']; workflowTasks: WorkflowTaskTimeouts | null; unplannedExits: ChaosStack['unplannedExits'] },
): ChaosReport {
  const { published, attempts, events, tags, faults } = records;
  const requests = receiver.requests.filter((r) => r.tag !== WARMUP_TAG && r.arrivedAt <= records.ledgerCut);
  const findings = analyse({ published, requests, unattributableRequests: receiver.unattributable, attempts, events, tags, inFlightFrom: records.inFlightFrom });
  // Every record the verdict was computed from, for a second look at a failing run.
  const recordsFile = join(ctx.dataDir, 'records.json');
  mkdirSync(ctx.dataDir, { recursive: true });
  writeFileSync(recordsFile, JSON.stringify({ tags: Object.fromEntries(tags), published, requests, attempts, events }));
  // Without the logs only the publisher's and the receiver's figures mean anything.
  const judged = records.logsRead
    ? verdictReasons(findings, ctx.options.maxRecordedDuplicatesPct)
    : [`the attempt and event logs were not read: only publish and delivery figures hold (${findings.delivery.missing_pairs} pairs not delivered)`];
  const reasons = [...errors, ...faults.filter((f) => f.error).map((f) => `${f.kind} at ${f.planned_at_s} s: ${f.error}`), ...judged];
  return {
    format: 'herald-chaos/1',
    started_at: ctx.startedAt.toISOString(),
    duration_s: Number(((Date.now() - ctx.startedAt.getTime()) / 1000).toFixed(1)),
    status: ctx.signal.aborted ? 'INTERRUPTED' : reasons.length > 0 ? 'FAILED' : 'ok',
    reasons,
    options: ctx.options,
    plan,
    machine: ctx.machine,
    system: {
      data_dir: ctx.dataDir, log_dir: join(ctx.dataDir, 'logs'), records_file: recordsFile,
      tenant_id: ctx.tenantId, herald_env: ctx.heraldEnv, noisy: ctx.options.noisy,
    },
    phases: records.phases,
    faults,
    unplanned_exits: extra.unplannedExits.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    findings,
    workflow_task_timeouts: extra.workflowTasks,
    resources: extra.resources,
    results_file: ctx.options.out ?? defaultResultsFile(ctx.startedAt),
  };
}
