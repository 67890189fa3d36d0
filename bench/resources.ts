import { now } from './clock.js';
import { processTree, procAvailable, readMemory, readStat, threadCpu } from './procfs.js';

/**
 * Resource use per process role (api, worker, temporal, postgres, bench), per scenario window:
 * CPU seconds (utime + stime from /proc/<pid>/stat), the CPU share of the window in cores, and
 * the peak and final RSS (sampled VmRSS every 250 ms; VmHWM is a lifetime peak, so it is
 * reported only once, at the end). Postgres is a process tree: its CPU is the sum over live
 * members plus the postmaster's reaped-children time, its RSS the sum over live members (shared
 * buffers are counted once per backend that touched them, so it overstates; see README).
 * Roles are looked up through a getter because the api and worker are restarted between scenarios.
 */

export type Role = 'api' | 'worker' | 'temporal' | 'postgres' | 'bench';

export interface RoleTarget {
  readonly role: Role;
  readonly pid: () => number | null;
  /** Sum over the whole process tree (Postgres forks a backend per connection). */
  readonly tree: boolean;
}

export interface RoleUsage {
  readonly cpu_s: number;
  /** cpu_s / wall seconds: 1.0 = one core busy for the whole window */
  readonly cpu_cores: number;
  readonly peak_rss_mb: number;
  readonly end_rss_mb: number;
  /** CPU seconds by thread name, top entries (api and worker only) */
  readonly threads?: Record<string, number>;
}

export type Usage = Partial<Record<Role, RoleUsage | 'unavailable'>>;

interface Reading {
  readonly cpu: number;
  readonly rss: number;
}

function readRole(target: RoleTarget): { pid: number; reading: Reading } | null {
  const pid = target.pid();
  if (pid === null || !procAvailable) return null;
  const root = readStat(pid);
  if (!root) return null;
  if (!target.tree) return { pid, reading: { cpu: root.cpuSeconds, rss: readMemory(pid)?.rssMb ?? 0 } };
  let cpu = root.childCpuSeconds;
  let rss = 0;
  for (const member of processTree(pid)) {
    cpu += readStat(member)?.cpuSeconds ?? 0;
    rss += readMemory(member)?.rssMb ?? 0;
  }
  return { pid, reading: { cpu, rss } };
}

interface Window {
  readonly start: number;
  /** role → pid → CPU at the window start (or when the pid first appeared) */
  readonly firstCpu: Map<Role, Map<number, number>>;
  readonly lastCpu: Map<Role, Map<number, number>>;
  readonly peakRss: Map<Role, number>;
  readonly threadsAtStart: Map<Role, { pid: number; cpu: Record<string, number> }>;
  /** false during the opening sample: pids present then start from their current CPU */
  opened: boolean;
}

export class ResourceMonitor {
  private readonly windows = new Set<Window>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly targets: readonly RoleTarget[]) {}

  get available(): boolean {
    return procAvailable;
  }

  start(intervalMs = 250): void {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Opens a measurement window; `end` closes it and returns usage per role. */
  begin(): { end: () => Usage } {
    const window: Window = {
      start: now(), firstCpu: new Map(), lastCpu: new Map(), peakRss: new Map(), threadsAtStart: new Map(), opened: false,
    };
    for (const t of this.targets) {
      const pid = t.pid();
      if (!t.tree && pid !== null && (t.role === 'api' || t.role === 'worker')) window.threadsAtStart.set(t.role, { pid, cpu: threadCpu(pid) });
    }
    this.sampleInto(window);
    window.opened = true;
    this.windows.add(window);
    return {
      end: () => {
        this.sampleInto(window);
        this.windows.delete(window);
        return this.usage(window);
      },
    };
  }

  /** Current RSS of one role in MB (the backlog scenario's before/after). */
  rssOf(role: Role): number | null {
    const target = this.targets.find((t) => t.role === role);
    const read = target ? readRole(target) : null;
    return read ? Number(read.reading.rss.toFixed(1)) : null;
  }

  /** Lifetime peak RSS (VmHWM) of a single-process role, MB. */
  lifetimePeakOf(role: Role): number | null {
    const pid = this.targets.find((t) => t.role === role)?.pid() ?? null;
    const mem = pid === null ? null : readMemory(pid);
    return mem ? Number(mem.hwmMb.toFixed(1)) : null;
  }

  private sample(): void {
    for (const window of this.windows) this.sampleInto(window);
  }

  private sampleInto(window: Window): void {
    for (const target of this.targets) {
      const read = readRole(target);
      if (!read) continue;
      const first = window.firstCpu.get(target.role) ?? new Map<number, number>();
      const last = window.lastCpu.get(target.role) ?? new Map<number, number>();
      // A pid first seen after the window opened started inside it: all its CPU belongs here.
      if (!first.has(read.pid)) first.set(read.pid, window.opened ? 0 : read.reading.cpu);
      last.set(read.pid, read.reading.cpu);
      window.firstCpu.set(target.role, first);
      window.lastCpu.set(target.role, last);
      window.peakRss.set(target.role, Math.max(window.peakRss.get(target.role) ?? 0, read.reading.rss));
    }
  }

  private usage(window: Window): Usage {
    const wall = (now() - window.start) / 1000;
    const out: Usage = {};
    for (const target of this.targets) {
      const first = window.firstCpu.get(target.role);
      const last = window.lastCpu.get(target.role);
      if (!first || !last) {
        out[target.role] = 'unavailable';
        continue;
      }
      let cpu = 0;
      for (const [pid, end] of last) cpu += end - (first.get(pid) ?? 0);
      const pid = target.pid();
      const usage: RoleUsage = {
        cpu_s: Number(cpu.toFixed(2)),
        cpu_cores: Number((wall > 0 ? cpu / wall : 0).toFixed(2)),
        peak_rss_mb: Number((window.peakRss.get(target.role) ?? 0).toFixed(1)),
        end_rss_mb: this.rssOf(target.role) ?? 0,
      };
      const before = window.threadsAtStart.get(target.role);
      if (before && before.pid === pid) {
        const after = threadCpu(pid);
        const delta = Object.entries(after)
          .map(([name, s]) => [name, Number((s - (before.cpu[name] ?? 0)).toFixed(2))] as const)
          .filter(([, s]) => s > 0.01)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6);
        out[target.role] = { ...usage, threads: Object.fromEntries(delta) };
      } else {
        out[target.role] = usage;
      }
    }
    return out;
  }
}
