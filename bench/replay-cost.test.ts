import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./replay-cost.ts', import.meta.url));

/** Runs the tool as `npx tsx bench/replay-cost.ts` would, with a few replays; resolves with its stdout. */
function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Never outlives the test: killed before the test's own timeout.
    const guard = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bench/replay-cost.ts', () => {
  it('when run with a few replays, then it replays the history both ways and prints both costs and the saving', async () => {
    const { code, stdout, stderr } = await run({ N: '3', ROUNDS: '2' });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/skipped\.json: 3 replays × 2 rounds/);
    expect(stdout).toMatch(/modules evaluated per workflow: median \d+\.\d\d ms CPU per history/);
    expect(stdout).toMatch(/modules shared \(Herald's worker\): median \d+\.\d\d ms/);
    expect(stdout).toMatch(/saved per history, median of the rounds' differences: -?\d+\.\d\d ms \(\d of 2 rounds lower\)/);
  }, 120_000);
});
