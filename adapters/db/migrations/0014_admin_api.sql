-- The admin API's mutating calls carry an Idempotency-Key: the first answer
-- is kept here, in the transaction of the change it describes, so a repeat
-- with the same key gets that answer and changes nothing.
CREATE TABLE api_idempotency (
  key         text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 255),
  method      text NOT NULL,
  path        text NOT NULL,
  status      integer NOT NULL CHECK (status BETWEEN 100 AND 599),
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
