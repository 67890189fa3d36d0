import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Children that never outlive this process. A parent that is killed with SIGKILL (a test runner's
 * worker on timeout, a benchmark stopped by hand) cannot stop its children, and Linux's parent-death
 * signal is out of reach from Node. So the first guarded child starts one small guardian process
 * per parent (scripts/process-guardian.mjs), connected by a pipe. When this process ends, however it
 * ends, the kernel closes the pipe; the guardian sees end of input and stops every child still
 * registered: its signal first (a Herald child runs its ordered shutdown, Postgres a fast shutdown),
 * SIGKILL after a grace time, its process group included.
 *
 * The guardian runs in its own process group, so a terminal's Ctrl-C does not reach it, and it
 * does not keep this process alive.
 */

export const GUARDIAN_SCRIPT = fileURLToPath(new URL('../../scripts/process-guardian.mjs', import.meta.url));

export interface GuardOptions {
  /** Sent first when the parent is gone (default SIGTERM). */
  readonly signal?: NodeJS.Signals;
  /** Then SIGKILL after this long (default 20 s: a Herald process's shutdown deadline is 15 s). */
  readonly graceMs?: number;
}

let guardian: ChildProcess | null | undefined;

function guardianProcess(): ChildProcess | null {
  if (guardian !== undefined) return guardian;
  try {
    const child = spawn(process.execPath, [GUARDIAN_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    child.on('error', () => {
      guardian = null;
    });
    child.stdin?.on('error', () => undefined);
    child.unref();
    (child.stdin as unknown as Socket | null)?.unref();
    guardian = child;
  } catch {
    guardian = null;
  }
  return guardian;
}

/** The guardian's pid once one runs (for tests). */
export function guardianPid(): number | undefined {
  return guardian?.pid;
}

/**
 * Registers `pid` with this process's guardian; returns the call that unregisters it (to make once
 * the child has exited, so a recycled pid is never signalled). Without a guardian (it could not
 * start) this does nothing: the parent still stops its children on an ordinary exit.
 */
export function guardPid(pid: number, options: GuardOptions = {}): () => void {
  const stdin = guardianProcess()?.stdin;
  if (!stdin || stdin.destroyed) return () => undefined;
  stdin.write(`watch ${pid} ${options.signal ?? 'SIGTERM'} ${options.graceMs ?? 20_000}\n`);
  let released = false;
  return () => {
    if (released || stdin.destroyed) return;
    released = true;
    stdin.write(`forget ${pid}\n`);
  };
}

/** Guards a spawned child until it exits. */
export function guardChild(child: ChildProcess, options: GuardOptions = {}): ChildProcess {
  if (child.pid === undefined) return child;
  const release = guardPid(child.pid, options);
  child.once('exit', release);
  return child;
}
