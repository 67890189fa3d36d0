import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyDevSecrets } from './dev-secrets.js';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dev-secrets-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the secrets herald start generates', () => {
  it('when neither is set, then both are generated once, kept private, and the same on the next start', () => {
    const dir = dataDir();
    const first: NodeJS.ProcessEnv = {};
    applyDevSecrets(first, dir, ['AES_ENCRYPTION_SECRET', 'API_JWT_SECRET']);
    expect(first.AES_ENCRYPTION_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(first.API_JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'dev-secrets.json')).mode & 0o777).toBe(0o600);
    const second: NodeJS.ProcessEnv = {};
    applyDevSecrets(second, dir, ['AES_ENCRYPTION_SECRET', 'API_JWT_SECRET']);
    expect(second).toEqual(first);
  });

  it('when an earlier build kept only the encryption key, then it is kept and the token key is added', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'dev-secrets.json'), JSON.stringify({ AES_ENCRYPTION_SECRET: 'kept' }));
    const env: NodeJS.ProcessEnv = {};
    applyDevSecrets(env, dir, ['AES_ENCRYPTION_SECRET', 'API_JWT_SECRET']);
    expect(env.AES_ENCRYPTION_SECRET).toBe('kept');
    expect(JSON.parse(readFileSync(join(dir, 'dev-secrets.json'), 'utf8'))).toEqual({ AES_ENCRYPTION_SECRET: 'kept', API_JWT_SECRET: env.API_JWT_SECRET });
  });

  it('when the user set a secret, then it wins and is not written down', () => {
    const dir = dataDir();
    const env: NodeJS.ProcessEnv = { API_JWT_SECRET: 'mine' };
    applyDevSecrets(env, dir, ['AES_ENCRYPTION_SECRET', 'API_JWT_SECRET']);
    expect(env.API_JWT_SECRET).toBe('mine');
    expect(readFileSync(join(dir, 'dev-secrets.json'), 'utf8')).not.toContain('mine');
  });
});
