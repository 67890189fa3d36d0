import pg from 'pg';

export interface PoolOptions {
  /** Maximum open connections (default 10). */
  readonly max?: number;
  /** Shown in `pg_stat_activity` (default `herald`). */
  readonly applicationName?: string;
  /**
   * Called when an idle connection fails (e.g. the server restarts). The pool already discards the
   * connection; without a handler such an error would crash the process. Defaults to a process warning.
   */
  readonly onError?: (error: Error) => void;
  /**
   * How long a query waits for a connection (a new one, or a free one from the pool) before it
   * fails as unavailable (default 2 s): a Postgres that is down or saturated is answered quickly
   * instead of queueing requests into timeouts.
   */
  readonly connectionTimeoutMs?: number;
}

export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'herald',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000,
    // A Postgres that stops answering mid-query (frozen, partitioned) must not hold a request forever.
    query_timeout: 15_000,
  });
  pool.on('error', options.onError ?? ((error) => process.emitWarning(`idle Postgres connection failed: ${error.message}`)));
  return pool;
}
