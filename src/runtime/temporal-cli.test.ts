import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ensureTemporalCli } from './temporal-cli.js';

/**
 * A fake `go` on PATH stands in for the real build: it records each run, sleeps, then writes a
 * `temporal` that prints the wanted version into GOBIN, as `go install` would.
 */
const FAKE_GO = `#!/bin/sh
echo "$$" >> "$FAKE_GO_LOG"
sleep "\${FAKE_GO_SECONDS:-1}"
printf '#!/bin/sh\\necho "temporal version 1.5.1 (fake)"\\n' > "$GOBIN/temporal.partial"
chmod +x "$GOBIN/temporal.partial"
mv "$GOBIN/temporal.partial" "$GOBIN/temporal"
`;
const MODULE = fileURLToPath(new URL('./temporal-cli.ts', import.meta.url));
const silent = pino({ level: 'silent' });
const saved = { ...process.env };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-cli-lock-'));
  mkdirSync(join(dir, 'fake-bin'));
  writeFileSync(join(dir, 'fake-bin', 'go'), FAKE_GO);
  chmodSync(join(dir, 'fake-bin', 'go'), 0o755);
  Object.assign(process.env, {
    PATH: `${join(dir, 'fake-bin')}:/usr/bin:/bin`,
    HERALD_CACHE_DIR: join(dir, 'cache'),
    FAKE_GO_LOG: join(dir, 'go-runs.log'),
  });
  delete process.env.TEMPORAL_CLI_PATH;
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

const goRuns = () => readFileSync(join(dir, 'go-runs.log'), 'utf8').trim().split('\n').length;

/** `ensureTemporalCli` in another Node process with this process's environment; resolves with its answer. */
function ensureInAnotherProcess(): Promise<string> {
  const script = `import { ensureTemporalCli } from ${JSON.stringify(MODULE)};
import { pino } from 'pino';
process.stdout.write(await ensureTemporalCli(pino({ level: 'silent' })));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)), env: process.env, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exited ${code}`)))));
}

describe('ensureTemporalCli', () => {
  it('when another process is building the CLI and two more callers need it, then they wait and use that build', async () => {
    process.env.FAKE_GO_SECONDS = '2';
    const other = ensureInAnotherProcess();
    await vi.waitFor(() => expect(existsSync(join(dir, 'go-runs.log'))).toBe(true), { timeout: 30_000, interval: 50 });
    const results = await Promise.all([ensureTemporalCli(silent), ensureTemporalCli(silent), other]);
    const binary = join(dir, 'cache', 'bin', 'temporal');
    expect(results).toEqual([binary, binary, binary]);
    expect(goRuns()).toBe(1);
  }, 60_000);

  it('when the build lock was left by a process that died, then the next caller takes it over and builds', async () => {
    const dead = spawnSync('true').pid;
    mkdirSync(join(dir, 'cache', 'bin'), { recursive: true });
    writeFileSync(join(dir, 'cache', 'bin', '.temporal-build.lock'), JSON.stringify({
      pid: dead, host: (await import('node:os')).hostname(), token: 'left-behind', since: new Date(0).toISOString(),
    }));
    await expect(ensureTemporalCli(silent)).resolves.toBe(join(dir, 'cache', 'bin', 'temporal'));
    expect(goRuns()).toBe(1);
  }, 30_000);

  it('when the CLI is already in the cache, then go does not run', async () => {
    await ensureTemporalCli(silent);
    await ensureTemporalCli(silent);
    expect(goRuns()).toBe(1);
  }, 30_000);
});
