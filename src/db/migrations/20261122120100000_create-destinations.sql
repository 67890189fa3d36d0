-- Up Migration
CREATE TABLE destinations (
  pk           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id),
  id           text NOT NULL,
  type         text NOT NULL,
  topics       text[] NOT NULL CHECK (cardinality(topics) > 0),
  filter       jsonb,
  config       jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- secret-box sealed JSON {credentials, deliveryMetadata}: both are encrypted at rest.
  secrets      bytea NOT NULL,
  metadata     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  disabled_at  timestamptz,
  deleted_at   timestamptz
);

-- Only live destinations hold their id: ids of soft-deleted destinations can be reused.
-- Also serves every per-tenant read (get, list, listEnabled, summary).
CREATE UNIQUE INDEX destinations_tenant_id_id_key ON destinations (tenant_id, id) WHERE deleted_at IS NULL;

-- Down Migration
DROP TABLE destinations;
