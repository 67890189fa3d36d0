import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One Herald process started through its real entry point, `herald <command>`, as a child:
 * `node [nodeArgs] --import tsx src/cli.ts <command>`. Node is run directly (not the tsx wrapper)
 * so the child's pid is the process doing the work, which is what /proc attribution needs.
 * Output goes to a log file; the last lines are kept for error messages.
 */

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export type HeraldCommand = 'api' | 'worker' | 'start' | 'migrate';

export class HeraldProcess {
  private tailText = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly command: HeraldCommand,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(command: HeraldCommand, options: { env: NodeJS.ProcessEnv; logFile: string; nodeArgs?: readonly string[] }): HeraldProcess {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/cli.ts', command], {
      cwd: REPO_ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new HeraldProcess(command, child);
    const keep = (chunk: Buffer) => {
      proc.tailText = (proc.tailText + chunk.toString('utf8')).slice(-4_000);
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

  tail(lines = 15): string {
    return this.tailText.trim().split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM (Herald's ordered shutdown, which also flushes --cpu-prof), SIGKILL after `graceMs`. */
  async stop(graceMs = 25_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Runs a command to completion (e.g. `herald migrate`); rejects with its output tail on failure. */
export async function runToCompletion(command: HeraldCommand, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  const proc = HeraldProcess.start(command, { env, logFile });
  const { code, signal } = await proc.exited;
  if (code !== 0) throw new Error(`herald ${command} exited ${code ?? signal}:\n${proc.tail()}`);
}
