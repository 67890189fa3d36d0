import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MachineInfo } from './machine.js';
import type { TemporalDescription } from './temporal-choice.js';
import { heraldStackMs } from './cpu.js';
import type { BenchOptions, ScenarioName } from './options.js';
import type { ProfileSummary } from './profile.js';
import type { BrokerComparison } from './broker-comparison.js';
import type { FloorComparison } from './floor-comparison.js';
import { renderBroker, renderFloor, renderStepCpu } from './report-steps.js';
import type { Role, RoleUsage } from './resources.js';
import type { ScenarioResult } from './scenarios/context.js';
import type { FanoutSingleDestination } from './scenarios/fanout.js';
import type { FloorDetails } from './scenarios/floor.js';
import type { LatencyRun } from './scenarios/latency.js';
import type { MetricsDetails } from './scenarios/metrics.js';
import type { RabbitMqDetails } from './scenarios/rabbitmq.js';
import type { SaturationDetails } from './scenarios/saturation.js';
import type { Summary } from './stats.js';
import type { TargetCheck } from './targets.js';
import { fmt, table, type Cell } from './table.js';

/** The run's report: one JSON document (everything) and a terminal rendering (the essentials). */

export interface BenchReport {
  readonly format: 'herald-bench/1';
  readonly started_at: string;
  readonly duration_s: number;
  readonly status: 'ok' | 'FAILED';
  readonly machine: MachineInfo;
  readonly options: BenchOptions;
  readonly system: {
    readonly mode: 'own stack' | 'given services' | 'external api';
    readonly topology: string;
    readonly api_url: string;
    readonly temporal_address: string | null;
    readonly temporal_metrics: string | null;
    readonly herald_env: Readonly<Record<string, string>>;
    readonly log_dir: string;
    readonly temporal_cli: string | null;
    /** The Temporal the bench started: which, its server version, persistence and history shards (null when given one). */
    readonly temporal: TemporalDescription | null;
  };
  readonly scenarios: Partial<Record<ScenarioName, ScenarioResult>>;
  readonly errors: readonly { scenario: string; error: string }[];
  /** Herald ÷ floor per concurrency step both ran (empty without a and f) */
  readonly floor_comparison: readonly FloorComparison[];
  /** rabbitmq ÷ webhook (a) per concurrency step both ran (empty without a and r) */
  readonly rabbitmq_comparison: readonly BrokerComparison[];
  readonly targets: readonly TargetCheck[];
  /** Event-loop delay of the bench process over the whole run (baselines included) */
  readonly bench_process: { readonly p99_ms: number; readonly max_ms: number };
  readonly profiles: readonly ProfileSummary[];
  readonly results_file: string;
}

/** Column order of per-process tables; a role no scenario measured is left out. */
const ROLE_ORDER: readonly Role[] = ['herald', 'api', 'worker', 'floor', 'temporal', 'postgres', 'rabbitmq', 'bench'];

export function measuredRoles(scenarios: readonly ScenarioResult[]): Role[] {
  return ROLE_ORDER.filter((role) => scenarios.some((x) => {
    const u = x.resources[role];
    return u !== undefined && u !== 'unavailable';
  }));
}

const lat = (s: Summary | undefined): Cell[] => [s?.p50, s?.p90, s?.p99, s?.max];

function usageCell(u: RoleUsage | 'unavailable' | undefined): string {
  if (!u || u === 'unavailable') return 'n/a';
  return `${u.cpu_s.toFixed(1)}s ${u.cpu_cores.toFixed(2)}c ${Math.round(u.peak_rss_mb)}MB`;
}

export function renderReport(r: BenchReport): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `Herald benchmark — ${r.status === 'ok' ? 'OK' : 'FAILED'} in ${r.duration_s.toFixed(0)} s`,
    `  ${m.cpus} × ${m.cpu_model}, ${m.memory_gb} GB, ${m.platform} ${m.kernel}, node ${m.node}, load ${m.load_average_at_start.join(' ')}`,
    `  commit ${m.git_commit?.slice(0, 12) ?? '?'}${m.git_dirty_files ? ` + ${m.git_dirty_files} changed files` : ''}; ${r.system.mode}, ${r.system.topology}; API ${r.system.api_url}`,
    '',
  );
  const s = r.scenarios;
  const roles = measuredRoles(Object.values(s));
  const heraldRoles = roles.filter((role) => role === 'herald' || role === 'api' || role === 'worker');
  const sat = s.saturation?.details as SaturationDetails | undefined;
  if (sat) {
    out.push('a) Saturation — closed loop, publish → delivered, vs raw undici POST loop to the same receiver');
    out.push(table(
      ['concurrency', 'herald deliv/s', 'baseline req/s', 'ratio', 'deliv p50', 'p90', 'p99', 'max', 'publish p50', 'p99', `cores ${[...heraldRoles, 'tmp', 'pg'].join('/')}`, 'machine'],
      sat.steps.map((st) => [st.concurrency, st.deliveries_per_s, st.baseline?.requests_per_s, st.ratio === null ? null : `${(st.ratio * 100).toFixed(2)} %`,
        ...lat(st.delivery_ms), st.publish_ms.p50, st.publish_ms.p99,
        [...heraldRoles, 'temporal' as const, 'postgres' as const].map((role) => fmt(st.cores[role] ?? null, 2)).join('/'), fmt(st.cores.machine ?? null, 2)]),
    ));
    out.push(`  sustained: ${sat.sustained_deliveries_per_s} deliveries/s at c=${sat.best_concurrency}` +
      (sat.ratio_at_best !== null ? ` = ${(sat.ratio_at_best * 100).toFixed(2)} % of the baseline's ${sat.baseline_at_best_rps} req/s (baseline peak ${sat.baseline_peak_rps} req/s)` : ''), '');
    out.push(`a) CPU ms per delivery per process, per step (total = ${[...heraldRoles, 'temporal', 'postgres'].join(' + ')}); eager = starts whose first task came back in the start response`);
    out.push(renderStepCpu(sat.steps, [...heraldRoles, 'temporal', 'postgres', 'bench'], 'herald'), '');
  }
  const floor = s.floor?.details as FloorDetails | undefined;
  if (floor) out.push(...renderFloor(floor, r.floor_comparison), '');
  const rabbitmq = s.rabbitmq?.details as RabbitMqDetails | undefined;
  if (rabbitmq) out.push(...renderBroker(rabbitmq.steps, sat?.steps ?? [], r.rabbitmq_comparison, heraldRoles), '');
  const runs = (s.latency?.details.runs as LatencyRun[] | undefined) ?? [];
  if (runs.length > 0) {
    out.push(`b) Latency — open loop at fixed rates (of ${fmt(s.latency?.details.base_rate_per_s as number)}/s, ${String(s.latency?.details.base_rate_source)}); ms`);
    out.push(table(
      ['load', 'rate/s', 'achieved', 'publish p50', 'p90', 'p99', 'max', 'delivery p50', 'p90', 'p99', 'max', 'gen lag p99', 'p99 1st/2nd half'],
      runs.map((x) => [`${Math.round(x.fraction * 100)} %`, x.target_per_s, x.achieved_deliveries_per_s, ...lat(x.publish_ms), ...lat(x.delivery_ms),
        x.send_lag_ms.p99, `${fmt(x.delivery_p99_first_half_ms)} / ${fmt(x.delivery_p99_second_half_ms)}`]),
    ), '');
  }
  const fan = s.fanout?.details;
  if (fan) {
    out.push(`c) Fan-out — 1 event → ${String(fan.destinations)} destinations, closed loop c=${String(fan.concurrency)}: ${String(fan.events_per_s)} events/s = ${String(fan.deliveries_per_s)} deliveries/s; ms`);
    out.push(table(['', 'p50', 'p90', 'p99', 'max'], [
      ['publish (starts all)', ...lat(fan.publish_ms as Summary)],
      ['each delivery', ...lat(fan.delivery_ms as Summary)],
      ['all destinations', ...lat(fan.all_destinations_ms as Summary)],
      ['first → last', ...lat(fan.first_to_last_ms as Summary)],
    ]));
    const single = fan.single_destination as FanoutSingleDestination | undefined;
    if (single) {
      const rates = single.steps.map((st) => st.deliveries_per_s).join(' / ');
      out.push(`  beside it, one destination at c=${single.concurrency} (before / after): ${rates} deliveries/s, ` +
        `${fmt(heraldStackMs(single.cpu_ms_per_delivery))} CPU ms per delivery (Herald + Temporal + Postgres)`);
    }
    out.push('');
  }
  const ret = s.retries?.details;
  if (ret) {
    const byRetry = ret.lateness_by_retry_ms as (Summary & { retry: number; delay_s: number })[];
    out.push(`d) Retries — schedule ${(ret.retry_schedule_s as number[]).join(',')} s; ${String(ret.flaky_events)} flaky events; retries seen ${String(ret.retries_seen)} of ${String(ret.retries_expected)}; extra attempts ${String(ret.extra_attempts)}; lateness in ms`);
    out.push(table(['', 'count', 'p50', 'p90', 'p99', 'max'], [
      ['all retries', (ret.lateness_ms as Summary).count, ...lat(ret.lateness_ms as Summary)],
      ...byRetry.map((b) => [`retry ${b.retry} (+${b.delay_s}s)`, b.count, ...lat(b)]),
    ]), '');
  }
  const bl = s.backlog?.details;
  if (bl) {
    out.push(`e) Backlog — ${String(bl.parked)} of ${String(bl.target)} deliveries parked on ${String(bl.retry_delay_s)} s timers in ${String(bl.fill_s)} s (${String(bl.fill_per_s)}/s)`);
    const slope = (bl.parked as number) >= 10_000
      ? `${fmt(bl.worker_mb_per_10k_second_half as number | null)} MB per 10k parked over the second half`
      : 'too few parked to judge the slope';
    out.push(`  worker RSS ${fmt(bl.worker_rss_before_mb as number | null)} → ${fmt(bl.worker_rss_after_mb as number | null)} MB (Δ ${fmt(bl.worker_rss_delta_mb as number | null)} MB; ${slope}); Temporal lists ${fmt(bl.temporal_retrying_count as number | null)} retrying`, '');
  }
  const metrics = s.metrics?.details as MetricsDetails | undefined;
  if (metrics) {
    out.push(`m) Metrics API — ${metrics.attempts} attempts and ${metrics.events} events over ${metrics.days} days, ${metrics.tenants} tenants × ${metrics.destinations_per_tenant} destinations ` +
      `(loaded in ${metrics.load_s} s, analyzed in ${metrics.analyze_s} s); ${metrics.repeats} timed runs per query through HTTP; ms, budget ${metrics.budget_ms}`);
    out.push(table(['query', 'rows', 'median', 'p95', 'max', 'server median', 'within budget'],
      metrics.queries.map((q) => [q.name, q.rows, q.median_ms, q.p95_ms, q.max_ms, q.server_median_ms, q.p95_ms === null ? '–' : q.p95_ms <= metrics.budget_ms ? 'yes' : 'no'])), '');
  }
  out.push('Ledger — every accepted event must arrive at every destination (missing > 0 = FAILED)');
  const ledgerRows: Cell[][] = [];
  for (const result of Object.values(s)) {
    for (const [name, l] of Object.entries(result.ledgers)) {
      ledgerRows.push([name, l.events_published, l.deliveries_expected, l.delivered, l.missing, l.duplicates, l.unexpected, l.publish_errors, result.status]);
    }
  }
  out.push(table(['run', 'published', 'expected', 'delivered', 'missing', 'dup', 'unexpected', 'publish err', 'status'], ledgerRows), '');
  out.push('Resources per scenario — CPU seconds, average cores busy, peak RSS (postgres: PSS over its processes); machine: all cores busy / not ours');
  out.push(table(['scenario', 'wall s', ...roles, 'machine'], Object.values(s).map((x) => [x.name, x.duration_s, ...roles.map((role) => usageCell(x.resources[role])),
    x.resources.machine ? `${x.resources.machine.busy_cores.toFixed(2)}/${x.resources.machine.cores}c, other ${x.resources.machine.other_cores.toFixed(2)}c` : 'n/a'])), '');
  out.push('CPU milliseconds per delivery (retries: per delivered event, attempts included)');
  out.push(table(['scenario', 'delivered', ...roles], Object.values(s).map((x) => {
    const delivered = Object.values(x.ledgers).reduce((a, l) => a + l.delivered, 0);
    return [x.name, delivered, ...roles.map((role) => {
      const u = x.resources[role];
      return u && u !== 'unavailable' && delivered > 0 ? (u.cpu_s * 1000) / delivered : null;
    })];
  })), '');
  const withTemporal = Object.values(s).filter((x) => x.temporal);
  if (withTemporal.length > 0) {
    out.push('Temporal server (its /metrics) — ms averages; n/deliv = operations per delivery');
    const frontend = (x: ScenarioResult, name: string) => x.temporal!.frontend.find((f) => f.op === name)?.avg_ms;
    out.push(table(
      ['scenario', 'shard lock wait', 'n/deliv', 'UpdateWorkflowExecution', 'n/deliv', 'StartWorkflow', 'RespondWFTCompleted', 'RespondActivityCompleted', 'activity start→close', 'WFT sched→start'],
      withTemporal.map((x) => {
        const t = x.temporal!;
        const delivered = Math.max(1, Object.values(x.ledgers).reduce((a, l) => a + l.delivered, 0));
        const update = t.persistence.find((p) => p.op === 'history/UpdateWorkflowExecution');
        return [x.name, t.shard_lock_wait.avg_ms, t.shard_lock_wait.count / delivered, update?.avg_ms, update ? update.count / delivered : null,
          frontend(x, 'StartWorkflowExecution'), frontend(x, 'RespondWorkflowTaskCompleted'), frontend(x, 'RespondActivityTaskCompleted'),
          t.activity_start_to_close_avg_ms, t.workflow_task_schedule_to_start_avg_ms];
      }),
    ), '');
  }
  const threads = Object.values(s).flatMap((x) => (['herald', 'api', 'worker', 'floor'] as const).map((role) => {
    const u = x.resources[role];
    return u && u !== 'unavailable' && u.threads ? `  ${x.name}/${role}: ${Object.entries(u.threads).map(([t, c]) => `${t} ${c}s`).join(', ')}` : null;
  })).filter((l): l is string => l !== null);
  if (threads.length > 0) out.push('CPU by thread (Node processes)', ...threads, '');
  // Threads busy under 2 % of the time (the tsx loader after start-up) are in the JSON only.
  for (const p of r.profiles.filter((x) => x.busy_pct >= 2)) {
    out.push(`Profile ${p.label} (${p.duration_s} s, ${p.busy_pct} % busy): ${p.by_area.slice(0, 6).map((a) => `${a.area} ${a.pct}%`).join(', ')}`);
    out.push(...p.top_functions.slice(0, 6).map((f) => `    ${f.pct}%  ${f.fn}`));
  }
  if (r.profiles.length > 0) out.push('');
  out.push('Targets (reported, not asserted)');
  out.push(table(['target', 'reached', 'met'], r.targets.map((t) => [t.target, t.reached, t.met === null ? '–' : t.met ? 'yes' : 'no']), 'lll'));
  out.push(`  bench event-loop delay p99 per scenario: ${Object.values(s).map((x) => `${x.name} ${x.bench_loop_delay.p99_ms} ms`).join(', ')} (whole run incl. baselines: ${r.bench_process.p99_ms} ms)`);
  for (const e of r.errors) out.push(`ERROR in ${e.scenario}: ${e.error}`);
  for (const x of Object.values(s)) for (const reason of x.reasons) out.push(`FAILED ${x.name}: ${reason}`);
  out.push('', `JSON: ${r.results_file}`);
  return out.join('\n');
}

export function writeReport(report: BenchReport): void {
  mkdirSync(dirname(report.results_file), { recursive: true });
  writeFileSync(report.results_file, `${JSON.stringify(report, null, 2)}\n`);
}
