import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureMoto } from './sqs-server.js';
import { BrokerInstallError } from './install-step.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-python-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An executable that behaves like a Python lacking venv support (Debian's python3 without python3-venv). */
function brokenPython(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\necho "No module named ensurepip" >&2\nexit 1\n');
  chmodSync(path, 0o755);
  return path;
}

describe('ensureMoto', () => {
  it('when the named Python cannot make a venv, then the error names it and says what to do', async () => {
    const python = brokenPython('python3-no-venv');
    const failure = await ensureMoto(pino({ level: 'silent' }), { HERALD_PYTHON: python }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BrokerInstallError);
    expect((failure as Error).message).toContain(`no Python that can make a venv (${python})`);
    expect((failure as Error).message).toContain('HERALD_SQS_ENDPOINT');
  });

  it('when HERALD_PYTHON names nothing that runs, then it is refused rather than another Python taken', async () => {
    const failure = await ensureMoto(pino({ level: 'silent' }), { HERALD_PYTHON: join(dir, 'absent-python') }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BrokerInstallError);
    expect((failure as Error).message).toContain('absent-python');
  });
});
