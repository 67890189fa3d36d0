import { execFileSync } from 'node:child_process';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { REPO_ROOT } from './herald-process.js';

/** What the numbers were measured on: they mean little without it. */

export interface MachineInfo {
  readonly cpus: number;
  readonly cpu_model: string;
  readonly memory_gb: number;
  readonly platform: string;
  readonly kernel: string;
  readonly node: string;
  readonly load_average_at_start: readonly number[];
  readonly git_commit: string | null;
  /** Files changed against the commit when the run started (other work in progress skews numbers). */
  readonly git_dirty_files: number | null;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machineInfo(): MachineInfo {
  const status = git(['status', '--porcelain']);
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_gb: Number((totalmem() / 1024 ** 3).toFixed(1)),
    platform: platform(),
    kernel: release(),
    node: process.version,
    load_average_at_start: loadavg().map((x) => Number(x.toFixed(2))),
    git_commit: git(['rev-parse', 'HEAD']),
    git_dirty_files: status === null ? null : status.split('\n').filter(Boolean).length,
  };
}
