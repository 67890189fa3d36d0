import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets `herald start` needs and the user did not set, generated once into `dev-secrets.json`
 * in the (git-ignored) data folder and reused: the encryption key, so stored data stays readable
 * across restarts, and the tenant-token key, so GET /tenants/{id}/portal works on a fresh clone.
 * A value set in `env` always wins and is never written down.
 */
export function applyDevSecrets(env: NodeJS.ProcessEnv, dataDir: string, names: readonly string[]): void {
  const missing = names.filter((name) => !env[name]);
  if (missing.length === 0) return;
  const secretsFile = join(dataDir, 'dev-secrets.json');
  mkdirSync(dataDir, { recursive: true });
  const stored = existsSync(secretsFile) ? (JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>) : {};
  const generated = missing.filter((name) => !stored[name]);
  for (const name of generated) stored[name] = randomBytes(32).toString('hex');
  if (generated.length > 0) writeFileSync(secretsFile, JSON.stringify(stored, null, 2), { mode: 0o600 });
  for (const name of missing) env[name] = stored[name];
}
