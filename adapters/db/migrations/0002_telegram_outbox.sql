-- Replies are written in the same transaction that handles the update, so a
-- handled update always has its replies stored and an unhandled one has
-- none. A row moves queued → sending (committed before the HTTP call) →
-- sent | failed. Rows still 'sending' after a crash are in doubt: Telegram
-- has no idempotency key, so they are marked in_doubt and not sent again;
-- that keeps "never answered twice" at the price of, rarely, one lost reply.
CREATE TABLE telegram_outbox (
  id            bigserial PRIMARY KEY,
  chat_id       bigint,  -- null for answers to callback and pre-checkout queries
  lane          smallint NOT NULL CHECK (lane BETWEEN 0 AND 3),
  method        text NOT NULL CHECK (method ~ '^[a-zA-Z]{1,64}$'),
  content_type  text NOT NULL,
  body          bytea NOT NULL,
  update_id     bigint,  -- the update this answers, if any
  state         text NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'in_doubt')),
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  sent_at       timestamptz,
  CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX telegram_outbox_open ON telegram_outbox (id) WHERE state IN ('queued', 'sending');
CREATE INDEX telegram_outbox_update ON telegram_outbox (update_id);

-- Why an update was skipped (flood, malformed, no sender, poison); the flood
-- limit reads it to warn a flooding user only once per window.
ALTER TABLE telegram_updates ADD COLUMN note text;
CREATE INDEX telegram_updates_user_time ON telegram_updates (user_id, received_at);
