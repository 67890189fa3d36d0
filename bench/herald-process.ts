import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guardChild } from '../src/process/child-guardian.js';
import { stopper } from '../src/process/stop-child.js';

/**
 * One Herald process started through its real entry point, `herald <command>`, as a child:
 * `node [nodeArgs] --import tsx src/cli.ts <command>`. Node is run directly (not the tsx wrapper)
 * so the child's pid is the process doing the work, which is what /proc attribution needs.
 * Output goes to a log file; the last lines are kept for error messages. The child is stopped even
 * if this process is killed (see child-guardian): a bench stopped by hand or a test worker killed
 * on a timeout leaves no Herald running.
 */

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export type HeraldCommand = 'api' | 'worker' | 'start' | 'migrate';

export class HeraldProcess {
  private tailText = '';
  private output = '';
  private readonly outputWaiters = new Set<() => void>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly command: HeraldCommand,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** `keepOutput` keeps all output in memory for `waitForOutput` (tests; a bench run is too long for it). */
  static start(command: HeraldCommand, options: { env: NodeJS.ProcessEnv; logFile: string; nodeArgs?: readonly string[]; keepOutput?: boolean }): HeraldProcess {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = guardChild(spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/cli.ts', command], {
      cwd: REPO_ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'],
    }));
    const proc = new HeraldProcess(command, child);
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      proc.tailText = (proc.tailText + text).slice(-4_000);
      if (options.keepOutput) proc.output += text;
      for (const wake of proc.outputWaiters) wake();
    };
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', keep);
      stream?.pipe(log, { end: false });
    }
    child.once('exit', () => setTimeout(() => log.end(), 100));
    return proc;
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything printed so far (with `keepOutput`). */
  get printed(): string {
    return this.output;
  }

  /** Resolves once the output (with `keepOutput`) matches; rejects on exit or after `timeoutMs`. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.running) throw new Error(`herald ${this.command} exited before printing ${pattern}:\n${this.tail()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`herald ${this.command} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.outputWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 500));
        this.outputWaiters.add(wake);
      });
    }
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  tail(lines = 15): string {
    return this.tailText.trim().split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM (Herald's ordered shutdown, which also flushes --cpu-prof), SIGKILL after `graceMs`. */
  stop(graceMs = 25_000): Promise<void> {
    return stopper(this.child, graceMs)();
  }
}

/** Runs a command to completion (e.g. `herald migrate`); rejects with its output tail on failure. */
export async function runToCompletion(command: HeraldCommand, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  const proc = HeraldProcess.start(command, { env, logFile });
  const { code, signal } = await proc.exited;
  if (code !== 0) throw new Error(`herald ${command} exited ${code ?? signal}:\n${proc.tail()}`);
}
