-- The whole domain of vpnbot. Money is integer minor units with an ISO
-- currency (XTR: Telegram Stars); time is timestamptz. The invariants live
-- here, in constraints, so no code path can break them.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE users (
  id             bigserial PRIMARY KEY,
  telegram_id    bigint NOT NULL UNIQUE,
  username       text,
  first_name     text NOT NULL DEFAULT '',
  language       text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ru')),
  referral_code  text NOT NULL UNIQUE CHECK (referral_code ~ '^[A-Za-z0-9_-]{4,32}$'),
  referred_by    bigint REFERENCES users(id),
  balance        bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
  balance_currency text NOT NULL DEFAULT 'RUB' CHECK (balance_currency ~ '^[A-Z]{3,5}$'),
  blocked_bot    boolean NOT NULL DEFAULT false,
  banned         boolean NOT NULL DEFAULT false,
  is_admin       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (referred_by IS NULL OR referred_by <> id)
);

-- Append-only: the balance is the sum of this table, kept in step by the
-- trigger below in the same transaction as every insert.
CREATE TABLE balance_ledger (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id),
  delta       bigint NOT NULL CHECK (delta <> 0),
  currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3,5}$'),
  reason      text NOT NULL CHECK (reason IN ('topup', 'purchase', 'auto_renewal', 'referral_bonus',
                                              'refund', 'admin_adjustment')),
  ref         text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX balance_ledger_user ON balance_ledger (user_id, created_at DESC);

CREATE FUNCTION ledger_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'balance_ledger is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER balance_ledger_append_only BEFORE UPDATE OR DELETE ON balance_ledger
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER balance_ledger_no_truncate BEFORE TRUNCATE ON balance_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();

-- Before the row exists (and before the foreign-key check takes its weaker
-- lock), so concurrent entries for one user queue up instead of deadlocking
-- on a lock upgrade. It also fires for a replay that ON CONFLICT then skips,
-- which only costs the lock.
CREATE FUNCTION ledger_lock_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  user_currency text;
BEGIN
  SELECT balance_currency INTO user_currency FROM users WHERE id = NEW.user_id FOR UPDATE;
  IF user_currency IS DISTINCT FROM NEW.currency THEN
    RAISE EXCEPTION 'ledger currency % does not match the balance currency %', NEW.currency, user_currency
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER balance_ledger_lock_user BEFORE INSERT ON balance_ledger
  FOR EACH ROW EXECUTE FUNCTION ledger_lock_user();

-- After the row exists: only entries actually inserted move the balance.
CREATE FUNCTION ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The CHECK (balance >= 0) on users refuses an overdraft.
  UPDATE users SET balance = balance + NEW.delta WHERE id = NEW.user_id;
  RETURN NEW;
END $$;
CREATE TRIGGER balance_ledger_apply AFTER INSERT ON balance_ledger
  FOR EACH ROW EXECUTE FUNCTION ledger_apply();

-- The balance can change only through the ledger.
CREATE FUNCTION users_guard_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance <> OLD.balance AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'users.balance changes only through balance_ledger'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER users_balance_guard BEFORE UPDATE OF balance ON users
  FOR EACH ROW EXECUTE FUNCTION users_guard_balance();

CREATE TABLE plans (
  id              bigserial PRIMARY KEY,
  code            text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_-]{1,32}$'),
  titles          jsonb NOT NULL CHECK (jsonb_typeof(titles) = 'object' AND titles ? 'en'),
  duration_days   integer NOT NULL CHECK (duration_days > 0),
  traffic_limit_bytes bigint NOT NULL DEFAULT 0 CHECK (traffic_limit_bytes >= 0),
  device_limit    integer NOT NULL DEFAULT 0 CHECK (device_limit >= 0),
  is_trial        boolean NOT NULL DEFAULT false,
  active          boolean NOT NULL DEFAULT true,
  sort_order      integer NOT NULL DEFAULT 0
);

CREATE TABLE plan_prices (
  plan_id   bigint NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  currency  text NOT NULL CHECK (currency ~ '^[A-Z]{3,5}$'),
  amount    bigint NOT NULL CHECK (amount > 0),
  PRIMARY KEY (plan_id, currency)
);

CREATE TABLE panels (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  base_url    text NOT NULL CHECK (base_url ~ '^https?://'),
  inbound_id  integer NOT NULL CHECK (inbound_id > 0),
  active      boolean NOT NULL DEFAULT true
);

CREATE TABLE subscriptions (
  id            bigserial PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users(id),
  plan_id       bigint NOT NULL REFERENCES plans(id),
  kind          text NOT NULL CHECK (kind IN ('trial', 'paid')),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired', 'disabled')),
  starts_at     timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  auto_renew    boolean NOT NULL DEFAULT false,
  panel_id      bigint REFERENCES panels(id),
  client_uuid   uuid NOT NULL UNIQUE,
  client_email  text NOT NULL UNIQUE,
  sub_id        text NOT NULL UNIQUE CHECK (sub_id ~ '^[a-z0-9]{16}$'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (expires_at > starts_at),
  CHECK (kind = 'paid' OR auto_renew = false)
);
-- A free trial once per user, whatever the code does.
CREATE UNIQUE INDEX subscriptions_one_trial ON subscriptions (user_id) WHERE kind = 'trial';
CREATE UNIQUE INDEX subscriptions_email_ci ON subscriptions (lower(client_email));
CREATE INDEX subscriptions_expiry ON subscriptions (status, expires_at);
CREATE INDEX subscriptions_user ON subscriptions (user_id);

CREATE TABLE payments (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id              bigint NOT NULL REFERENCES users(id),
  purpose              text NOT NULL CHECK (purpose IN ('plan', 'topup')),
  plan_id              bigint REFERENCES plans(id),
  subscription_id      bigint REFERENCES subscriptions(id),
  provider             text NOT NULL CHECK (provider IN ('cryptobot', 'yookassa', 'robokassa',
                                                         'stars', 'balance')),
  provider_payment_id  text,
  amount               bigint NOT NULL CHECK (amount > 0),
  currency             text NOT NULL CHECK (currency ~ '^[A-Z]{3,5}$'),
  status               text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'succeeded', 'failed', 'expired', 'refunded',
                                         'mismatch')),
  granted_expiry       timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  expires_at           timestamptz NOT NULL DEFAULT now() + interval '1 hour',
  finalized_at         timestamptz,
  UNIQUE (provider, provider_payment_id),
  CHECK ((purpose = 'plan') = (plan_id IS NOT NULL)),
  CHECK (provider <> 'stars' OR currency = 'XTR'),
  -- A plan payment that succeeded granted exactly one expiry, set at
  -- finalization; nothing else carries one.
  CHECK ((status IN ('succeeded', 'refunded') AND purpose = 'plan') = (granted_expiry IS NOT NULL)),
  CHECK ((status = 'pending') = (finalized_at IS NULL))
);
CREATE INDEX payments_pending ON payments (status, expires_at) WHERE status = 'pending';
CREATE INDEX payments_user ON payments (user_id, created_at DESC);

-- Once final, a payment's money facts never change again.
CREATE FUNCTION payments_guard_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'pending' AND (NEW.amount <> OLD.amount OR NEW.currency <> OLD.currency
      OR NEW.granted_expiry IS DISTINCT FROM OLD.granted_expiry
      OR NOT (NEW.status = OLD.status OR (OLD.status = 'succeeded' AND NEW.status = 'refunded'))) THEN
    RAISE EXCEPTION 'payment % is final', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER payments_final BEFORE UPDATE ON payments
  FOR EACH ROW EXECUTE FUNCTION payments_guard_final();

CREATE TABLE webhook_events (
  id             bigserial PRIMARY KEY,
  provider       text NOT NULL,
  event_id       text NOT NULL,
  raw_body       bytea NOT NULL,
  headers        jsonb NOT NULL DEFAULT '{}'::jsonb,
  signature_ok   boolean NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  processed_at   timestamptz,
  outcome        text,
  UNIQUE (provider, event_id)
);

CREATE TABLE jobs (
  id               bigserial PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('create_client', 'extend_client', 'disable_client',
                                                 'enable_client', 'remove_client', 'notify')),
  subject_id       bigint NOT NULL,
  payload          jsonb NOT NULL DEFAULT '{}'::jsonb,
  state            text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_run_at      timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  idempotency_key  text NOT NULL UNIQUE,
  lease_owner      text,
  lease_expires_at timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
);
CREATE INDEX jobs_due ON jobs (next_run_at) WHERE state = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE state = 'running';

CREATE TABLE notifications (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id),
  kind        text NOT NULL,
  dedupe_key  text NOT NULL UNIQUE,
  payload     jsonb NOT NULL DEFAULT '{}'::jsonb,
  state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz,
  CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);

CREATE TABLE sessions (
  user_id     bigint PRIMARY KEY REFERENCES users(id),
  fsm_state   text NOT NULL DEFAULT 'menu',
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  version     bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE referrals (
  referrer_id    bigint NOT NULL REFERENCES users(id),
  referee_id     bigint NOT NULL UNIQUE REFERENCES users(id),
  bonus_granted  boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (referrer_id, referee_id),
  CHECK (referrer_id <> referee_id)
);

-- Durable hand-off of Telegram updates: stored before the offset moves on.
CREATE TABLE telegram_offsets (
  bot_id          bigint PRIMARY KEY,
  last_update_id  bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE telegram_updates (
  update_id    bigint PRIMARY KEY,
  user_id      bigint,
  raw          jsonb NOT NULL,
  state        text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'handled', 'skipped')),
  received_at  timestamptz NOT NULL DEFAULT now(),
  handled_at   timestamptz
);
CREATE INDEX telegram_updates_pending ON telegram_updates (user_id, update_id) WHERE state = 'received';

CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  actor     text NOT NULL,
  action    text NOT NULL,
  subject   text NOT NULL,
  details   jsonb NOT NULL DEFAULT '{}'::jsonb,
  at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE leases (
  name        text PRIMARY KEY,
  owner       text NOT NULL,
  expires_at  timestamptz NOT NULL
);
