import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { envKeys } from '../src/config/env-schema.js';

/** Small helpers of stack.ts: ports, start-up retries, the children's environment, the data-dir lock. */

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

/**
 * A TCP port free on 127.0.0.1 right now, chosen in 20000–29999: below Linux's ephemeral range
 * (32768+), where the dev server's own randomly bound internal ports land, so the two cannot race.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port in 20000-29999');
}

/** Runs `start` up to three times: a port taken between the check and the bind is retried with another. */
export async function retried<T>(what: string, log: (line: string) => void, start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 3) throw error;
      log(`${what} failed to start (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); retrying`);
    }
  }
}

/** The parent environment without any Herald setting, so a developer's shell cannot skew a run. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of [...Object.keys(envKeys), 'POSTGRES_URL', 'HERALD_DATA_DIR']) delete env[key];
  return env;
}

/** One bench per data dir: a second run would wipe the first one's Postgres and Temporal. */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'bench.pid');
  const holder = existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8'), 10) : NaN;
  if (Number.isInteger(holder) && holder !== process.pid) {
    let alive = false;
    try {
      process.kill(holder, 0);
      alive = true;
    } catch {
      // gone: a stale lock from a killed run
    }
    if (alive) throw new Error(`another bench (pid ${holder}) is using ${dataDir}; wait for it or pass --data-dir`);
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}
