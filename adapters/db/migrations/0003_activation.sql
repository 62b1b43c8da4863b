-- The share link a user connects with, stored when the activation job has
-- created the client, so "My subscriptions" and the QR code need no panel
-- call. Null until then.
ALTER TABLE subscriptions ADD COLUMN access_link text;
