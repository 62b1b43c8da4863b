-- CoinGate is a provider payments may name.
ALTER TABLE payments DROP CONSTRAINT payments_provider_check;
ALTER TABLE payments ADD CONSTRAINT payments_provider_check
  CHECK (provider IN ('cryptobot', 'yookassa', 'robokassa', 'coingate', 'stars', 'balance'));
