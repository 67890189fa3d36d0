import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedTemporalServer, ensureTemporalServer, temporalServerBinaryPaths } from './temporal-server.js';

/**
 * A fake `go` on PATH stands in for the nine-minute build: it records its arguments and writes a
 * `server` and a `sql` that print the wanted version into GOBIN, named as `go install` names them.
 */
const FAKE_GO = `#!/bin/sh
echo "$*" >> "$FAKE_GO_LOG"
for bin in server sql; do
  printf '#!/bin/sh\\necho "temporal-$bin version 1.29.1"\\n' > "$GOBIN/$bin"
  chmod +x "$GOBIN/$bin"
done
`;
const silent = pino({ level: 'silent' });
const saved = { ...process.env };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-server-build-'));
  mkdirSync(join(dir, 'fake-bin'));
  writeFileSync(join(dir, 'fake-bin', 'go'), FAKE_GO);
  chmodSync(join(dir, 'fake-bin', 'go'), 0o755);
  Object.assign(process.env, { PATH: `${join(dir, 'fake-bin')}:/usr/bin:/bin`, HERALD_CACHE_DIR: join(dir, 'cache'), FAKE_GO_LOG: join(dir, 'go-runs.log') });
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

const goRuns = () => (existsSync(join(dir, 'go-runs.log')) ? readFileSync(join(dir, 'go-runs.log'), 'utf8').trim().split('\n') : []);

describe('ensureTemporalServer', () => {
  it('when the cache is empty, then both binaries are built in one go install and land under versioned names', async () => {
    expect(await cachedTemporalServer()).toBeNull();
    const binaries = await ensureTemporalServer(silent);
    expect(binaries).toEqual(temporalServerBinaryPaths());
    expect(binaries.server).toBe(join(dir, 'cache', 'bin', 'temporal-server-1.29.1'));
    expect(binaries.sqlTool).toBe(join(dir, 'cache', 'bin', 'temporal-sql-tool-1.29.1'));
    expect(goRuns()).toEqual(['install go.temporal.io/server/cmd/server@v1.29.1 go.temporal.io/server/cmd/tools/sql@v1.29.1']);
    // Nothing left of the staging directory or the lock.
    expect(readdirSync(join(dir, 'cache', 'bin')).sort()).toEqual(['temporal-server-1.29.1', 'temporal-sql-tool-1.29.1']);
  });

  it('when the binaries are already in the cache, then go does not run', async () => {
    await ensureTemporalServer(silent);
    await expect(ensureTemporalServer(silent)).resolves.toEqual(temporalServerBinaryPaths());
    expect(goRuns()).toHaveLength(1);
  });
});
