import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. Resolves once it has
 * exited (at once when it already had). Calls while a stop is under way share it.
 */
export function stopper(child: ChildProcess, graceMs: number): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(kill);
        done();
      });
      child.kill('SIGTERM');
    }));
}
