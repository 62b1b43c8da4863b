-- Replay of stored notifications whose processing was cut short: each
-- replay counts an attempt and pushes the next one out (backoff), so an
-- event that always fails neither retries forever nor starves the events
-- behind it; after the last attempt it is closed with outcome 'dead'.
ALTER TABLE webhook_events ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE webhook_events ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at)
  WHERE signature_ok AND processed_at IS NULL;
