import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/** Thin, synchronous /proc readers (Linux only; every function returns null/empty elsewhere). */

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

export function readStat(pid: number): ProcStat | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), pid);
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM (peak RSS) in MB. */
export function readMemory(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

export function allPids(): number[] {
  if (!procAvailable) return [];
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

/** `root` and every live descendant. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** CPU seconds per thread name (e.g. `node`, `tokio-runtime-w`, `V8Worker`), for where a process spends it. */
export function threadCpu(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = (() => {
        try {
          return parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'), Number(tid));
        } catch {
          return null;
        }
      })();
      if (stat) out[stat.comm] = (out[stat.comm] ?? 0) + stat.cpuSeconds;
    }
  } catch {
    // process gone
  }
  return out;
}

/** The first process whose command line contains every fragment. */
export function findProcess(fragments: readonly string[]): number | null {
  for (const pid of allPids()) {
    const cmd = readCmdline(pid);
    if (fragments.every((f) => cmd.includes(f))) return pid;
  }
  return null;
}
