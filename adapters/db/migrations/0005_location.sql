-- The location (panel) a user chose for new subscriptions; null: the
-- service picks the healthy panel with the fewest subscriptions.
ALTER TABLE users ADD COLUMN preferred_panel_id bigint REFERENCES panels(id);
