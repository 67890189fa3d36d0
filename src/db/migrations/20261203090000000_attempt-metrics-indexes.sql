-- Up Migration
-- The metrics API aggregates a month of attempts per tenant, per destination or across tenants.
-- The three time-ordered indexes the attempt lists page through also carry the columns the
-- measures and dimensions read (except the event's topic), so those aggregates are index-only
-- scans over the matching entries rather than reads of the whole rows. They replace the narrower
-- indexes with the same keys: no index more per write, wider entries instead. Building them
-- blocks writes to attempts while it runs (seconds per million rows).
DROP INDEX attempts_tenant_id_time_idx;
DROP INDEX attempts_destination_time_idx;
DROP INDEX attempts_time_idx;
CREATE INDEX attempts_tenant_id_time_idx ON attempts (tenant_id, time DESC, id DESC)
  INCLUDE (destination_id, destination_type, status, code, attempt_number, manual);
CREATE INDEX attempts_destination_time_idx ON attempts (tenant_id, destination_id, time DESC, id DESC)
  INCLUDE (destination_type, status, code, attempt_number, manual);
CREATE INDEX attempts_time_idx ON attempts (time DESC, id DESC)
  INCLUDE (tenant_id, destination_id, destination_type, status, code, attempt_number, manual);

-- Down Migration
DROP INDEX attempts_tenant_id_time_idx;
DROP INDEX attempts_destination_time_idx;
DROP INDEX attempts_time_idx;
CREATE INDEX attempts_tenant_id_time_idx ON attempts (tenant_id, time DESC, id DESC);
CREATE INDEX attempts_destination_time_idx ON attempts (tenant_id, destination_id, time DESC, id DESC);
CREATE INDEX attempts_time_idx ON attempts (time DESC, id DESC);
