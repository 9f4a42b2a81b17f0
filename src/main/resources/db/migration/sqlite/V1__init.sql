-- Times are microseconds since the Unix epoch; money is in units (10,000,000 units = 1 USD).

CREATE TABLE api_keys (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  key_hash       TEXT NOT NULL UNIQUE,   -- SHA-256 of the key; the key itself is never stored
  key_prefix     TEXT NOT NULL,          -- first characters, to recognise a key in listings
  created_at     BIGINT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0,
  is_admin       INTEGER NOT NULL DEFAULT 0,
  unlimited      INTEGER NOT NULL DEFAULT 0,
  balance        BIGINT NOT NULL DEFAULT 0, -- available units, holds already taken off; equals the sum of the key's ledger
  max_concurrent INTEGER                    -- NULL: the server's default
);

CREATE TABLE tasks (
  id               TEXT PRIMARY KEY,
  key_id           TEXT NOT NULL REFERENCES api_keys(id),
  model            TEXT NOT NULL,
  task_type        TEXT NOT NULL,
  status           TEXT NOT NULL,          -- pending, processing, completed, failed
  engine           TEXT NOT NULL,
  input_json       TEXT NOT NULL,          -- the normalised input echoed to clients
  config_json      TEXT NOT NULL,          -- the echoed config, webhook secret blanked
  webhook_endpoint TEXT,
  webhook_secret   TEXT,
  output_json      TEXT,
  error_code       INTEGER NOT NULL DEFAULT 0,
  error_message    TEXT,
  error_raw        TEXT,
  logs_json        TEXT NOT NULL DEFAULT '[]',
  progress         DOUBLE PRECISION NOT NULL DEFAULT 0,
  stage            TEXT,
  seed             BIGINT NOT NULL,
  created_at       BIGINT NOT NULL,
  started_at       BIGINT,
  ended_at         BIGINT,
  frozen           BIGINT NOT NULL DEFAULT 0,
  consumed         BIGINT NOT NULL DEFAULT 0,
  idempotency_key  TEXT,
  request_hash     TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  lease_owner      TEXT,
  lease_until      BIGINT,
  version          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_key_created ON tasks(key_id, created_at);
CREATE INDEX tasks_queue ON tasks(status, engine, created_at);
CREATE INDEX tasks_key_status ON tasks(key_id, status);
CREATE UNIQUE INDEX tasks_idempotency ON tasks(key_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Append-only: every change of a key's balance is one row here.
CREATE TABLE ledger (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  key_id        TEXT NOT NULL REFERENCES api_keys(id),
  task_id       TEXT,
  kind          TEXT NOT NULL,            -- credit, hold, release, charge
  units         BIGINT NOT NULL,          -- signed change of the balance
  balance_after BIGINT NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE INDEX ledger_key ON ledger(key_id, id);
CREATE INDEX ledger_task ON ledger(task_id);

CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY,       -- the webhook-id header, stable across retries
  task_id         TEXT NOT NULL,
  endpoint        TEXT NOT NULL,
  secret          TEXT,
  event           TEXT NOT NULL,          -- the task status this event announces
  payload         TEXT NOT NULL,
  state           TEXT NOT NULL,          -- pending, delivered, failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_status     INTEGER,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  delivered_at    BIGINT
);
CREATE INDEX webhook_due ON webhook_deliveries(state, next_attempt_at);
CREATE INDEX webhook_task ON webhook_deliveries(task_id);

CREATE TABLE webhook_attempts (
  delivery_id TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  at          BIGINT NOT NULL,
  http_status INTEGER,
  error       TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);

CREATE TABLE uploads (
  id         TEXT PRIMARY KEY,
  key_id     TEXT NOT NULL,
  file_name  TEXT NOT NULL,
  blob_key   TEXT NOT NULL,
  size       BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX uploads_expiry ON uploads(expires_at);
