import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logger.js';
import { withFileLock } from './file-lock.js';
import { findGo, goInstall } from './go-install.js';
import { heraldCacheDir } from './temporal-cli.js';

const run = promisify(execFile);

/**
 * The server the Temporal CLI v1.5.1 embeds. Its module has no `replace` directive, so `go install`
 * can build it; later servers pin replaced modules.
 */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
const MODULES = [`go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`, `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`];

export interface TemporalServerBinaries {
  /** `temporal-server`: all services in one process (`start`) */
  readonly server: string;
  /** `temporal-sql-tool`: creates and migrates a SQL database's schema */
  readonly sqlTool: string;
}

/** Thrown when the server binaries are not in the cache and cannot be built (no Go toolchain, or the build failed). */
export class TemporalServerUnavailableError extends Error {
  override readonly name = 'TemporalServerUnavailableError';

  constructor(readonly reason: string) {
    super(`Temporal server ${TEMPORAL_SERVER_VERSION} not found and could not be built: ${reason}. Install Go ≥ 1.25.`);
  }
}

/** Where the binaries live in Herald's cache; the version is in the name, so two versions can sit side by side. */
export function temporalServerBinaryPaths(): TemporalServerBinaries {
  const binDir = join(heraldCacheDir(), 'bin');
  return {
    server: join(binDir, `temporal-server-${TEMPORAL_SERVER_VERSION}`),
    sqlTool: join(binDir, `temporal-sql-tool-${TEMPORAL_SERVER_VERSION}`),
  };
}

async function reportsVersion(path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 20_000 });
    return stdout.includes(TEMPORAL_SERVER_VERSION);
  } catch {
    return false;
  }
}

/** The cached binaries when both are there and run; null otherwise. Never builds. */
export async function cachedTemporalServer(): Promise<TemporalServerBinaries | null> {
  const paths = temporalServerBinaryPaths();
  return (await reportsVersion(paths.server)) && (await reportsVersion(paths.sqlTool)) ? paths : null;
}

/**
 * The server binaries from Herald's cache, built there with `go install` when missing (about nine
 * minutes on two cores, once per machine). Concurrent callers build once: the others wait on a lock
 * in the cache and use that build. Aborting `signal` ends a wait, or stops a build under way.
 */
export async function ensureTemporalServer(logger: Logger, options: { signal?: AbortSignal } = {}): Promise<TemporalServerBinaries> {
  const cached = await cachedTemporalServer();
  if (cached) return cached;
  const go = findGo();
  if (!go) throw new TemporalServerUnavailableError('no `go` on PATH');
  const paths = temporalServerBinaryPaths();
  const binDir = join(heraldCacheDir(), 'bin');
  mkdirSync(binDir, { recursive: true });
  return withFileLock(join(binDir, '.temporal-server-build.lock'), async () => {
    const built = await cachedTemporalServer();
    if (built) return built; // by the process we waited for
    // go install names binaries after their package (`server`, `sql`): build aside, then rename.
    const staging = join(binDir, `.temporal-server-${TEMPORAL_SERVER_VERSION}-build`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    logger.info({ modules: MODULES, into: binDir }, 'building the Temporal server once with go install (about 9 minutes)');
    const started = Date.now();
    try {
      await goInstall(go, { modules: MODULES, into: staging, signal: options.signal, onFailure: (reason) => new TemporalServerUnavailableError(reason) });
      renameSync(join(staging, 'server'), paths.server);
      renameSync(join(staging, 'sql'), paths.sqlTool);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    logger.info({ seconds: Math.round((Date.now() - started) / 1000) }, 'Temporal server built');
    return paths;
  }, {
    ...(options.signal ? { signal: options.signal } : {}),
    onWait: (holder) => logger.info({ pid: holder.pid, since: holder.since }, 'waiting for another process that is building the Temporal server'),
  });
}
