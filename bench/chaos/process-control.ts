import { isProcessAlive as isAlive } from '../../src/process/alive.js';
import { setTimeout as delay } from 'node:timers/promises';
import { processTree } from '../procfs.js';

/**
 * Signals for processes the chaos run owns, and a last-resort reaper: every pid registered here
 * is SIGKILLed when this process exits without having stopped it (a crash of the tool, an
 * uncaught error, a test runner tearing the worker down), so no busy loop or server outlives it.
 */

const owned = new Set<number>();
let hooked = false;

function reapOnExit(): void {
  for (const pid of owned) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Registers `pid` for the exit reaper; the returned function unregisters it (after a clean stop). */
export function own(pid: number): () => void {
  if (!hooked) {
    process.on('exit', reapOnExit);
    hooked = true;
  }
  owned.add(pid);
  return () => owned.delete(pid);
}

/** Resolves true once every pid is gone, false after `timeoutMs`. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await delay(25);
  }
  return true;
}

/**
 * kill -9 of `root` and, with `tree`, of every process below it, collected before the first
 * signal so none can escape by being re-parented. Resolves when all of them are gone.
 */
export async function killHard(root: number, options: { tree: boolean }): Promise<void> {
  const pids = options.tree ? await processTree(root) : [root];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited in between
    }
  }
  if (!(await waitGone(pids, 15_000))) throw new Error(`pid ${root} survived SIGKILL for 15 s`);
}
