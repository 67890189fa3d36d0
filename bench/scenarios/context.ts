import { loopDelayProbe, now } from '../clock.js';
import type { LedgerResult } from '../ledger.js';
import type { BenchOptions, ScenarioName } from '../options.js';
import type { Behaviour, Receiver } from '../receiver.js';
import { combineUsage, type ResourceMonitor, type Role, type Usage } from '../resources.js';
import type { Stack } from '../stack.js';
import { TemporalMetrics, addSamples, type TemporalDelta } from '../temporal-metrics.js';
import type { StepWindow } from './closed-step.js';

/** What every scenario gets, and the shape every scenario returns. */

/** The topic every bench tenant's destinations subscribe to and every event is published on. */
export const BENCH_TOPIC = 'bench.event';

export interface TenantSetup {
  readonly tenantId: string;
  readonly topic: string;
  /** destination id → receiver tag */
  readonly tags: ReadonlyMap<string, string>;
}

export interface ScenarioContext {
  readonly options: BenchOptions;
  readonly stack: Stack;
  readonly receiver: Receiver;
  readonly monitor: ResourceMonitor;
  /** The Temporal server's Prometheus endpoint, when found (own stack) or given. */
  readonly temporalMetrics: TemporalMetrics | null;
  /** Short random id of this run; tenant ids and receiver tags include it. */
  readonly runId: string;
  /** Aborted on the first Ctrl-C: loads stop, drains end, and the run still reports. */
  readonly signal: AbortSignal;
  /** Results of the scenarios already run (b reads a's sustained rate). */
  readonly results: Partial<Record<ScenarioName, ScenarioResult>>;
  progress(line: string): void;
  /** A tenant whose destinations point at receiver paths with the given behaviours. */
  createTenant(name: string, destinations: readonly { tag: string; behaviour: Behaviour }[]): Promise<TenantSetup>;
  /** Publishes a few events and waits for them: proves Herald is up and warms it. */
  warmUp(): Promise<void>;
  /** Measures a process a scenario started (the floor's) as `role` until the returned call detaches it. */
  attachProcess(role: Role, pid: () => number | null): () => void;
}

export type ScenarioStatus = 'ok' | 'FAILED';

export interface ScenarioResult {
  readonly name: ScenarioName;
  readonly status: ScenarioStatus;
  /** Why it failed (missing deliveries, nothing published, an error). */
  readonly reasons: readonly string[];
  readonly duration_s: number;
  /** The scenario's ledger(s), one per load run. */
  readonly ledgers: Readonly<Record<string, LedgerResult>>;
  readonly resources: Usage;
  /** Event-loop delay of the bench process (receiver + generator) during the scenario. */
  readonly bench_loop_delay: { readonly p99_ms: number; readonly max_ms: number };
  /** Temporal's metrics over the scenario (null when its endpoint is unknown) */
  readonly temporal: TemporalDelta | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** Judges ledgers: any missing delivery or an empty run fails the scenario. */
export function verdict(ledgers: Readonly<Record<string, LedgerResult>>): { status: ScenarioStatus; reasons: string[] } {
  const reasons: string[] = [];
  for (const [name, l] of Object.entries(ledgers)) {
    if (l.events_published === 0) reasons.push(`${name}: nothing was published (${l.publish_errors} publish errors${l.publish_error_samples[0] ? `, e.g. ${l.publish_error_samples[0]}` : ''})`);
    if (l.missing > 0) reasons.push(`${name}: ${l.missing} of ${l.deliveries_expected} deliveries missing after the drain timeout (e.g. ${l.missing_samples.join(', ')})`);
    if (!l.balanced) reasons.push(`${name}: ledger does not balance`);
  }
  return { status: reasons.length > 0 ? 'FAILED' : 'ok', reasons };
}

/** Prints `line()` every `everyMs` until stopped: progress while a load runs. */
export function ticker(ctx: ScenarioContext, line: () => string, everyMs = 2_000): () => void {
  const timer = setInterval(() => ctx.progress(line()), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** What a scenario body hands back: its ledgers, details, and any reasons of its own to fail. */
export interface ScenarioOutput {
  ledgers: Record<string, LedgerResult>;
  details: Record<string, unknown>;
  reasons?: string[];
}

/** A body's output with what was measured around it, judged by its ledgers. */
function scenarioResult(
  name: ScenarioName,
  out: ScenarioOutput,
  measuredAround: Pick<ScenarioResult, 'duration_s' | 'resources' | 'temporal' | 'bench_loop_delay'>,
): ScenarioResult {
  const reasons = [...verdict(out.ledgers).reasons, ...(out.reasons ?? [])];
  return {
    name, status: reasons.length > 0 ? 'FAILED' : 'ok', reasons,
    ledgers: out.ledgers, details: out.details, ...measuredAround,
  };
}

/** Runs `body` inside a resource window and wraps its ledgers into a ScenarioResult. */
export async function measured(ctx: ScenarioContext, name: ScenarioName, body: () => Promise<ScenarioOutput>): Promise<ScenarioResult> {
  const start = now();
  const window = await ctx.monitor.begin();
  const metricsBefore = await ctx.temporalMetrics?.scrape();
  const probe = loopDelayProbe();
  const out = await body();
  const benchLoopDelay = probe.stop();
  const resources = await window.end();
  const metricsAfter = await ctx.temporalMetrics?.scrape();
  return scenarioResult(name, out, {
    duration_s: Number(((now() - start) / 1000).toFixed(1)),
    resources, bench_loop_delay: benchLoopDelay,
    temporal: metricsBefore && metricsAfter ? TemporalMetrics.delta(metricsBefore, metricsAfter) : null,
  });
}

/**
 * A ScenarioResult whose resources, Temporal figures and loop delay are those of its own steps'
 * windows added up: for a scenario whose steps alternated with another's, so neither counts the
 * other's load. Its duration is the time inside those windows.
 */
export function fromStepWindows(name: ScenarioName, windows: readonly StepWindow[], out: ScenarioOutput): ScenarioResult {
  const metrics = windows.map((w) => w.metrics);
  return scenarioResult(name, out, {
    duration_s: Number(windows.reduce((a, w) => a + w.wall_s, 0).toFixed(1)),
    resources: combineUsage(windows),
    temporal: metrics.length > 0 && metrics.every((m) => m !== null) ? TemporalMetrics.delta(new Map(), addSamples(metrics)) : null,
    bench_loop_delay: {
      p99_ms: Math.max(0, ...windows.map((w) => w.loop.p99_ms)), max_ms: Math.max(0, ...windows.map((w) => w.loop.max_ms)),
    },
  });
}

/**
 * Resolves when `p` does, after `ms`, or on abort, whichever is first (closed-loop clients never
 * hang on a lost event).
 */
export function within(p: Promise<void>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
    void p.then(done);
  });
}

export const rate1 = (x: number): number => Number(x.toFixed(1));
