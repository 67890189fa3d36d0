import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, inject, it } from 'vitest';
import { cleanEnv } from '../../bench/stack-support.js';
import { SHUTDOWN_DEADLINE_MS } from '../../src/process/shutdown.js';
import { createTestDatabase } from '../harness/postgres.js';

/**
 * Children never outlive their parent, even one killed with SIGKILL (a vitest worker on a timeout,
 * a bench stopped by hand): the parent's guardian process stops them.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const parentScript = fileURLToPath(new URL('../harness/parent-process.ts', import.meta.url));
let parent: ChildProcess | undefined;
const leftovers: number[] = [];

afterEach(() => {
  parent?.kill('SIGKILL');
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone, as it should be.
    }
  }
});

/** Running and not a zombie (an exited orphan that init has not reaped yet counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

it('when the parent of a herald worker and a Temporal dev server is killed with SIGKILL, then both stop within seconds', async () => {
  const databaseUrl = await createTestDatabase(inject('databaseAdminUrl'));
  parent = spawn(process.execPath, ['--import', 'tsx', parentScript], {
    cwd: root, env: { ...cleanEnv(), DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { temporalPid, workerPid } = await new Promise<{ temporalPid: number; workerPid: number }>((resolve, reject) => {
    let out = '';
    parent!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
    });
    parent!.once('exit', (code) => reject(new Error(`parent exited ${code} before starting its children`)));
  });
  leftovers.push(temporalPid, workerPid);
  expect(alive(temporalPid) && alive(workerPid)).toBe(true);

  const killedAt = Date.now();
  parent.kill('SIGKILL');
  const deadline = killedAt + 60_000;
  while ((alive(temporalPid) || alive(workerPid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

  const stoppedMs = Date.now() - killedAt;
  expect({ temporal: alive(temporalPid), worker: alive(workerPid) }).toEqual({ temporal: false, worker: false });
  expect(stoppedMs).toBeLessThan(SHUTDOWN_DEADLINE_MS);
}, 240_000);
