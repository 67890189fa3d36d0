-- Up Migration
-- Herald processes cache each tenant's destinations for the publish and attempt hot paths. Every
-- committed change to a destination row notifies channel 'herald_destinations' with its tenant id,
-- so each process drops that tenant's cached set within milliseconds of the commit.
CREATE FUNCTION herald_notify_destination_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('herald_destinations', COALESCE(NEW.tenant_id, OLD.tenant_id));
  RETURN NULL;
END;
$$;
CREATE TRIGGER destinations_notify_change
  AFTER INSERT OR UPDATE OR DELETE ON destinations
  FOR EACH ROW EXECUTE FUNCTION herald_notify_destination_change();

-- Down Migration
DROP TRIGGER destinations_notify_change ON destinations;
DROP FUNCTION herald_notify_destination_change();
