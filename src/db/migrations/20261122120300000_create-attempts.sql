-- Up Migration
-- Log table: no foreign keys, so retention can delete or partition it independently.
CREATE TABLE attempts (
  -- Deterministic per delivery workflow + attempt number: a re-run activity upserts the same row.
  id                 text PRIMARY KEY,
  tenant_id          text NOT NULL,
  event_id           text NOT NULL,
  destination_id     text NOT NULL,
  destination_type   text NOT NULL,
  attempt_number     integer NOT NULL CHECK (attempt_number >= 1),
  manual             boolean NOT NULL,
  status             text NOT NULL CHECK (status IN ('success', 'failed')),
  code               text NOT NULL,
  response_data      jsonb,
  time               timestamptz NOT NULL,
  exhausted_retries  boolean NOT NULL DEFAULT false
);

-- Keyset order (time, id): per tenant, per destination, and across tenants for admin lists.
CREATE INDEX attempts_tenant_id_time_idx ON attempts (tenant_id, time DESC, id DESC);
CREATE INDEX attempts_destination_time_idx ON attempts (tenant_id, destination_id, time DESC, id DESC);
CREATE INDEX attempts_time_idx ON attempts (time DESC, id DESC);
-- Latest attempt for an event+destination (manual retry numbering), and attempts by event.
CREATE INDEX attempts_latest_idx ON attempts (tenant_id, event_id, destination_id, attempt_number DESC);

-- Down Migration
DROP TABLE attempts;
