-- A provider invoice for a pending payment: `number` is the integer some
-- providers need as the order number (Robokassa's InvId), `pay_url` where
-- the payer goes, `invoiced_at` when the invoice was issued (null: the
-- invoice issuer still has to do it; it finds such rows after a crash).
ALTER TABLE payments ADD COLUMN number bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE payments ADD CONSTRAINT payments_number_unique UNIQUE (number);
ALTER TABLE payments ADD COLUMN pay_url text;
ALTER TABLE payments ADD COLUMN invoiced_at timestamptz;
CREATE INDEX payments_to_invoice ON payments (created_at)
  WHERE status = 'pending' AND invoiced_at IS NULL;
