import type pg from 'pg';

export interface AlertRepository {
  /**
   * Claims the right to send the alert `key` now: true when none was sent within `windowSeconds`
   * (0 = always), or when `claimant` (e.g. an attempt id) already holds the claim, so a retried
   * sender is not suppressed by its own earlier claim. Atomic between concurrent claimants.
   */
  claim(key: string, windowSeconds: number, claimant: string): Promise<boolean>;
}

export function createAlertRepository(pool: pg.Pool): AlertRepository {
  return {
    async claim(key, windowSeconds, claimant) {
      const { rowCount } = await pool.query(
        `INSERT INTO alert_suppressions (key, last_sent_at, claimed_by) VALUES ($1, now(), $3)
         ON CONFLICT (key) DO UPDATE SET last_sent_at = now(), claimed_by = $3
          WHERE alert_suppressions.claimed_by = $3
             OR alert_suppressions.last_sent_at <= now() - make_interval(secs => $2)`,
        [key, windowSeconds, claimant],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}
