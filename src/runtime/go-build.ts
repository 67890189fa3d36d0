/** Herald's own small Go programs (tools/<name>/), each built once into Herald's cache. */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { secondsSince } from './brokers/broker-process.js';
import { inputsHash, runInstallStep } from './brokers/install-step.js';
import { findGo } from './go-install.js';
import { heraldCacheDir } from './temporal-cli.js';

export interface GoToolBuild {
  /** For log lines: `the Pub/Sub emulator`. */
  readonly label: string;
  /** The Go module folder holding main.go, go.mod and go.sum. */
  readonly sourceDir: string;
  /** Binary name prefix in the cache; the inputs hash follows it. */
  readonly binaryPrefix: string;
  readonly logger: Logger;
  /** The error thrown when there is no Go, or the build fails. */
  readonly onFailure: (reason: string) => Error;
}

/** Builds of other sources unused for this long are removed; a younger one may belong to another checkout's run. */
const STALE_BUILD_MS = 7 * 86_400_000;

/**
 * Returns `<cache>/bin/<prefix><hash>`, keyed by main.go, go.mod and go.sum, building it with
 * `go build` when missing. Concurrent first builds are safe: each builds into a file of its own
 * and renames it into place, and a rename over an existing binary replaces it whole.
 */
export async function ensureGoTool(tool: GoToolBuild): Promise<string> {
  const sources = ['main.go', 'go.mod', 'go.sum'].map((file) => join(tool.sourceDir, file));
  const binDir = join(heraldCacheDir(), 'bin');
  const binary = join(binDir, `${tool.binaryPrefix}${inputsHash(sources)}`);
  if (existsSync(binary)) return binary;

  const go = findGo();
  if (!go) throw tool.onFailure('no `go` on PATH');
  const started = Date.now();
  tool.logger.info({ into: binary }, `building ${tool.label} with go build (once per source change)`);
  mkdirSync(binDir, { recursive: true });
  const building = `${binary}.building-${process.pid}`;
  try {
    await runInstallStep(go, ['build', '-trimpath', '-ldflags', '-s -w', '-o', building, '.'], {
      cwd: tool.sourceDir,
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly -buildvcs=false' },
    });
    renameSync(building, binary);
  } catch (error) {
    rmSync(building, { force: true });
    tool.logger.error({ err: error }, `building ${tool.label} failed`);
    throw tool.onFailure('go build failed (see the log)');
  }
  removeOtherBuilds(binDir, tool.binaryPrefix, binary);
  tool.logger.info({ seconds: secondsSince(started) }, `${tool.label} built`);
  return binary;
}

function removeOtherBuilds(binDir: string, prefix: string, keep: string): void {
  for (const name of readdirSync(binDir)) {
    const path = join(binDir, name);
    if (!name.startsWith(prefix) || name.includes('.building-') || path === keep) continue;
    if (Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) rmSync(path, { force: true });
  }
}
