import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logger.js';
import { withFileLock } from './file-lock.js';
import { findGo, goInstall, onPath } from './go-install.js';

const run = promisify(execFile);

/** The CLI release whose module has no `replace` directive, so `go install` can build it offline-from-GitHub. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

/** Thrown when no Temporal CLI is available and none can be built (no Go toolchain). */
export class TemporalCliUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`Temporal CLI not found and could not be built: ${reason}. Install Go ≥ 1.25 or put \`temporal\` on PATH, or set TEMPORAL_ADDRESS.`);
    this.name = 'TemporalCliUnavailableError';
  }
}

export function heraldCacheDir(): string {
  return process.env.HERALD_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'herald');
}

async function versionOf(path: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 20_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * Finds the Temporal CLI: TEMPORAL_CLI_PATH, then `temporal` on PATH, then Herald's cache; builds it
 * into the cache with `go install` when none is there (minutes, once per machine). Concurrent
 * callers (two `npm start`s, a start and a test run) build it once: the others wait on a lock in
 * the cache and then use that build. Aborting `signal` ends a wait, or stops a build under way.
 */
export async function ensureTemporalCli(logger: Logger, options: { signal?: AbortSignal } = {}): Promise<string> {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) return explicit;
  const fromPath = onPath('temporal');
  if (fromPath && (await versionOf(fromPath))) return fromPath;

  const binDir = join(heraldCacheDir(), 'bin');
  const cached = join(binDir, 'temporal');
  if (await isWanted(cached)) return cached;

  const go = findGo();
  if (!go) throw new TemporalCliUnavailableError('no `go` on PATH');
  mkdirSync(binDir, { recursive: true });
  return withFileLock(join(binDir, '.temporal-build.lock'), async () => {
    if (await isWanted(cached)) return cached; // built by the process we waited for
    logger.info({ module: MODULE, into: binDir }, 'building the Temporal CLI once with go install (a few minutes)');
    const started = Date.now();
    await goInstall(go, {
      modules: [MODULE], into: binDir, signal: options.signal,
      ldflags: `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
      onFailure: (reason) => new TemporalCliUnavailableError(reason),
    });
    logger.info({ seconds: Math.round((Date.now() - started) / 1000) }, 'Temporal CLI built');
    return cached;
  }, {
    ...(options.signal ? { signal: options.signal } : {}),
    onWait: (holder) => logger.info({ pid: holder.pid, since: holder.since }, 'waiting for another process that is building the Temporal CLI'),
  });
}

async function isWanted(path: string): Promise<boolean> {
  return existsSync(path) && ((await versionOf(path))?.includes(TEMPORAL_CLI_VERSION) ?? false);
}
