import type { WorkflowTaskTimeouts } from './workflow-tasks.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MachineInfo } from '../machine.js';
import type { Role, Usage } from '../resources.js';
import { table } from '../table.js';
import type { Findings } from './analysis.js';
import type { FaultRecord } from './faults.js';
import type { ChaosOptions, FaultStep } from './options.js';
import type { UnplannedExit } from './stack.js';

/** The report of a chaos run: one JSON document with everything, and a terminal rendering. */

export interface ChaosReport {
  readonly format: 'herald-chaos/1';
  readonly started_at: string;
  readonly duration_s: number;
  readonly status: 'ok' | 'FAILED' | 'INTERRUPTED';
  /** Why the run failed; empty when it passed. */
  readonly reasons: readonly string[];
  readonly options: ChaosOptions;
  readonly plan: readonly FaultStep[];
  readonly machine: MachineInfo;
  readonly system: {
    readonly data_dir: string;
    readonly log_dir: string;
    /** The publisher's tries, the receiver's requests and both logs as read, in one JSON file. */
    readonly records_file: string;
    readonly tenant_id: string;
    readonly herald_env: Readonly<Record<string, string>>;
    readonly noisy: number;
  };
  readonly phases: { readonly load_s: number; readonly settle_s: number; readonly settled: boolean };
  readonly faults: readonly FaultRecord[];
  readonly unplanned_exits: readonly (Omit<UnplannedExit, 'at'> & { at: string })[];
  readonly findings: Findings;
  /** From the delivery histories; null when they could not be read. */
  readonly workflow_task_timeouts: WorkflowTaskTimeouts | null;
  /** CPU and memory per process from /proc over the load and settle phases. */
  readonly resources: Usage;
  readonly results_file: string;
}

const ROLES: readonly Role[] = ['api', 'worker', 'temporal', 'postgres', 'bench'];
const counts = (c: Record<string, number>) => Object.entries(c).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(', ') || '–';

function faultLines(r: ChaosReport): string[] {
  const out = ['', 'Faults (kill -9, then the same port, data and env)'];
  if (r.faults.length === 0) out.push('  none planned');
  else {
    out.push(table(['kind', 'planned s', 'killed at s', 'pid', 'back at s', 'note'], r.faults.map((f) => [
      f.kind, f.planned_at_s, f.killed_at_s, f.pid, f.back_at_s, f.error ?? '',
    ]), 'lrrrrl'));
  }
  out.push(`  unplanned exits (restarted by the run's supervisor): ${r.unplanned_exits.map((e) => `${e.kind} at ${e.at}${e.restarted ? '' : ' (did not come back)'}`).join(', ') || 'none'}`);
  return out;
}

function ledgerLines(f: Findings, maxPct: number): string[] {
  const { delivery: d, duplicates: dup, attempt_log: log, event_log: ev } = f;
  return ['', 'Ledger (receiver) against the logs (API)', table(['', 'count', ''], [
    ['expected pairs (202 × destination_ids)', d.expected_pairs, ''],
    ['delivered pairs (a 2xx at the receiver)', d.delivered_pairs, ''],
    ['missing', d.missing_pairs, d.missing_pairs > 0 ? 'FAIL' : ''],
    ['duplicated pairs', dup.pairs, `${dup.extra_requests} extra requests`],
    ['  recorded (every send has its row)', dup.recorded, `${dup.recorded_pct} % of pairs (max ${maxPct} %)${dup.recorded_pct > maxPct ? ' FAIL' : ''}`],
    ['  unrecorded', dup.unrecorded, dup.unrecorded > 0 ? 'FAIL' : ''],
    ['receiver requests', d.requests, d.unattributable_requests > 0 ? `+${d.unattributable_requests} unattributable FAIL` : ''],
    ['attempt rows', log.rows, counts(log.rows_by_code)],
    ['  interrupted', log.interrupted_rows, `${log.interrupted_matched} matched to a request`],
    ['requests without an attempt row', log.unrecorded_requests, log.unrecorded_requests > 0 ? 'FAIL' : ''],
    ...(log.in_flight_requests > 0 || dup.in_flight > 0
      ? [['  in flight when the logs were read', log.in_flight_requests, `not judged; ${dup.in_flight} duplicated pairs among them`] as const]
      : []),
    ['attempt rows disagreeing', log.disagreeing_rows, log.disagreeing_rows > 0 ? `${counts(log.disagreeing_by_reason)} FAIL` : ''],
    ['delivered without a 202', d.delivered_without_202_pairs, 'publish failed or gave up, delivered anyway'],
    ['events in GET /events', ev.events, ev.accepted_not_listed > 0 ? `${ev.accepted_not_listed} accepted not listed FAIL` : ''],
    ['stored but never sent (events)', ev.stored_unsent_events, ev.stored_unsent_pairs > 0 ? `${ev.stored_unsent_pairs} pairs FAIL` : ''],
  ], 'lrl')];
}

function resourceLines(u: Usage): string[] {
  const rows = ROLES.map((role) => {
    const x = u[role];
    return x === undefined || x === 'unavailable' ? [role, null, null, null] : [role, x.cpu_s, x.cpu_cores, x.peak_rss_mb];
  });
  const machine = u.machine
    ? [`  machine: ${u.machine.busy_cores} of ${u.machine.cores} cores busy, ${u.machine.other_cores} outside the stack (noisy neighbours count here)`]
    : [];
  return ['', 'CPU over load + settle (/proc)', table(['process', 'cpu s', 'cores', 'peak MB'], rows), ...machine];
}

function workflowTaskLines(w: WorkflowTaskTimeouts | null): string[] {
  if (!w) return ['', 'Workflow-task timeouts: not read'];
  return ['', `Workflow-task timeouts (delivery histories, ${w.workflows} workflows): start-to-close ${w.start_to_close}, ` +
    `sticky schedule-to-start ${w.schedule_to_start}, in ${w.workflows_affected} workflows`];
}

export function renderReport(r: ChaosReport): string {
  const p = r.findings.publish;
  const out = [
    `Herald chaos run: ${r.status} in ${r.duration_s} s (commit ${r.machine.git_commit?.slice(0, 10) ?? '?'}, ${r.machine.cpus} cores)`,
    `  load ${r.phases.load_s} s: ${p.events} events at ${r.options.rate}/s to ${r.options.destinations} destinations, retry schedule ${r.options.retrySchedule.join(',')}, noisy ${r.system.noisy}`,
    `  settle ${r.phases.settle_s} s: ${r.phases.settled ? 'everything arrived' : 'timed out or cut short'}`,
    ...faultLines(r),
    '', 'Publish',
    `  events ${p.events}: accepted ${p.accepted} (${p.accepted_after_retry} after a retry with the same id), gave up ${p.gave_up}`,
    `  answers: ${counts(p.answers)}${Object.keys(p.error_codes).length > 0 ? ` (errors: ${counts(p.error_codes)})` : ''}`,
    `  latency of answered publishes p50 ${p.latency_ms.p50 ?? '–'} ms, p99 ${p.latency_ms.p99 ?? '–'} ms (202 only: p50 ${p.latency_202_ms.p50 ?? '–'}, p99 ${p.latency_202_ms.p99 ?? '–'})`,
    ...ledgerLines(r.findings, r.options.maxRecordedDuplicatesPct),
    ...workflowTaskLines(r.workflow_task_timeouts),
    ...resourceLines(r.resources),
    '',
    r.reasons.length === 0 ? 'Verdict: ok' : `Verdict: ${r.status}`,
    ...r.reasons.map((reason) => `  - ${reason}`),
    `JSON (with samples of every failing pair): ${r.results_file}`,
    `Logs: ${r.system.log_dir}; raw records: ${r.system.records_file}`,
  ];
  return out.join('\n');
}

export function writeReport(report: ChaosReport): void {
  mkdirSync(dirname(report.results_file), { recursive: true });
  writeFileSync(report.results_file, `${JSON.stringify(report, null, 2)}\n`);
}
