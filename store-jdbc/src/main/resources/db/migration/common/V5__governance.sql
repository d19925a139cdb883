-- Governance (issue 4): API tokens, versioned safety policies and the hash-chained audit trail.
-- Conventions as in V1: workspace_id on every row, every query filters by it, times at microseconds.

-- One row per token. Only the SHA-256 of its secret is kept, in hexadecimal: authentication is one
-- lookup by that hash (hence the unique index); the secret is shown once at creation and never stored.
-- Token ids (tok_ + 12 hex) are unique across workspaces; every query but authentication also filters
-- by workspace, so another workspace's token id is simply not found.
CREATE TABLE api_tokens (
  id            VARCHAR(32) NOT NULL PRIMARY KEY,
  workspace_id  VARCHAR(64) NOT NULL,
  name          TEXT NOT NULL,
  role          VARCHAR(16) NOT NULL,
  secret_sha256 VARCHAR(64) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by    TEXT NOT NULL,
  last_used_at  TIMESTAMP WITH TIME ZONE,
  revoked_at    TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX api_tokens_by_secret ON api_tokens (secret_sha256);
CREATE INDEX api_tokens_by_workspace ON api_tokens (workspace_id, created_at, id);
-- Added after the index so that H2 reuses it for the key instead of adding another.
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id);

-- Every version of every policy: a write adds a row and clears 'latest' on the row it replaces, so
-- exactly one row per policy id is latest. 'policy' is the Policy as JSON (for a deleting version,
-- the policy that was deleted). The key refuses a second writer of the same version.
CREATE TABLE policies (
  workspace_id VARCHAR(64) NOT NULL,
  id           VARCHAR(64) NOT NULL,
  version      INTEGER NOT NULL,
  latest       BOOLEAN NOT NULL,
  deleted      BOOLEAN NOT NULL,
  policy       TEXT NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_by   TEXT NOT NULL,
  PRIMARY KEY (workspace_id, id, version)
);
CREATE INDEX policies_latest ON policies (workspace_id, latest, id);

-- A counter per workspace, moved in the same transaction as every policy write: callers read it
-- (one row by key) to know when to rebuild their compiled policies. Updating it first also
-- serialises a workspace's policy writes.
CREATE TABLE policy_revisions (
  workspace_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES workspaces (id),
  revision     BIGINT NOT NULL
);

-- The newest entry of each workspace's audit chain. Appenders lock this row (SELECT ... FOR UPDATE)
-- and update it in the transaction that inserts their entries, so appends from every process are
-- serialised per workspace and seq has no gaps. verify() also checks the chain reaches it.
CREATE TABLE audit_heads (
  workspace_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES workspaces (id),
  seq          BIGINT NOT NULL,
  hash         VARCHAR(64) NOT NULL
);

-- The audit trail: one row per entry, chained by hash (see dev.maestro.engine.audit.AuditChain for
-- what the hash covers). details is canonical JSON. Rows are written only together with
-- audit_heads, which is why there is no foreign key to workspaces here.
CREATE TABLE audit_log (
  workspace_id VARCHAR(64) NOT NULL,
  seq          BIGINT NOT NULL,
  at           TIMESTAMP WITH TIME ZONE NOT NULL,
  actor        TEXT NOT NULL,
  action       VARCHAR(64) NOT NULL,
  target       TEXT,
  decision     VARCHAR(32),
  policy       VARCHAR(64),
  details      TEXT,
  prev_hash    VARCHAR(64) NOT NULL,
  hash         VARCHAR(64) NOT NULL,
  PRIMARY KEY (workspace_id, seq)
);
-- Filters of AuditQuery; each ends with seq so that matches come in chain order.
CREATE INDEX audit_log_by_actor ON audit_log (workspace_id, actor, seq);
CREATE INDEX audit_log_by_action ON audit_log (workspace_id, action, seq);
CREATE INDEX audit_log_by_target ON audit_log (workspace_id, target, seq);
CREATE INDEX audit_log_by_time ON audit_log (workspace_id, at, seq);
