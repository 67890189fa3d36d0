-- Up Migration
-- An attempt is a send. Its row is written BEFORE the request goes out (status 'sending', never
-- served by the API) and completed after, so a send whose worker died is never invisible: the next
-- execution of the same attempt finds the unfinished row, marks it failed with code 'interrupted'
-- (the destination may or may not have received it) and sends again as its own row, numbered by
-- send_seq. Completed rows are never rewritten.
ALTER TABLE attempts DROP CONSTRAINT attempts_status_check;
ALTER TABLE attempts ADD CONSTRAINT attempts_status_check CHECK (status IN ('success', 'failed', 'sending'));
ALTER TABLE attempts ADD COLUMN send_seq integer NOT NULL DEFAULT 1 CHECK (send_seq >= 1);
-- While 'sending': until when the claimant may still be sending (the attempt timeout plus a margin,
-- on the database's clock), and who it is, so a re-execution in the same process joins the send.
ALTER TABLE attempts ADD COLUMN lease_until timestamptz;
ALTER TABLE attempts ADD COLUMN claimed_by text;

-- One row per send of an attempt; also serves "latest attempt of an event to a destination".
CREATE UNIQUE INDEX attempts_send_key ON attempts (tenant_id, event_id, destination_id, attempt_number, send_seq);
DROP INDEX attempts_latest_idx;

-- Undispatched events are re-driven by the worker; redrive_after spreads that work over workers
-- and backs off an event whose starts keep failing.
ALTER TABLE events ADD COLUMN redrive_after timestamptz;

-- Down Migration
ALTER TABLE events DROP COLUMN redrive_after;
CREATE INDEX attempts_latest_idx ON attempts (tenant_id, event_id, destination_id, attempt_number DESC);
DROP INDEX attempts_send_key;
DELETE FROM attempts WHERE status = 'sending';
ALTER TABLE attempts DROP COLUMN claimed_by;
ALTER TABLE attempts DROP COLUMN lease_until;
ALTER TABLE attempts DROP COLUMN send_seq;
ALTER TABLE attempts DROP CONSTRAINT attempts_status_check;
ALTER TABLE attempts ADD CONSTRAINT attempts_status_check CHECK (status IN ('success', 'failed'));
