-- An operator's refund made at the provider (YooKassa POST /v3/refunds).
-- The admin call only records the request, in its own transaction; the
-- payments subtree's refund_sender sends it outside any transaction with
-- Idempotence-Key = our id, so a crash and a retry never refund twice, and
-- records the provider's answer in a new transaction (the take-back itself
-- goes through payment_refunds, once per provider refund id).
--   requested  recorded, not sent yet
--   sent       sent at least once; the provider's answer is pending, lost
--              or a retry is due (provider_refund_id once it is known)
--   succeeded  the provider refunded; the refund is taken back
--   canceled   the provider canceled the refund; the payment is unchanged
--   failed     the provider refused it (last_error says why)
CREATE TABLE refund_requests (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  payment_id          uuid NOT NULL REFERENCES payments(id),
  amount_minor        bigint NOT NULL CHECK (amount_minor > 0),
  currency            text NOT NULL,
  idempotence_key     text NOT NULL UNIQUE,
  status              text NOT NULL DEFAULT 'requested'
                      CHECK (status IN ('requested', 'sent', 'succeeded', 'canceled', 'failed')),
  provider_refund_id  text,
  attempts            integer NOT NULL DEFAULT 0,
  last_error          text,
  operator_kind       text NOT NULL,
  operator_id         bigint,
  next_attempt_at     timestamptz NOT NULL DEFAULT now(),
  lease_until         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  settled_at          timestamptz,
  CHECK ((status IN ('succeeded', 'canceled', 'failed')) = (settled_at IS NOT NULL))
);

-- At most one unsettled request per payment: what is requested but not
-- settled can never exceed what is left, even if two operators ask at once
-- (the request is checked against the rest under the payment's row lock;
-- this index is the last word).
CREATE UNIQUE INDEX refund_requests_one_unsettled ON refund_requests (payment_id)
  WHERE status IN ('requested', 'sent');

-- The refund_sender's scan: unsettled requests by when they are due.
CREATE INDEX refund_requests_due ON refund_requests (next_attempt_at)
  WHERE status IN ('requested', 'sent');
