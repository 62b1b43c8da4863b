-- A plan may deliver a raw share link (vless://...) besides the
-- subscription URL on panels that make the links themselves (Remnawave).
-- Existing plans keep what they delivered: the subscription URL.
ALTER TABLE plans ADD COLUMN raw_link boolean NOT NULL DEFAULT false;
