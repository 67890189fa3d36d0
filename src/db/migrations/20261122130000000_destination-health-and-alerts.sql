-- Up Migration
-- Set while a destination has a consecutive-failure streak, so a delivery attempt that succeeds
-- needs to report to the destination's entity workflow only when there is a streak to reset.
ALTER TABLE destinations ADD COLUMN failing boolean NOT NULL DEFAULT false;

-- Suppression windows of alerts (alert.attempt.exhausted_retries per event+destination).
-- `claimed_by` lets the same claimant (a retried activity) claim again, so a claim followed by a
-- failed send does not swallow the alert.
CREATE TABLE alert_suppressions (
  key          text PRIMARY KEY,
  last_sent_at timestamptz NOT NULL,
  claimed_by   text NOT NULL
);

-- Down Migration
DROP TABLE alert_suppressions;
ALTER TABLE destinations DROP COLUMN failing;
