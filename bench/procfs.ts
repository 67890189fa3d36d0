import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';

/**
 * /proc readers (Linux only; elsewhere they return null/empty). All asynchronous on purpose: the
 * receiver shares the bench's event loop, and a synchronous scan of /proc (~3 ms, more with
 * smaps_rollup) every sample would delay t3 and show up as Herald latency.
 */

export const procAvailable = existsSync('/proc/self/stat');

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly ppid: number;
  /** utime + stime of the process itself, seconds */
  readonly cpuSeconds: number;
  /** cutime + cstime: CPU of reaped children (Postgres backends that exited), seconds */
  readonly childCpuSeconds: number;
}

const quiet = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);

function parseStat(text: string, pid: number): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < 0) return null;
  // Fields after the command: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17), 1-based.
  const f = text.slice(close + 2).split(' ');
  const num = (i: number) => Number(f[i - 3] ?? 0);
  return {
    pid, comm: text.slice(open + 1, close), ppid: num(4),
    cpuSeconds: (num(14) + num(15)) / clockTicks,
    childCpuSeconds: (num(16) + num(17)) / clockTicks,
  };
}

export async function readStat(pid: number): Promise<ProcStat | null> {
  const text = await quiet(readFile(`/proc/${pid}/stat`, 'utf8'));
  return text === null ? null : parseStat(text, pid);
}

/** VmRSS and VmHWM (lifetime peak RSS) in MB. */
export async function readMemory(pid: number): Promise<{ rssMb: number; hwmMb: number } | null> {
  const text = await quiet(readFile(`/proc/${pid}/status`, 'utf8'));
  if (text === null) return null;
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/**
 * Proportional set size in MB (shared pages divided among the processes that map them), from
 * smaps_rollup. Summing PSS over a process tree counts Postgres's shared buffers once, where
 * summing RSS would count them once per backend.
 */
export async function readPssMb(pid: number): Promise<number | null> {
  const text = await quiet(readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
  const kb = text === null ? undefined : /^Pss:\s+(\d+)/m.exec(text)?.[1];
  return kb === undefined ? null : Number(kb) / 1024;
}

export async function readCmdline(pid: number): Promise<string> {
  const text = await quiet(readFile(`/proc/${pid}/cmdline`, 'utf8'));
  return text === null ? '' : text.split('\0').join(' ').trim();
}

export async function allPids(): Promise<number[]> {
  if (!procAvailable) return [];
  return (await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map(Number);
}

/** Direct children of `pid`, from /proc/<pid>/task/<tid>/children (no scan of all of /proc). */
async function childrenOf(pid: number): Promise<number[]> {
  const tids = (await quiet(readdir(`/proc/${pid}/task`))) ?? [];
  const lists = await Promise.all(tids.map((tid) => quiet(readFile(`/proc/${pid}/task/${tid}/children`, 'utf8'))));
  return lists.flatMap((text) => (text ?? '').split(' ').filter(Boolean).map(Number));
}

/** `root` and every live descendant. */
export async function processTree(root: number): Promise<number[]> {
  const out: number[] = [];
  let level = [root];
  while (level.length > 0) {
    out.push(...level);
    level = (await Promise.all(level.map(childrenOf))).flat();
  }
  return out;
}

/** CPU seconds of each thread of `pid` (by thread id), with the thread's name (e.g. `node`, `tokio-runtime-w`). */
export async function threadCpu(pid: number): Promise<Map<number, { readonly comm: string; readonly cpuSeconds: number }>> {
  const tids = await quiet(readdir(`/proc/${pid}/task`));
  const stats = await Promise.all((tids ?? []).map(async (tid) => {
    const text = await quiet(readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
    return text === null ? null : parseStat(text, Number(tid));
  }));
  const out = new Map<number, { comm: string; cpuSeconds: number }>();
  for (const stat of stats) if (stat) out.set(stat.pid, { comm: stat.comm, cpuSeconds: stat.cpuSeconds });
  return out;
}

/**
 * Where a Node process spent CPU over a window, by thread role: `main` (the event loop: API,
 * activities, the SDK's worker pipeline), `node worker` (the busiest other thread named `node`:
 * under load that is the SDK's workflow thread, where workflow code runs), `node other` (V8's GC
 * and compiler helpers, libuv's pool, idle worker threads), and the remaining threads by name
 * (`tokio-runtime-w`: Temporal's Rust core). Linux names every Node thread `node`, so without
 * the split the event loop and the workflow thread read as one figure.
 */
export function threadRoles(
  pid: number,
  before: ReadonlyMap<number, { readonly cpuSeconds: number }>,
  after: ReadonlyMap<number, { readonly comm: string; readonly cpuSeconds: number }>,
): Record<string, number> {
  const used = [...after].map(([tid, t]) => ({ tid, comm: t.comm, s: t.cpuSeconds - (before.get(tid)?.cpuSeconds ?? 0) }));
  const others = used.filter((t) => t.tid !== pid && t.comm === 'node').sort((a, b) => b.s - a.s);
  const worker = others[0]?.tid;
  const out: Record<string, number> = {};
  for (const t of used) {
    const role = t.tid === pid ? 'main' : t.tid === worker ? 'node worker' : t.comm === 'node' ? 'node other' : t.comm;
    out[role] = (out[role] ?? 0) + t.s;
  }
  return out;
}

/** The first process whose command line contains every fragment. */
export async function findProcess(fragments: readonly string[]): Promise<number | null> {
  for (const pid of await allPids()) {
    const cmd = await readCmdline(pid);
    if (fragments.every((f) => cmd.includes(f))) return pid;
  }
  return null;
}

/** Machine-wide CPU seconds: busy (everything but idle and iowait) and total, over all cores. */
export async function readMachineCpu(): Promise<{ busy: number; total: number } | null> {
  const text = await quiet(readFile('/proc/stat', 'utf8'));
  const f = text?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!f || f.length < 8) return null;
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: (total - idle) / clockTicks, total: total / clockTicks };
}
