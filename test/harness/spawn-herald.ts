import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeraldProcess, type HeraldCommand } from '../../bench/herald-process.js';
import { cleanEnv } from '../../bench/stack-support.js';
import { TEST_ENV } from './herald.js';

const logDir = mkdtempSync(join(tmpdir(), 'herald-process-'));
const running = new Set<HeraldProcess>();

/**
 * `herald <command>` as its own OS process, as in production, with the test settings and `env`
 * over a parent environment stripped of Herald settings. Its output is kept for `waitForOutput`.
 */
export function spawnHerald(command: HeraldCommand, env: Record<string, string>): HeraldProcess {
  const proc = HeraldProcess.start(command, {
    env: { ...cleanEnv(), ...TEST_ENV, LOG_LEVEL: 'info', LOG_FORMAT: 'json', TEMPORAL_SETUP_NAMESPACE: 'false', ...env },
    logFile: join(logDir, `${command}-${randomUUID().slice(0, 8)}.log`),
    keepOutput: true,
  });
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  return proc;
}

/** For afterEach/afterAll: SIGKILL whatever a test left running. */
export async function killSpawnedHeralds(): Promise<void> {
  await Promise.all([...running].map(async (proc) => {
    proc.signal('SIGKILL');
    await proc.exited;
  }));
}

/** Sends `signal` and resolves with the exit and how long it took. */
export async function signalAndTime(proc: HeraldProcess, signal: NodeJS.Signals = 'SIGTERM') {
  const sentAt = Date.now();
  proc.signal(signal);
  const exit = await proc.exited;
  return { ...exit, ms: Date.now() - sentAt };
}
