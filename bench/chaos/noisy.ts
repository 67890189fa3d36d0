import { spawn, type ChildProcess } from 'node:child_process';
import { own } from './process-control.js';

/**
 * Noisy neighbours: N shell busy loops beside the stack, each wanting a whole core, so api,
 * worker, Temporal and Postgres run starved of CPU the way they would on an oversold host. They
 * are registered with the exit reaper, so they die with this process even when it crashes.
 */

export interface Noisy {
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

export function startNoisy(count: number): Noisy {
  const children: { child: ChildProcess; disown: () => void }[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn('bash', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    children.push({ child, disown: child.pid === undefined ? () => undefined : own(child.pid) });
  }
  return {
    pids: children.flatMap(({ child }) => (child.pid === undefined ? [] : [child.pid])),
    async stop() {
      await Promise.all(children.map(async ({ child, disown }) => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          await exited;
        }
        disown();
      }));
    },
  };
}
