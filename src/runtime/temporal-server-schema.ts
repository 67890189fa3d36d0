import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TemporalPostgres } from './temporal-server-config.js';

const run = promisify(execFile);

/** Reads host, port and credentials from a Postgres URL; the databases are Temporal's own. */
export function temporalPostgresFromUrl(url: string, databases = { database: 'temporal', visibilityDatabase: 'temporal_visibility' }): TemporalPostgres {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    ...databases,
  };
}

/** Thrown when temporal-sql-tool fails; `output` is what it printed. */
export class TemporalSchemaError extends Error {
  override readonly name = 'TemporalSchemaError';

  constructor(readonly step: string, readonly output: string) {
    super(`temporal-sql-tool ${step} failed:\n${output}`);
  }
}

/**
 * Creates Temporal's two databases if missing and brings their schema to the version this server
 * binary embeds, as the server's own setup scripts do: `create-database`, `setup-schema -v 0.0`
 * (the version table), then `update-schema` through every versioned step. The versioned schema
 * files are compiled into temporal-sql-tool (`--schema-name`), so no source checkout or Go module
 * cache is needed. Idempotent: a database at the current version is left as it is.
 */
export async function setupTemporalPostgresSchema(sqlTool: string, target: TemporalPostgres): Promise<void> {
  const existing = await existingDatabases(target, [target.database, target.visibilityDatabase]);
  const schemas = [
    { database: target.database, name: 'postgresql/v12/temporal' },
    { database: target.visibilityDatabase, name: 'postgresql/v12/visibility' },
  ];
  for (const { database, name } of schemas) {
    // Credentials go through the environment, not argv, so they do not show in `ps`.
    const env = {
      ...process.env,
      SQL_PLUGIN: 'postgres12', SQL_HOST: target.host, SQL_PORT: String(target.port),
      SQL_USER: target.user, SQL_PASSWORD: target.password, SQL_DATABASE: database,
    };
    const step = async (args: string[]) => {
      try {
        await run(sqlTool, args, { env, timeout: 120_000 });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string; message: string };
        throw new TemporalSchemaError(`${args.join(' ')} (${database})`, `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message);
      }
    };
    if (!existing.has(database)) await step(['create-database', '--defaultdb', 'postgres']);
    await step(['setup-schema', '-v', '0.0']);
    await step(['update-schema', '--schema-name', name]);
  }
}

async function existingDatabases(target: TemporalPostgres, names: readonly string[]): Promise<Set<string>> {
  const client = new pg.Client({ host: target.host, port: target.port, user: target.user, password: target.password, database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]);
    return new Set(rows.map((r) => r.datname));
  } finally {
    await client.end();
  }
}
