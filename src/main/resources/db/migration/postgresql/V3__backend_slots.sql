-- GPU backends shared by the nodes (PostgreSQL only: on SQLite one node counts them in memory).
-- A row per slot of each backend; a node leases a free one for a task inside the claim that takes
-- the task, renews it while the backend works, and frees it when the backend is done. A dead
-- node's leases run out (lease_until, microseconds) and the slot is free again.
CREATE TABLE backend_slots (
  backend     TEXT NOT NULL,
  slot        INTEGER NOT NULL,
  lease_owner TEXT,             -- the node holding it, NULL when free
  task_id     TEXT,             -- the task it holds it for
  lease_until BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (backend, slot)
);
CREATE INDEX backend_slots_owner ON backend_slots (lease_owner);

-- What the nodes have learnt of each backend, so a dead GPU is found once for all of them: two
-- failures in a row (jobs or probes, from any node) take it out until a probe passes; a busy
-- answer (429, 503) pauses it; probed_at gives each probe to one node.
CREATE TABLE backend_health (
  backend      TEXT PRIMARY KEY,
  healthy      INTEGER NOT NULL DEFAULT 1,
  failures     INTEGER NOT NULL DEFAULT 0,
  problem      TEXT NOT NULL DEFAULT '',
  paused_until BIGINT NOT NULL DEFAULT 0,
  probed_at    BIGINT NOT NULL DEFAULT 0
);
