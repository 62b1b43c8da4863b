-- The money path's invariants after a chaos run (docs/CHAOS.md): one row per
-- broken invariant, its name and how many rows break it; no rows when all
-- hold. Run it on a settled database (no job or notification in flight).
WITH refunds AS (
  SELECT p.id, p.amount, p.status, coalesce(sum(r.amount), 0) AS refunded
    FROM payments p LEFT JOIN payment_refunds r ON r.payment_id = p.id
   GROUP BY p.id
), checks(invariant, broken) AS (
  -- A succeeded plan payment granted one expiry and queued one activation job.
  SELECT 'plan payment without exactly one activation job and a granted expiry', count(*)
    FROM payments p
   WHERE p.status = 'succeeded' AND p.purpose = 'plan'
     AND (p.granted_expiry IS NULL
          OR (SELECT count(*) FROM jobs j WHERE j.idempotency_key = 'payment:' || p.id) <> 1)
  UNION ALL
  -- A succeeded top-up credited its amount once.
  SELECT 'top-up without exactly one ledger credit', count(*)
    FROM payments p
   WHERE p.status = 'succeeded' AND p.purpose = 'topup'
     AND (SELECT count(*) FROM balance_ledger l
           WHERE l.ref = 'payment:' || p.id AND l.reason = 'topup'
             AND l.user_id = p.user_id AND l.delta = p.amount) <> 1
  UNION ALL
  SELECT 'balance differs from the ledger', count(*)
    FROM users u
   WHERE u.balance <> (SELECT coalesce(sum(l.delta), 0) FROM balance_ledger l
                        WHERE l.user_id = u.id)
  UNION ALL
  SELECT 'refunds exceed the payment', count(*) FROM refunds WHERE refunded > amount
  UNION ALL
  SELECT 'refunded status disagrees with the refunds', count(*)
    FROM refunds WHERE (status = 'refunded') <> (refunded = amount)
  UNION ALL
  -- An operator's refund request (YooKassa) ends settled, and one that
  -- succeeded took back what it paid for: its refund is recorded.
  SELECT 'refund request not settled', count(*)
    FROM refund_requests WHERE status IN ('requested', 'sent')
  UNION ALL
  SELECT 'refund request succeeded without its recorded refund', count(*)
    FROM refund_requests r JOIN payments p ON p.id = r.payment_id
   WHERE r.status = 'succeeded'
     AND NOT EXISTS (SELECT 1 FROM payment_refunds f
                      WHERE f.provider = p.provider AND f.refund_id = r.provider_refund_id
                        AND f.payment_id = r.payment_id AND f.amount = r.amount_minor)
  UNION ALL
  SELECT 'refund requested beyond what is left of the payment', count(*)
    FROM refund_requests r JOIN refunds f ON f.id = r.payment_id
   WHERE r.status IN ('requested', 'sent') AND f.refunded + r.amount_minor > f.amount
  UNION ALL
  -- Applied twice: two activation jobs or ledger entries for one payment
  -- (the unique keys forbid it; the check does not rely on them) ...
  SELECT 'payment applied twice', count(*)
    FROM (SELECT j.idempotency_key FROM jobs j WHERE j.idempotency_key LIKE 'payment:%'
           GROUP BY 1 HAVING count(*) > 1
          UNION ALL
          SELECT l.ref FROM balance_ledger l WHERE l.ref LIKE 'payment:%'
           GROUP BY 1 HAVING count(*) > 1) twice
  UNION ALL
  -- ... or more paid time than the user's succeeded plan payments bought
  -- (an hour of slack for the time between finalizations).
  SELECT 'paid time beyond what was paid for', count(*)
    FROM (SELECT p.user_id, sum(pl.duration_days) AS days, min(p.finalized_at) AS first_paid
            FROM payments p JOIN plans pl ON pl.id = p.plan_id
           WHERE p.status = 'succeeded' AND p.purpose = 'plan'
           GROUP BY p.user_id) bought
    JOIN subscriptions s ON s.user_id = bought.user_id AND s.kind = 'paid'
   WHERE s.expires_at > bought.first_paid + bought.days * interval '1 day' + interval '1 hour'
  UNION ALL
  SELECT 'user with a succeeded plan payment and no active paid subscription', count(*)
    FROM (SELECT DISTINCT p.user_id FROM payments p
           WHERE p.status = 'succeeded' AND p.purpose = 'plan') payer
   WHERE NOT EXISTS (SELECT 1 FROM subscriptions s
                      WHERE s.user_id = payer.user_id AND s.kind = 'paid'
                        AND s.status = 'active' AND s.expires_at > now())
  UNION ALL
  -- The key reached the panel: the payment's activation job is done.
  SELECT 'activation job of a payment not done', count(*)
    FROM jobs j WHERE j.idempotency_key LIKE 'payment:%' AND j.state <> 'done'
)
SELECT invariant, broken FROM checks WHERE broken > 0;
