-- Clients of ours that a panel still holds although nothing sold them any
-- more: seen first at `first_seen`, removed only after the grace period and
-- a fresh look at both sides.
CREATE TABLE reconcile_quarantine (
  panel_id     bigint NOT NULL REFERENCES panels(id),
  client_uuid  text NOT NULL,
  email        text NOT NULL,
  first_seen   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (panel_id, client_uuid)
);
