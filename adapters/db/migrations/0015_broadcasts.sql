-- A broadcast is one message to a segment of the users. Its recipients are
-- materialised when it starts (one row each, durable), so a restart goes on
-- where it stopped and the sender never holds more than a window of them:
-- pending → queued (an outbox row on the broadcast lane, claimed a window at
-- a time) → sent | failed | blocked | in_doubt, or cancelled while pending.
CREATE TABLE broadcasts (
  id           bigserial PRIMARY KEY,
  text         text NOT NULL CHECK (length(text) BETWEEN 1 AND 4096),  -- HTML
  button_text  text,
  button_url   text,           -- a URL button, or
  button_menu  boolean NOT NULL DEFAULT false,  -- a button that opens the menu
  segment      text NOT NULL
               CHECK (segment IN ('all', 'active_paid', 'trial', 'expired', 'never_paid',
                                  'language')),
  language     text CHECK (language IN ('en', 'ru')),
  paid         boolean NOT NULL DEFAULT false,  -- allow_paid_broadcast: 0.1 Star a message
  state        text NOT NULL DEFAULT 'running'
               CHECK (state IN ('running', 'paused', 'cancelled', 'done')),
  total        integer NOT NULL DEFAULT 0,
  created_by   bigint,         -- the admin's Telegram id; null from the API
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  CHECK ((segment = 'language') = (language IS NOT NULL)),
  CHECK (button_url IS NULL OR button_text IS NOT NULL),
  CHECK (NOT button_menu OR button_text IS NOT NULL),
  CHECK (NOT (button_menu AND button_url IS NOT NULL)),
  CHECK ((state IN ('cancelled', 'done')) = (finished_at IS NOT NULL))
);
CREATE INDEX broadcasts_running ON broadcasts (id) WHERE state = 'running';

CREATE TABLE broadcast_recipients (
  broadcast_id  bigint NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
  user_id       bigint NOT NULL REFERENCES users(id),
  chat_id       bigint NOT NULL,
  state         text NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'queued', 'sent', 'failed', 'blocked', 'in_doubt',
                                 'cancelled')),
  -- Housekeeping deletes old outbox rows; the outcome stays here.
  outbox_id     bigint REFERENCES telegram_outbox(id) ON DELETE SET NULL,
  PRIMARY KEY (broadcast_id, user_id),
  CHECK (state <> 'pending' OR outbox_id IS NULL)
);
CREATE INDEX broadcast_recipients_state ON broadcast_recipients (broadcast_id, state, user_id);
CREATE UNIQUE INDEX broadcast_recipients_outbox ON broadcast_recipients (outbox_id);

-- The outbox is the only sender and knows nothing of broadcasts: its own
-- state change carries the outcome to the recipient, in the same
-- transaction, whoever makes it (a recorded result, or a crash's in-doubt
-- settling). A 403 the outbox records as "blocked ..." or "deactivated ..."
-- (telegram::decide's reason) is a user who blocked the bot.
CREATE FUNCTION broadcast_recipient_outcome() RETURNS trigger AS $$
BEGIN
  UPDATE broadcast_recipients SET state = CASE
      WHEN NEW.state = 'sent' THEN 'sent'
      WHEN NEW.state = 'in_doubt' THEN 'in_doubt'
      WHEN NEW.last_error ~ '^(blocked|deactivated) ' THEN 'blocked'
      ELSE 'failed' END
    WHERE outbox_id = NEW.id AND state = 'queued';
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER telegram_outbox_broadcast_outcome
  AFTER UPDATE OF state ON telegram_outbox
  FOR EACH ROW
  WHEN (NEW.lane = 3 AND NEW.state IN ('sent', 'failed', 'in_doubt')
        AND OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION broadcast_recipient_outcome();
