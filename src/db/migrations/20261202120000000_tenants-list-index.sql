-- Up Migration
-- GET /tenants pages live tenants by (created_at, id) in either direction.
CREATE INDEX tenants_live_created_at_id ON tenants (created_at, id) WHERE deleted_at IS NULL;

-- Down Migration
DROP INDEX tenants_live_created_at_id;
