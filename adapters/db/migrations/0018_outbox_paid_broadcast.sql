-- A paid broadcast's rows (allow_paid_broadcast) have their own send rate;
-- the outbox reads that from this column instead of from the request body.
ALTER TABLE telegram_outbox ADD COLUMN paid_broadcast boolean NOT NULL DEFAULT false;
UPDATE telegram_outbox SET paid_broadcast = true
  WHERE state = 'queued' AND lane = 3
    AND position('"allow_paid_broadcast":true'::bytea IN body) > 0;
