-- What the panel counted for a subscription's client (up + down), as last
-- read by the traffic meter; null until the first reading.
ALTER TABLE subscriptions ADD COLUMN traffic_used_bytes bigint CHECK (traffic_used_bytes >= 0);
ALTER TABLE subscriptions ADD COLUMN traffic_checked_at timestamptz;
