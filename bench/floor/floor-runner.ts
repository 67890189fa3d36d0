import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { guardChild } from '../../src/process/child-guardian.js';
import { REPO_ROOT } from '../herald-process.js';
import { stopper } from '../../src/process/stop-child.js';

/**
 * The floor process as a child of the bench: `node --import tsx bench/floor/floor-process.ts`
 * (node itself, so the pid is the process doing the work, as for Herald's processes). Output goes
 * to a log file; the child never outlives the bench (child-guardian).
 */

const READY = 'floor ready';

export class FloorProcess {
  private tailText = '';
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Spawns it and resolves once it serves `POST /start`; rejects with its output if it exits or is not ready in `timeoutMs`. */
  static async start(options: { env: NodeJS.ProcessEnv; taskQueue: string; port: number; logFile: string; timeoutMs?: number; profileDir?: string | null }): Promise<FloorProcess> {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = guardChild(spawn(process.execPath, [
      ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
      '--import', 'tsx', 'bench/floor/floor-process.ts', '--task-queue', options.taskQueue, '--port', String(options.port),
    ], { cwd: REPO_ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] }));
    const proc = new FloorProcess(child);
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        proc.tailText = (proc.tailText + chunk.toString('utf8')).slice(-4_000);
        if (proc.tailText.includes(READY)) ready();
      });
      stream?.pipe(log, { end: false });
    }
    child.once('exit', () => setTimeout(() => log.end(), 100));
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`floor process not ready after ${options.timeoutMs ?? 120_000} ms:\n${proc.tail()}`)), options.timeoutMs ?? 120_000);
      void proc.exited.then(() => reject(new Error(`floor process exited during start-up:\n${proc.tail()}`)));
    });
    try {
      await Promise.race([isReady, failed]);
    } catch (error) {
      await proc.stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return proc;
  }

  get pid(): number | null {
    return this.running ? (this.child.pid ?? null) : null;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(lines = 15): string {
    return this.tailText.trim().split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM (the worker drains), SIGKILL after `graceMs`. */
  stop(graceMs = 20_000): Promise<void> {
    return stopper(this.child, graceMs)();
  }
}
