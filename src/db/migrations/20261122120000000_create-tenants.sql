-- Up Migration
CREATE TABLE tenants (
  id          text PRIMARY KEY,
  metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- Soft delete: a deleted tenant reads as absent, and a later PUT revives it as a new tenant.
  deleted_at  timestamptz
);

-- Down Migration
DROP TABLE tenants;
