import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from './ports.js';
import { EmbeddedPostgresError, startEmbeddedPostgres } from './postgres.js';

// Exercises src/runtime/postgres.ts (kept here with the data layer's integration tests).
describe('embedded postgres', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'herald-embedded-pg-'));
    await chmod(root, 0o755); // as root, the server runs as the `postgres` user and must reach its data dir
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function query(url: string, sql: string): Promise<unknown[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it('when started twice on one data directory, then the second start reuses the data, and stop is idempotent', async () => {
    const dataDir = join(root, 'reuse');
    const first = await startEmbeddedPostgres({ dataDir, port: await freeLoopbackPort(), databaseName: 'app' });
    await query(first.databaseUrl, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);
    await Promise.all([first.stop(), first.stop()]);
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port: await freeLoopbackPort(), databaseName: 'app' });
    try {
      expect(await query(second.databaseUrl, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
      expect(second.adminUrl).toMatch(/^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres$/);
    } finally {
      await second.stop();
    }
  });

  it('when postmaster.pid names a process that has exited, then the server still starts', async () => {
    const dataDir = join(root, 'stale');
    const server = await startEmbeddedPostgres({ dataDir, port: await freeLoopbackPort() });
    await server.stop();
    const exited = spawnSync('true').pid;
    await writeFile(join(dataDir, 'postmaster.pid'), `${exited}\n${dataDir}\n`);

    const restarted = await startEmbeddedPostgres({ dataDir, port: await freeLoopbackPort() });
    try {
      expect(await query(restarted.databaseUrl, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await restarted.stop();
    }
  });

  it('when the port is taken, then start fails with the server output in the error', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const start = startEmbeddedPostgres({ dataDir: join(root, 'busy'), port });

      await expect(start).rejects.toThrowError(EmbeddedPostgresError);
      await expect(start).rejects.toThrowError(/could not bind|could not create any TCP\/IP sockets/);
    } finally {
      blocker.close();
    }
  });
});
