import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { untilAborted } from '../process/abortable.js';
import { guardChild } from '../process/child-guardian.js';

/** `go install` of pinned modules into a cache directory: how Herald gets Temporal binaries. */

export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The Go toolchain: `go` on PATH, else the official tarball's location; undefined when there is none. */
export function findGo(): string | undefined {
  return onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

export interface GoInstallOptions {
  /** Module paths with their versions (`mod/cmd/x@v1.2.3`). */
  readonly modules: readonly string[];
  /** Where the binaries land (GOBIN). */
  readonly into: string;
  readonly ldflags?: string;
  /** Aborting it stops the build, compilers included. */
  readonly signal?: AbortSignal | undefined;
  /** Builds the error thrown when go exits non-zero. */
  readonly onFailure: (reason: string) => Error;
}

/**
 * Runs `go install` with CGO off (every module Herald installs is pure Go) and `-mod=mod`. The
 * build gets its own process group, so stopping it stops the compilers it runs too, and it is
 * guarded: it never outlives this process.
 */
export async function goInstall(go: string, options: GoInstallOptions): Promise<void> {
  const args = ['install', ...(options.ldflags ? ['-ldflags', options.ldflags] : []), ...options.modules];
  const child = guardChild(spawn(go, args, {
    env: { ...process.env, GOBIN: options.into, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  }));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(options.onFailure(`go install exited ${code}`))));
  });
  try {
    await (options.signal ? untilAborted(exited, options.signal) : exited);
  } catch (error) {
    if (options.signal?.aborted && child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    throw error;
  }
}
