import type pg from 'pg';

/**
 * Runs `work` in a transaction on a connection from `pool`, committing when it resolves and
 * rolling back when it throws. When `client` is given, `work` runs on it directly: the caller owns
 * that connection and its transaction, so several repository writes can commit together.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  client?: pg.PoolClient,
): Promise<T> {
  if (client) {
    return work(client);
  }
  const own = await pool.connect();
  let broken = false;
  try {
    await own.query('BEGIN');
    const result = await work(own);
    await own.query('COMMIT');
    return result;
  } catch (error) {
    await own.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    // A connection that cannot roll back is in an unknown state: destroy it rather than reuse it.
    own.release(broken);
  }
}
