import { readFile, readdir, readlink } from 'node:fs/promises';
import { request } from 'undici';

/**
 * Temporal's own view of a scenario, from the dev server's Prometheus endpoint: where the
 * server's time goes (persistence operations, waits on the history shard's lock, the latency of
 * the RPCs Herald makes) and how many starts were eager. The dev server picks its metrics port at
 * random (and prints it only into its own log), so it is found from /proc: the server's listening
 * sockets, each probed for `/metrics`.
 * `--temporal-metrics URL` can name the endpoint of any other server.
 */

/** Prometheus samples: `name{labels}` → value. */
export type MetricSamples = Map<string, number>;
type Samples = MetricSamples;

/**
 * Eager workflow start over a window, from the server's counters: `workflow_eager_execution`
 * counts starts that asked for eager dispatch (the SDK core asks only when its worker has a free
 * workflow-task slot), `workflow_eager_execution_denied` those the server then dispatched normally
 * anyway, and `service_requests{operation="StartWorkflowExecution"}` on the frontend every start.
 * The system namespace's own starts are left out.
 */
export interface EagerStarts {
  readonly starts: number;
  readonly requested: number;
  readonly denied: number;
  /** (requested − denied) / starts: the share of starts whose first workflow task came back in the start response; null without starts */
  readonly ratio: number | null;
}

export interface OpStat {
  readonly op: string;
  readonly count: number;
  readonly avg_ms: number;
  readonly total_s: number;
}

export interface TemporalDelta {
  /** Waits on the history shard's lock (`semaphore_latency{operation="ShardInfo"}`); one shard on the dev server */
  readonly shard_lock_wait: OpStat;
  /** Persistence operations by total time (service/operation), the top ten */
  readonly persistence: readonly OpStat[];
  /** Frontend RPC latency of the calls Herald's api and worker make */
  readonly frontend: readonly OpStat[];
  readonly activity_start_to_close_avg_ms: number | null;
  readonly workflow_task_schedule_to_start_avg_ms: number | null;
  readonly eager_starts: EagerStarts;
}

const WANTED = /^((persistence_latency|semaphore_latency|service_latency|activity_start_to_close_latency|task_schedule_to_start_latency)_(sum|count)|workflow_eager_execution|workflow_eager_execution_denied|service_requests)$/;

export function parseMetrics(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.length === 0) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    const name = line.slice(0, brace >= 0 ? brace : space);
    if (!WANTED.test(name)) continue;
    out.set(line.slice(0, space), (out.get(line.slice(0, space)) ?? 0) + Number(line.slice(space + 1)));
  }
  return out;
}

const label = (key: string, name: string): string => new RegExp(`${name}="([^"]*)"`).exec(key)?.[1] ?? '';

/** The increase of every series of counter `name` (its labels matching `where`) between two scrapes. */
function counterDelta(before: Samples, after: Samples, name: string, where: (key: string) => boolean = () => true): number {
  let total = 0;
  for (const [key, value] of after) {
    const brace = key.indexOf('{');
    if ((brace >= 0 ? key.slice(0, brace) : key) !== name || !where(key)) continue;
    total += Math.max(0, value - (before.get(key) ?? 0));
  }
  return total;
}

/**
 * The increase of every series between two scrapes, as a scrape of its own (each series counts
 * from zero at the first): `TemporalMetrics.delta(new Map(), …)` of it, or of the sum of several
 * (`addSamples`), is what happened in those intervals only.
 */
export function samplesIncrease(before: Samples, after: Samples): Samples {
  const out: Samples = new Map();
  for (const [key, value] of after) out.set(key, Math.max(0, value - (before.get(key) ?? 0)));
  return out;
}

/** Series by series sum of increases (see samplesIncrease). */
export function addSamples(parts: readonly Samples[]): Samples {
  const out: Samples = new Map();
  for (const part of parts) for (const [key, value] of part) out.set(key, (out.get(key) ?? 0) + value);
  return out;
}

export function eagerStarts(before: Samples, after: Samples): EagerStarts {
  const notSystem = (key: string) => label(key, 'namespace') !== 'temporal_system';
  const starts = counterDelta(before, after, 'service_requests',
    (key) => notSystem(key) && label(key, 'operation') === 'StartWorkflowExecution' && label(key, 'service_name') === 'frontend');
  const requested = counterDelta(before, after, 'workflow_eager_execution', notSystem);
  const denied = counterDelta(before, after, 'workflow_eager_execution_denied', notSystem);
  return { starts, requested, denied, ratio: starts > 0 ? Number(((requested - denied) / starts).toFixed(4)) : null };
}

/** Listening TCP ports of `pid`, from /proc/<pid>/net/tcp and the pid's socket inodes. */
async function listeningPorts(pid: number): Promise<number[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) inodes.add(m[1]!);
  }
  const ports: number[] = [];
  for (const file of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/${pid}/net/${file}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && f[9] && inodes.has(f[9])) ports.push(Number.parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

export class TemporalMetrics {
  private constructor(private readonly url: string) {}

  /** Finds the metrics endpoint of the dev server process `pid`; null when there is none. */
  static async discover(pid: number): Promise<TemporalMetrics | null> {
    for (const port of await listeningPorts(pid)) {
      const url = `http://127.0.0.1:${port}/metrics`;
      const body = await fetchText(url);
      if (body?.startsWith('# HELP')) return new TemporalMetrics(url);
    }
    return null;
  }

  static at(url: string): TemporalMetrics {
    return new TemporalMetrics(url);
  }

  get endpoint(): string {
    return this.url;
  }

  async scrape(): Promise<Samples | null> {
    const text = await fetchText(this.url);
    return text === null ? null : parseMetrics(text);
  }

  /** What happened between two scrapes. */
  static delta(before: Samples, after: Samples): TemporalDelta {
    const stats = new Map<string, { name: string; key: string; sum: number; count: number }>();
    for (const [key, value] of after) {
      if (!key.includes('_sum')) continue;
      const countKey = key.replace('_sum', '_count');
      const sum = value - (before.get(key) ?? 0);
      const count = (after.get(countKey) ?? 0) - (before.get(countKey) ?? 0);
      if (count > 0) stats.set(key, { name: key.slice(0, key.indexOf('_sum')), key, sum, count });
    }
    const op = (s: { sum: number; count: number }, name: string): OpStat => ({
      op: name, count: s.count, avg_ms: s.count > 0 ? Number(((s.sum / s.count) * 1000).toFixed(2)) : 0, total_s: Number(s.sum.toFixed(2)),
    });
    const all = [...stats.values()];
    const merged = (pick: (s: (typeof all)[number]) => boolean) => {
      const hit = all.filter(pick);
      return hit.length === 0 ? null : { sum: hit.reduce((a, s) => a + s.sum, 0), count: hit.reduce((a, s) => a + s.count, 0) };
    };
    const shard = merged((s) => s.name === 'semaphore_latency' && label(s.key, 'operation') === 'ShardInfo') ?? { sum: 0, count: 0 };
    const activity = merged((s) => s.name === 'activity_start_to_close_latency');
    const wft = merged((s) => s.name === 'task_schedule_to_start_latency' && label(s.key, 'task_type') === 'Workflow');
    return {
      shard_lock_wait: op(shard, 'ShardInfo'),
      persistence: all
        .filter((s) => s.name === 'persistence_latency')
        .map((s) => op(s, `${label(s.key, 'service_name')}/${label(s.key, 'operation')}`))
        .sort((a, b) => b.total_s - a.total_s)
        .slice(0, 10),
      frontend: all
        .filter((s) => s.name === 'service_latency' && label(s.key, 'service_name') === 'frontend' && !label(s.key, 'operation').startsWith('Poll'))
        .map((s) => op(s, label(s.key, 'operation')))
        .sort((a, b) => b.total_s - a.total_s)
        .slice(0, 8),
      activity_start_to_close_avg_ms: activity ? Number(((activity.sum / activity.count) * 1000).toFixed(1)) : null,
      workflow_task_schedule_to_start_avg_ms: wft ? Number(((wft.sum / wft.count) * 1000).toFixed(1)) : null,
      eager_starts: eagerStarts(before, after),
    };
  }
}

async function fetchText(url: string): Promise<string | null> {
  try {
    const res = await request(url, { headersTimeout: 2_000, bodyTimeout: 5_000 });
    const text = await res.body.text();
    return res.statusCode === 200 ? text : null;
  } catch {
    return null;
  }
}
