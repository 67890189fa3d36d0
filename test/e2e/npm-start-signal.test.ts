import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cleanEnv } from '../../bench/stack-support.js';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { eventually } from '../harness/eventually.js';
import { TEST_ENV } from '../harness/herald.js';
import { createTestDatabase } from '../harness/postgres.js';

/**
 * A supervisor (systemd, a container runtime, a CI runner) that stops `npm start` sends SIGTERM to
 * npm itself. npm hands the signal to the shell it ran the script with, and a shell running a
 * command does not pass it on: unless the script execs its command, Herald would keep running,
 * orphaned, holding its port. Against the run's Postgres and Temporal, so `npm start` starts only
 * Herald itself.
 */

const repoRoot = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'herald-npm-start-'));
/** Every process started for this test carries this in its environment, whatever it was reparented to. */
const marker = `HERALD_DATA_DIR=${dataDir}`;
let npm: ChildProcess | undefined;

/** Processes whose environment holds the marker: npm, its shell, the bootstrap script, Herald. */
function markedProcesses(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

afterAll(() => {
  for (const pid of markedProcesses()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it.skipIf(process.platform !== 'linux')('when npm itself gets SIGTERM, then Herald shuts down and nothing it started is left running', async () => {
    const port = await freeLoopbackPort();
    const output: string[] = [];
    npm = spawn('npm', ['start'], {
      cwd: repoRoot,
      env: {
        ...cleanEnv(), ...TEST_ENV, HERALD_DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'info',
        DATABASE_URL: await createTestDatabase(inject('databaseAdminUrl')), TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_SETUP_NAMESPACE: 'false', TEMPORAL_TASK_QUEUE: `npm-start-${port}`, API_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    npm.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    const npmExited = new Promise<void>((resolve) => npm!.once('exit', () => resolve()));

    const healthy = () => fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) }).then((res) => res.status, () => 0);
    await eventually(healthy, (status) => status === 200, 240_000).catch((error: unknown) => {
      throw new Error(`npm start did not become healthy: ${String(error)}\n${output.join('').slice(-4_000)}`);
    });
    expect(markedProcesses().length).toBeGreaterThanOrEqual(2);

    npm.kill('SIGTERM');
    await npmExited;
    // Herald drains within its shutdown deadline; no process of the tree outlives it.
    const left = await eventually(async () => markedProcesses(), (pids) => pids.length === 0, 60_000).catch(() => markedProcesses());
    expect(left, `still running after npm got SIGTERM:\n${output.join('').slice(-4_000)}`).toEqual([]);
    expect(await healthy()).toBe(0);
  });
});
