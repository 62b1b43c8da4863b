-- Several nodes as one cluster. The leader holds the 'leader' row of
-- leases; each change of owner draws a new fencing token from lease_tokens,
-- so a write checked against (owner, token) cannot come from an earlier
-- term of any node. cluster_nodes: every node's heartbeat, so a node learns
-- that a peer is gone even when it cannot reach it.
CREATE SEQUENCE lease_tokens;

ALTER TABLE leases ADD COLUMN token bigint NOT NULL DEFAULT 0;

-- Which node handled an update: on a cluster, each user's on its owner.
ALTER TABLE telegram_updates ADD COLUMN handled_by text;

CREATE TABLE cluster_nodes (
  name          text PRIMARY KEY,
  address       text NOT NULL DEFAULT '',
  started_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now()
);
