import { now, sleep } from './clock.js';
import { processTree, procAvailable, readMachineCpu, readMemory, readPssMb, readStat, threadCpu, threadRoles } from './procfs.js';

/**
 * Resource use per process role, per measurement window:
 * CPU seconds (utime + stime from /proc/<pid>/stat), the CPU share of the window in cores, and
 * the peak and final RSS (VmRSS sampled every 500 ms; VmHWM is a lifetime peak, so it is reported
 * only once). Postgres is a process tree: its CPU is the sum over live members plus the
 * postmaster's reaped-children time, its memory the sum of PSS over live members (shared buffers
 * counted once, not once per backend). Roles are looked up through a getter because api and
 * worker are restarted between scenarios. Sampling is asynchronous (see procfs.ts).
 */

/**
 * `herald`: the one `herald start` process (API and worker); `api` and `worker`: the two processes
 * of the split topology; `floor`: the floor scenario's bare-workflow process; `rabbitmq`: the
 * broker the rabbitmq scenario publishes to (its Erlang VM and helpers); `bench`: this process.
 */
export type Role = 'herald' | 'api' | 'worker' | 'floor' | 'temporal' | 'postgres' | 'rabbitmq' | 'bench';

/** Node processes whose CPU is also broken down by thread. */
const THREADED: ReadonlySet<Role> = new Set(['herald', 'api', 'worker', 'floor']);

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
  /** CPU seconds by thread role (see `threadRoles`), top entries (the Node processes only) */
  readonly threads?: Record<string, number>;
}

/**
 * The whole machine over the window, in cores: everything busy, and the part no role accounts
 * for (other processes: on a shared box, a compiler or a test run stealing CPU from the stack).
 */
export interface MachineUsage {
  readonly busy_cores: number;
  readonly other_cores: number;
  readonly cores: number;
}

export type Usage = Partial<Record<Role, RoleUsage | 'unavailable'>> & { machine?: MachineUsage };

interface Reading {
  readonly pid: number;
  readonly cpu: number;
  readonly rss: number;
}

interface Window {
  readonly start: number;
  /** role → pid → CPU at the window start (0 for a pid that started inside the window) */
  readonly firstCpu: Map<Role, Map<number, number>>;
  readonly lastCpu: Map<Role, Map<number, number>>;
  readonly peakRss: Map<Role, number>;
  readonly threadsAtStart: Map<Role, { pid: number; cpu: Awaited<ReturnType<typeof threadCpu>> }>;
  machineAtStart: { busy: number; total: number } | null;
  opened: boolean;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

export class ResourceMonitor {
  private readonly windows = new Set<Window>();
  private running = false;
  private loop: Promise<void> | undefined;
  /** Tree members per root pid, refreshed every 2 s (a full /proc scan is the costly part). */
  private readonly trees = new Map<number, { members: number[]; at: number }>();

  constructor(private readonly targets: readonly RoleTarget[]) {}

  get available(): boolean {
    return procAvailable;
  }

  start(intervalMs = 500): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        for (const window of this.windows) await this.sampleInto(window);
        await sleep(intervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Opens a measurement window; `end` closes it and returns usage per role. */
  async begin(): Promise<{ end: () => Promise<Usage> }> {
    const window: Window = {
      start: now(), firstCpu: new Map(), lastCpu: new Map(), peakRss: new Map(), threadsAtStart: new Map(), opened: false,
      machineAtStart: await readMachineCpu(),
    };
    for (const t of this.targets) {
      const pid = t.pid();
      if (!t.tree && pid !== null && THREADED.has(t.role)) {
        window.threadsAtStart.set(t.role, { pid, cpu: await threadCpu(pid) });
      }
    }
    await this.sampleInto(window);
    window.opened = true;
    this.windows.add(window);
    return {
      end: async () => {
        this.windows.delete(window);
        await this.sampleInto(window);
        return this.usage(window);
      },
    };
  }

  /** Current RSS of one role in MB (the backlog scenario's before/after). */
  async rssOf(role: Role): Promise<number | null> {
    const target = this.targets.find((t) => t.role === role);
    const read = target ? await this.read(target) : null;
    return read ? round(read.rss, 1) : null;
  }

  /** Lifetime peak RSS (VmHWM) of a single-process role, MB. */
  async lifetimePeakOf(role: Role): Promise<number | null> {
    const pid = this.targets.find((t) => t.role === role)?.pid() ?? null;
    const mem = pid === null ? null : await readMemory(pid);
    return mem ? round(mem.hwmMb, 1) : null;
  }

  private async members(root: number): Promise<number[]> {
    const cached = this.trees.get(root);
    if (cached && now() - cached.at < 2_000) return cached.members;
    const members = await processTree(root);
    this.trees.set(root, { members, at: now() });
    return members;
  }

  private async read(target: RoleTarget): Promise<Reading | null> {
    const pid = target.pid();
    if (pid === null || !procAvailable) return null;
    const root = await readStat(pid);
    if (!root) return null;
    if (!target.tree) return { pid, cpu: root.cpuSeconds, rss: (await readMemory(pid))?.rssMb ?? 0 };
    let cpu = root.childCpuSeconds + root.cpuSeconds;
    let rss = (await readPssMb(pid)) ?? 0;
    for (const member of (await this.members(pid)).filter((m) => m !== pid)) {
      const [stat, pss] = await Promise.all([readStat(member), readPssMb(member)]);
      cpu += stat?.cpuSeconds ?? 0;
      rss += pss ?? 0;
    }
    return { pid, cpu, rss };
  }

  private async sampleInto(window: Window): Promise<void> {
    for (const target of this.targets) {
      const read = await this.read(target);
      if (!read) continue;
      const first = window.firstCpu.get(target.role) ?? new Map<number, number>();
      const last = window.lastCpu.get(target.role) ?? new Map<number, number>();
      // A pid first seen after the window opened started inside it: all its CPU belongs here.
      if (!first.has(read.pid)) first.set(read.pid, window.opened ? 0 : read.cpu);
      last.set(read.pid, read.cpu);
      window.firstCpu.set(target.role, first);
      window.lastCpu.set(target.role, last);
      window.peakRss.set(target.role, Math.max(window.peakRss.get(target.role) ?? 0, read.rss));
    }
  }

  private async usage(window: Window): Promise<Usage> {
    const wall = (now() - window.start) / 1000;
    const out: Usage = {};
    const machineEnd = await readMachineCpu();
    for (const target of this.targets) {
      const first = window.firstCpu.get(target.role);
      const last = window.lastCpu.get(target.role);
      if (!first || !last) {
        out[target.role] = 'unavailable';
        continue;
      }
      let cpu = 0;
      for (const [pid, end] of last) cpu += end - (first.get(pid) ?? 0);
      const usage: RoleUsage = {
        cpu_s: round(cpu),
        cpu_cores: round(wall > 0 ? cpu / wall : 0),
        peak_rss_mb: round(window.peakRss.get(target.role) ?? 0, 1),
        end_rss_mb: (await this.rssOf(target.role)) ?? 0,
      };
      const before = window.threadsAtStart.get(target.role);
      const pid = target.pid();
      if (before && before.pid === pid) {
        const delta = Object.entries(threadRoles(pid, before.cpu, await threadCpu(pid)))
          .map(([name, s]) => [name, round(s)] as const)
          .filter(([, s]) => s > 0.01)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6);
        out[target.role] = { ...usage, threads: Object.fromEntries(delta) };
      } else {
        out[target.role] = usage;
      }
    }
    const start = window.machineAtStart;
    if (start && machineEnd && wall > 0) {
      const cores = (machineEnd.total - start.total) / wall;
      const busy = (machineEnd.busy - start.busy) / wall;
      const ours = Object.values(out).reduce((a, u) => a + (u && u !== 'unavailable' && 'cpu_cores' in u ? u.cpu_cores : 0), 0);
      out.machine = { busy_cores: round(busy), other_cores: round(Math.max(0, busy - ours)), cores: Math.round(cores) };
    }
    return out;
  }
}

/**
 * The usage of several windows taken together, as if one window had been open during each of them
 * and closed in between: CPU and wall time add up (cores = CPU over the summed wall time), peaks
 * are the highest, the final RSS is the last window's, thread CPU adds up by thread role. A role
 * unavailable in every window stays unavailable.
 */
export function combineUsage(parts: readonly { readonly usage: Usage; readonly wall_s: number }[]): Usage {
  const wall = parts.reduce((a, p) => a + p.wall_s, 0);
  const out: Usage = {};
  const roles = new Set(parts.flatMap((p) => Object.keys(p.usage).filter((k) => k !== 'machine') as Role[]));
  for (const role of roles) {
    const measured = parts.map((p) => p.usage[role]).filter((u): u is RoleUsage => u !== undefined && u !== 'unavailable');
    if (measured.length === 0) {
      out[role] = 'unavailable';
      continue;
    }
    const cpu = measured.reduce((a, u) => a + u.cpu_s, 0);
    const threads = new Map<string, number>();
    for (const u of measured) for (const [name, s] of Object.entries(u.threads ?? {})) threads.set(name, (threads.get(name) ?? 0) + s);
    const usage: RoleUsage = {
      cpu_s: round(cpu),
      cpu_cores: round(wall > 0 ? cpu / wall : 0),
      peak_rss_mb: Math.max(...measured.map((u) => u.peak_rss_mb)),
      end_rss_mb: measured.at(-1)!.end_rss_mb,
    };
    out[role] = threads.size === 0 ? usage : {
      ...usage,
      threads: Object.fromEntries([...threads].map(([name, s]) => [name, round(s)] as const).sort((a, b) => b[1] - a[1]).slice(0, 6)),
    };
  }
  const machines = parts.filter((p) => p.usage.machine);
  const machineWall = machines.reduce((a, p) => a + p.wall_s, 0);
  if (machines.length > 0 && machineWall > 0) {
    const weighted = (pick: (m: MachineUsage) => number) => round(machines.reduce((a, p) => a + pick(p.usage.machine!) * p.wall_s, 0) / machineWall);
    out.machine = {
      busy_cores: weighted((m) => m.busy_cores), other_cores: weighted((m) => m.other_cores),
      cores: Math.max(...machines.map((p) => p.usage.machine!.cores)),
    };
  }
  return out;
}
