import type pg from 'pg';

export interface AlertRepository {
  /**
   * Claims the right to send the alert `key` now: true when none was sent within `windowSeconds`
   * (0 = always). Atomic, so concurrent claimants get one true between them.
   */
  claim(key: string, windowSeconds: number): Promise<boolean>;
}

export function createAlertRepository(pool: pg.Pool): AlertRepository {
  return {
    async claim(key, windowSeconds) {
      const { rowCount } = await pool.query(
        `INSERT INTO alert_suppressions (key, last_sent_at) VALUES ($1, now())
         ON CONFLICT (key) DO UPDATE SET last_sent_at = now()
          WHERE alert_suppressions.last_sent_at <= now() - make_interval(secs => $2)`,
        [key, windowSeconds],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}
