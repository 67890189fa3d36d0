import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envKeys } from '../src/config/env-schema.js';

/** Small helpers of stack.ts: start-up retries, the children's environment, the data-dir lock, stopping. */

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

export interface StopList {
  /** Registers how to stop a part that has started. Once the list has been stopped, runs at once. */
  add(stop: () => Promise<void>): void;
  /** Stops every part, the last added first; safe to call more than once. */
  stopAll(): Promise<void>;
}

/**
 * The parts of a stack in start order. A part that finishes starting after the stack was stopped
 * (the run failed or timed out meanwhile) is stopped as soon as it registers, never left running.
 */
export function createStopList(log: (line: string) => void): StopList {
  const stops: (() => Promise<void>)[] = [];
  let stopped = false;
  const run = (stop: () => Promise<void>) => stop().catch((e: unknown) => log(`stop failed: ${String(e)}`));
  const list: StopList = {
    add(stop) {
      if (stopped) void run(stop);
      else stops.push(stop);
    },
    async stopAll() {
      stopped = true;
      for (const stop of stops.splice(0).reverse()) await run(stop);
      running.delete(list);
    },
  };
  running.add(list);
  return list;
}

const running = new Set<StopList>();

/**
 * Stops every stack this process started that is still up, even half-started: for a test's
 * afterAll, when the run it started failed or timed out before stopping its stack itself.
 */
export async function stopStartedStacks(): Promise<void> {
  await Promise.all([...running].map((list) => list.stopAll()));
}
