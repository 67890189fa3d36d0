import type { Request, Response } from 'express';
import type { HeraldContext } from '../context.js';

/** Health of each dependency by the name /healthz reports it under: resolves when healthy. */
export type HealthChecks = Record<string, () => Promise<void>>;

/** A dependency check slower than this counts as failed: a health check must answer promptly. */
const HEALTH_CHECK_TIMEOUT_MS = 3_000;

export function withTimeout(check: () => Promise<void>): () => Promise<void> {
  return () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('health check timed out')), HEALTH_CHECK_TIMEOUT_MS);
    });
    return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
  };
}

/** Postgres and Temporal as this process reaches them, each bounded by the health-check timeout. */
export function dependencyChecks(ctx: Pick<HeraldContext, 'pool' | 'connection'>): HealthChecks {
  return {
    postgres: withTimeout(async () => void (await ctx.pool.query('select 1'))),
    temporal: withTimeout(async () => void (await ctx.connection.healthService.check({}))),
  };
}

/**
 * GET /healthz as Outpost answers it: 200 `{status: "healthy", timestamp, workers}` when every
 * check passes, else 503 with `status: "failed"` and each failed one named `failed` (no detail).
 */
export function healthHandler(checks: HealthChecks) {
  return async (_req: Request, res: Response) => {
    const workers: Record<string, { status: string }> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        workers[name] = { status: await check().then(() => 'healthy', () => 'failed') };
      }),
    );
    const ok = Object.values(workers).every((w) => w.status === 'healthy');
    res.status(ok ? 200 : 503).json({ status: ok ? 'healthy' : 'failed', timestamp: new Date().toISOString(), workers });
  };
}
