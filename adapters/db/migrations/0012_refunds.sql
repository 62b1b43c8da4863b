-- Refunds take back what they paid for. Each refund a provider reports is
-- recorded once by its own id (a replay finds it and changes nothing); a
-- payment is 'refunded' when its refunds add up to its amount, partial
-- refunds leave it 'succeeded' and are taken back pro rata.
CREATE TABLE payment_refunds (
  provider    text NOT NULL,
  refund_id   text NOT NULL,
  payment_id  uuid NOT NULL REFERENCES payments(id),
  amount      bigint NOT NULL CHECK (amount > 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, refund_id)
);
CREATE INDEX payment_refunds_payment ON payment_refunds (payment_id);

-- The payment whose finalization earned the referrer's bonus: its refund
-- takes the bonus back.
ALTER TABLE referrals ADD COLUMN bonus_payment_id uuid REFERENCES payments(id);
