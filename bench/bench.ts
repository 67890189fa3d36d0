import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { loopDelayProbe, now } from './clock.js';
import { REPO_ROOT } from './herald-process.js';
import { Ledger } from './ledger.js';
import { compareWithWebhook } from './broker-comparison.js';
import { compareWithFloor } from './floor-comparison.js';
import { eventIds, publisher } from './load.js';
import { machineInfo } from './machine.js';
import type { BenchOptions, ScenarioName } from './options.js';
import { summarizeProfiles } from './profile.js';
import { Receiver } from './receiver.js';
import type { BenchReport } from './report.js';
import { ResourceMonitor, type Role, type RoleTarget } from './resources.js';
import { runBacklog } from './scenarios/backlog.js';
import { BENCH_TOPIC, within, type ScenarioContext, type ScenarioResult, type TenantSetup } from './scenarios/context.js';
import { runFanout } from './scenarios/fanout.js';
import { runFloor, type FloorDetails } from './scenarios/floor.js';
import { runSaturationWithFloor } from './scenarios/paired.js';
import { runLatency } from './scenarios/latency.js';
import { runMetrics } from './scenarios/metrics.js';
import { runRabbitMq, type RabbitMqDetails } from './scenarios/rabbitmq.js';
import { runRetries } from './scenarios/retries.js';
import { runSaturation, type SaturationDetails } from './scenarios/saturation.js';
import { startStack, type Stack } from './stack.js';
import { checkTargets } from './targets.js';
import { describeChoice } from './temporal-choice.js';
import { TemporalMetrics } from './temporal-metrics.js';

/**
 * One benchmark run: receiver, system under test, the chosen scenarios in order (a, f, r, b … e; e
 * last because it restarts Herald and leaves deliveries parked), then the report. Used by
 * `bench/run.ts` (the CLI) and by the smoke test.
 */

const RUNNERS: Record<ScenarioName, (ctx: ScenarioContext) => Promise<ScenarioResult>> = {
  saturation: runSaturation, floor: runFloor, rabbitmq: runRabbitMq, latency: runLatency, fanout: runFanout, retries: runRetries, backlog: runBacklog,
  metrics: runMetrics,
};

export interface BenchIo {
  progress(line: string): void;
  /** Called once the stack is up with a function that tears it down (for a forced stop). */
  onStack?(stop: () => Promise<void>): void;
  /** Aborting it ends the current scenario early and skips the rest; the report is still made. */
  signal?: AbortSignal;
}

export function defaultResultsFile(startedAt: Date): string {
  return join(REPO_ROOT, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
}

export async function runBench(options: BenchOptions, io: BenchIo): Promise<BenchReport> {
  const startedAt = new Date();
  const start = now();
  const machine = machineInfo();
  const runId = randomBytes(3).toString('hex');
  const receiver = new Receiver();
  await receiver.listen();
  const mode = options.apiUrl ? 'external api' : options.databaseUrl || options.temporalAddress ? 'given services' : 'own stack';
  const topology = options.apiUrl ? 'external' : options.split ? 'herald api + herald worker (split)' : 'herald start (api + worker in one process)';
  io.progress(`starting (${mode}${mode === 'own stack' ? `: embedded Postgres, ${describeChoice(options.temporal)}` : ''}; ${topology})`);
  let stack: Stack;
  try {
    stack = await startStack({
      dataDir: options.dataDir ?? join(REPO_ROOT, '.herald', 'bench'),
      apiUrl: options.apiUrl, apiKey: options.apiKey, databaseUrl: options.databaseUrl,
      temporalAddress: options.temporalAddress, taskQueue: options.taskQueue,
      env: options.env, initialEnv: { RETRY_SCHEDULE: options.retrySchedule.join(',') },
      cpuProf: options.cpuProf, singleProcess: !options.split, temporal: options.temporal, temporalDb: options.temporalDb, temporalDynamicConfig: options.temporalConfig,
      connections: 256, log: (line) => io.progress(line),
      // The broker costs start-up time and memory: only a run that publishes to it starts one.
      rabbitmq: options.scenarios.includes('rabbitmq') ? { url: options.rabbitmqUrl } : null,
    });
  } catch (error) {
    await receiver.close();
    throw error;
  }
  io.onStack?.(() => stack.stop());
  const heraldPids = options.split
    ? `api pid ${stack.pids.api() ?? '–'}, worker pid ${stack.pids.worker() ?? '–'}`
    : `herald pid ${stack.pids.api() ?? '–'}`;
  const rabbitPid = stack.rabbitmq ? `, rabbitmq ${stack.pids.rabbitmq() === null ? 'given' : `pid ${stack.pids.rabbitmq()}`}` : '';
  io.progress(`system up in ${((now() - start) / 1000).toFixed(1)} s: API ${stack.apiUrl}, ${heraldPids}, temporal pid ${stack.pids.temporal() ?? '–'}, postgres pid ${stack.pids.postgres() ?? '–'}${rabbitPid}`);

  // Processes a scenario starts itself (the floor's), measured while attached.
  const attached = new Map<Role, () => number | null>();
  const attachedPid = (role: Role) => () => attached.get(role)?.() ?? null;
  const monitor = new ResourceMonitor([
    // `herald start` is one process: reported as `herald`, never as `api`, so no figure is ambiguous.
    ...(options.split
      ? [{ role: 'api', pid: stack.pids.api, tree: false }, { role: 'worker', pid: stack.pids.worker, tree: false }] satisfies RoleTarget[]
      : [{ role: 'herald', pid: stack.pids.api, tree: false }] satisfies RoleTarget[]),
    { role: 'floor', pid: attachedPid('floor'), tree: false },
    { role: 'temporal', pid: stack.pids.temporal, tree: false },
    { role: 'postgres', pid: stack.pids.postgres, tree: true },
    // The Erlang VM forks helpers (erl_child_setup, inet_gethost): the tree counts them too.
    { role: 'rabbitmq', pid: stack.pids.rabbitmq, tree: true },
    { role: 'bench', pid: () => process.pid, tree: false },
  ]);
  monitor.start();
  const loopDelay = loopDelayProbe();

  const temporalPid = stack.pids.temporal();
  const metricsUrl = options.temporalMetrics ?? stack.temporalMetricsUrl;
  const temporalMetrics = metricsUrl
    ? TemporalMetrics.at(metricsUrl)
    : temporalPid === null ? null : await TemporalMetrics.discover(temporalPid);
  if (temporalMetrics) io.progress(`Temporal metrics at ${temporalMetrics.endpoint}`);

  const results: Partial<Record<ScenarioName, ScenarioResult>> = {};
  const errors: { scenario: string; error: string }[] = [];
  let warmTenant: TenantSetup | undefined;
  /** Per api/worker generation: ms from spawn to warm, skipped in CPU profiles (start-up is not steady state). */
  const startupMs = new Map<number, number>();
  const signal = io.signal ?? new AbortController().signal;
  // Every closed-loop client waits on it at once (hundreds at the top steps): not a leak.
  setMaxListeners(0, signal);
  const ctx: ScenarioContext = {
    options, stack, receiver, monitor, temporalMetrics, runId, results,
    signal,
    progress: (line) => io.progress(line),
    attachProcess(role, pid) {
      attached.set(role, pid);
      return () => {
        if (attached.get(role) === pid) attached.delete(role);
      };
    },
    async createTenant(name, destinations) {
      const tenantId = `bench-${runId}-${name}`;
      await stack.api.createTenant(tenantId);
      const tags = new Map<string, string>();
      for (const d of destinations) tags.set(await stack.api.createWebhook(tenantId, BENCH_TOPIC, receiver.route(d.tag, d.behaviour)), d.tag);
      return { tenantId, topic: BENCH_TOPIC, tags };
    },
    async warmUp() {
      const tag = `warm-${runId}`;
      warmTenant ??= await ctx.createTenant('warmup', [{ tag, behaviour: { latencyMs: 0, failureRate: 0 } }]);
      const ledger = new Ledger(receiver, [tag]);
      const pub = publisher({ api: stack.api, ledger, tenantId: warmTenant.tenantId, topic: BENCH_TOPIC, tags: warmTenant.tags, payloadBytes: 50, nextId: eventIds(tag) });
      for (let i = 0; i < 5; i++) {
        const { delivered } = await pub.publish(now());
        await within(delivered, 120_000);
      }
      ledger.close();
      const generation = stack.generation();
      startupMs.set(generation.number, now() - generation.spawnedAt);
      const result = ledger.result();
      if (result.missing > 0 || result.events_published === 0) {
        throw new Error(`warm-up: ${result.delivered}/${result.deliveries_expected} delivered in 120 s${result.publish_error_samples[0] ? ` (${result.publish_error_samples[0]})` : ''}; see ${stack.logDir}`);
      }
    },
  };

  // With the floor, saturation runs as one ramp alternating with it (paired.ts): one entry of the
  // plan yields both results, and what befalls it befalls both.
  const paired = options.scenarios.includes('saturation') && options.scenarios.includes('floor');
  const plan = paired ? options.scenarios.filter((name) => name !== 'floor') : options.scenarios;
  const covered = (name: ScenarioName): ScenarioName[] => (paired && name === 'saturation' ? ['saturation', 'floor'] : [name]);
  const run = async (name: ScenarioName): Promise<Partial<Record<ScenarioName, ScenarioResult>>> =>
    paired && name === 'saturation' ? runSaturationWithFloor(ctx) : { [name]: await RUNNERS[name](ctx) };
  try {
    await ctx.warmUp();
    for (const name of plan) {
      const fail = (error: string) => covered(name).forEach((scenario) => errors.push({ scenario, error }));
      if (ctx.signal.aborted) {
        fail('not run: interrupted');
        continue;
      }
      const began = now();
      io.progress(`${name}: start${covered(name).length > 1 ? ' (its steps alternating with the floor\'s)' : ''}`);
      try {
        Object.assign(results, await run(name));
        if (ctx.signal.aborted) fail('interrupted: cut short, its numbers are partial');
        io.progress(`${name}: ${results[name]!.status} in ${((now() - began) / 1000).toFixed(0)} s`);
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
        io.progress(`${name}: ERROR ${String(error)}`);
      }
    }
  } catch (error) {
    errors.push({ scenario: 'setup', error: error instanceof Error ? error.message : String(error) });
  } finally {
    await monitor.stop();
    io.progress('stopping the system');
    await stack.stop();
    await receiver.close();
  }

  const sat = results.saturation?.details as SaturationDetails | undefined;
  const floor = results.floor?.details as FloorDetails | undefined;
  const rabbitmq = results.rabbitmq?.details as RabbitMqDetails | undefined;
  const failed = errors.length > 0 || Object.values(results).some((r) => r.status !== 'ok');
  return {
    format: 'herald-bench/1',
    started_at: startedAt.toISOString(),
    duration_s: Number(((now() - start) / 1000).toFixed(1)),
    status: failed ? 'FAILED' : 'ok',
    machine,
    options,
    system: {
      mode, topology, api_url: stack.apiUrl, temporal_address: stack.temporalAddress, temporal_metrics: temporalMetrics?.endpoint ?? null, herald_env: stack.heraldEnv(),
      log_dir: stack.logDir, temporal_cli: stack.temporal?.cli_version ?? null, temporal: stack.temporal,
    },
    scenarios: results,
    errors,
    floor_comparison: sat && floor ? compareWithFloor(sat.steps, floor.steps, floor.pairs) : [],
    rabbitmq_comparison: sat && rabbitmq ? compareWithWebhook(sat.steps, rabbitmq.steps) : [],
    targets: checkTargets(results),
    bench_process: loopDelay.stop(),
    profiles: stack.profileDir
      ? summarizeProfiles(stack.profileDir, (proc) => startupMs.get(Number(proc.split('-').at(-1))) ?? 0)
      : [],
    results_file: options.out ?? defaultResultsFile(startedAt),
  };
}
