-- A notification that failed its check is kept only in part (its first
-- bytes), so strangers posting large bodies cannot fill the disk; the
-- length and SHA-256 of the whole body still say what arrived. Signed ones
-- are kept whole: replays parse them again. Rows that do not say otherwise
-- hold their whole body, and the database computes both values for them.
ALTER TABLE webhook_events ADD COLUMN body_length bigint;
ALTER TABLE webhook_events ADD COLUMN body_sha256 bytea;
UPDATE webhook_events SET body_length = octet_length(raw_body), body_sha256 = sha256(raw_body);
ALTER TABLE webhook_events ALTER COLUMN body_length SET NOT NULL;
ALTER TABLE webhook_events ALTER COLUMN body_sha256 SET NOT NULL;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_body_kept
  CHECK (octet_length(raw_body) <= body_length AND octet_length(body_sha256) = 32);

CREATE FUNCTION webhook_events_whole_body() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.body_length IS NULL THEN
    NEW.body_length := octet_length(NEW.raw_body);
    NEW.body_sha256 := sha256(NEW.raw_body);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER webhook_events_whole_body BEFORE INSERT ON webhook_events
  FOR EACH ROW EXECUTE FUNCTION webhook_events_whole_body();

-- Housekeeping removes the unverified ones after a while.
CREATE INDEX webhook_events_unverified ON webhook_events (received_at) WHERE NOT signature_ok;
