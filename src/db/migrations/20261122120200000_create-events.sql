-- Up Migration
-- Log table: no foreign keys, so retention can delete or partition it independently of tenants.
CREATE TABLE events (
  tenant_id                text NOT NULL,
  id                       text NOT NULL,
  topic                    text NOT NULL,
  time                     timestamptz NOT NULL,
  eligible_for_retry       boolean NOT NULL,
  metadata                 jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- json, not jsonb: keeps the payload text as given (key order included).
  data                     json NOT NULL,
  -- Publish-time routing hint: the one destination the publisher named, if any.
  destination_id           text,
  matched_destination_ids  text[] NOT NULL DEFAULT '{}',
  created_at               timestamptz NOT NULL DEFAULT now(),
  -- Set once the event's delivery workflows were started; NULL rows are left for recovery.
  dispatched_at            timestamptz,
  PRIMARY KEY (tenant_id, id)
);

-- Keyset order (time, id, tenant_id): per tenant, and across tenants for admin lists.
CREATE INDEX events_tenant_id_time_idx ON events (tenant_id, time DESC, id DESC);
CREATE INDEX events_time_idx ON events (time DESC, id DESC, tenant_id DESC);
-- Admin lookup of an event by id without its tenant.
CREATE INDEX events_id_idx ON events (id);
CREATE INDEX events_undispatched_idx ON events (created_at) WHERE dispatched_at IS NULL;

-- Down Migration
DROP TABLE events;
