#!/usr/bin/env node
// `npm start` / `npm test` / `npm run bench` / `npm run chaos` on a fresh machine: install what is missing, then hand over.
// Plain Node with no dependencies, because it runs before `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Herald needs Node.js >= 20.19 (this is ${process.versions.node}).`);
  process.exit(1);
}

function ensureDependencies() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.herald-lock-sha256');
  const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  console.log('[herald] installing npm dependencies…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Not `npm ci`: registry mirrors without every platform build of an optional dependency (e.g.
  // @swc/core's darwin/win32 binaries) make npm ci refuse the lock; install honours it the same.
  const result = spawnSync(npm, ['install', '--no-save', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stamp, want);
}

// Stops the child's process group should this script be killed outright (see the script itself).
let guardian;
function guard(pid) {
  guardian ??= spawn(process.execPath, [join(root, 'scripts', 'process-guardian.mjs')], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  guardian.on('error', () => undefined);
  guardian.stdin.on('error', () => undefined);
  guardian.unref();
  guardian.stdin.unref();
  guardian.stdin.write(`watch ${pid} SIGTERM 20000\n`);
  return () => guardian.stdin.write(`forget ${pid}\n`);
}

// The child runs in its own process group, so a terminal's Ctrl-C reaches only this script, which
// passes one signal on: Herald then stops its API, worker, Temporal and Postgres in order, instead
// of every process of the group receiving SIGINT at once.
function run(bin, args, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(join(root, 'node_modules', '.bin', bin), args, {
      cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv }, detached: true,
    });
    const unguard = guard(child.pid);
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      unguard();
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Builds the tenant portal (portal/dist) unless `always` is false and a build is already there. */
async function buildPortal({ always }) {
  if (!always && existsSync(join(root, 'portal', 'dist', 'index.html'))) return;
  console.log('[herald] building the tenant portal (portal/dist)…');
  const code = await run('vite', ['build', 'portal', '--logLevel', 'warn']);
  if (code !== 0) process.exit(code);
}

const command = process.argv[2];
const rest = process.argv.slice(3);
ensureDependencies();

if (command === 'start') {
  await buildPortal({ always: false });
  process.exit(await run('tsx', ['src/cli.ts', 'start', ...rest]));
} else if (command === 'test') {
  for (const [bin, args] of [['tsc', ['--noEmit']], ['tsc', ['-p', 'portal', '--noEmit']], ['eslint', ['--max-warnings=0', '.']]]) {
    console.log(`[herald] ${bin} ${args.join(' ')}`);
    const code = await run(bin, args);
    if (code !== 0) process.exit(code);
  }
  // The browser tests open the built portal: build it from these sources.
  await buildPortal({ always: true });
  process.exit(await run('vitest', ['run', ...rest]));
} else if (command === 'bench') {
  process.exit(await run('tsx', ['bench/run.ts', ...rest]));
} else if (command === 'chaos') {
  process.exit(await run('tsx', ['bench/chaos/run.ts', ...rest]));
} else {
  console.error('usage: bootstrap.mjs start|test|bench|chaos');
  process.exit(2);
}
