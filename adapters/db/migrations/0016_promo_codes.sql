-- Promo codes. A code is redeemed at most uses_limit times in all and, when
-- per_user_once, once per user: the redeeming transaction locks the code's
-- row, so concurrent redemptions queue up, and the counter's CHECK and the
-- unique (code, user, nth) are the backstops if code ever forgot to.
CREATE TABLE promo_codes (
  id             bigserial PRIMARY KEY,
  code           text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{3,32}$'),
  kind           text NOT NULL CHECK (kind IN ('days', 'percent_off', 'fixed_off', 'balance_credit')),
  amount         bigint NOT NULL CHECK (amount > 0),
  -- Of fixed_off and balance_credit amounts (minor units); null otherwise.
  currency       text CHECK (currency ~ '^[A-Z]{3,5}$'),
  uses_limit     integer CHECK (uses_limit > 0),
  uses           integer NOT NULL DEFAULT 0 CHECK (uses >= 0 AND (uses_limit IS NULL OR uses <= uses_limit)),
  per_user_once  boolean NOT NULL DEFAULT true,
  valid_until    timestamptz,
  -- Plan codes the promo applies to; empty: every plan.
  plans          text[] NOT NULL DEFAULT '{}',
  enabled        boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'percent_off' OR amount < 100),
  CHECK ((kind IN ('fixed_off', 'balance_credit')) = (currency IS NOT NULL))
);
-- Codes are matched without regard to case.
CREATE UNIQUE INDEX promo_codes_code_ci ON promo_codes (lower(code));

-- One row per redemption. A discount (percent_off, fixed_off) waits here for
-- the user's next order of a plan it applies to; the finalizer consumes it
-- with that order's payment, once.
CREATE TABLE promo_redemptions (
  id                   bigserial PRIMARY KEY,
  promo_code_id        bigint NOT NULL REFERENCES promo_codes(id),
  user_id              bigint NOT NULL REFERENCES users(id),
  nth                  integer NOT NULL CHECK (nth > 0),  -- the user's nth redemption of the code
  consumed_payment_id  uuid UNIQUE REFERENCES payments(id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (promo_code_id, user_id, nth)
);
CREATE INDEX promo_redemptions_user ON promo_redemptions (user_id);

-- An order priced with a discount names it, and keeps its undiscounted price
-- to show struck through.
ALTER TABLE payments ADD COLUMN promo_redemption_id bigint REFERENCES promo_redemptions(id);
ALTER TABLE payments ADD COLUMN list_amount bigint CHECK (list_amount IS NULL OR list_amount >= amount);

-- A balance credit from a promo code is its own ledger reason.
ALTER TABLE balance_ledger DROP CONSTRAINT balance_ledger_reason_check;
ALTER TABLE balance_ledger ADD CONSTRAINT balance_ledger_reason_check
  CHECK (reason IN ('topup', 'purchase', 'auto_renewal', 'referral_bonus', 'refund',
                    'admin_adjustment', 'promo'));
