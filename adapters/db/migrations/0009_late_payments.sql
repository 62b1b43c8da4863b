-- Money that arrives after we gave up on a payment (its TTL expired it, or
-- it failed / was cancelled) is still granted once, or flagged when it does
-- not match: expired | failed → succeeded | mismatch, with amount and
-- currency unchanged. Every other final payment stays frozen as before
-- (only succeeded → refunded).
CREATE OR REPLACE FUNCTION payments_guard_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('expired', 'failed') AND NEW.status IN ('succeeded', 'mismatch')
      AND NEW.amount = OLD.amount AND NEW.currency = OLD.currency THEN
    RETURN NEW;
  END IF;
  IF OLD.status <> 'pending' AND (NEW.amount <> OLD.amount OR NEW.currency <> OLD.currency
      OR NEW.granted_expiry IS DISTINCT FROM OLD.granted_expiry
      OR NOT (NEW.status = OLD.status OR (OLD.status = 'succeeded' AND NEW.status = 'refunded'))) THEN
    RAISE EXCEPTION 'payment % is final', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
