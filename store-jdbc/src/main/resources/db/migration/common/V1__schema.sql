-- Maestro schema, shared by H2 and PostgreSQL.
-- Every table has a workspace_id and every query filters by it.
-- Free text is TEXT: PostgreSQL text, and in H2 2.5 a CHARACTER VARYING of up to 1,000,000,000
-- characters, stored inline (faster than a CLOB) and not truncated in practice.
-- Times are TIMESTAMP WITH TIME ZONE at microsecond precision in both databases.

CREATE TABLE workspaces (
  id         VARCHAR(64) NOT NULL PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The spec column is the agent's whole AgentSpec as JSON; name, kind and model are copies for queries.
CREATE TABLE agents (
  workspace_id VARCHAR(64) NOT NULL REFERENCES workspaces (id),
  id           VARCHAR(64) NOT NULL,
  name         TEXT NOT NULL,
  kind         VARCHAR(32) NOT NULL,
  model        TEXT NOT NULL,
  status       VARCHAR(16) NOT NULL,
  spec         TEXT NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (workspace_id, id)
);

-- The Run projection, updated in the same transaction as each append to run_events.
-- No foreign key to agents: a run keeps a snapshot of its agent's spec in its run_created event.
CREATE TABLE agent_runs (
  id            VARCHAR(128) NOT NULL PRIMARY KEY,
  workspace_id  VARCHAR(64) NOT NULL,
  agent_id      VARCHAR(64),
  status        VARCHAR(16) NOT NULL,
  input         TEXT,
  output        TEXT,
  error         TEXT,
  model         TEXT,
  steps         INTEGER NOT NULL,
  tool_calls    INTEGER NOT NULL,
  input_tokens  BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  started_at    TIMESTAMP WITH TIME ZONE,
  ended_at      TIMESTAMP WITH TIME ZONE,
  updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seq      BIGINT NOT NULL
);
-- Listing newest first, in all, by agent and by status; unfinished runs come from the status index.
-- Queries repeat the equality columns in ORDER BY so that H2 too reads these in index order.
CREATE INDEX agent_runs_by_created ON agent_runs (workspace_id, created_at DESC, id DESC);
CREATE INDEX agent_runs_by_agent ON agent_runs (workspace_id, agent_id, created_at DESC, id DESC);
CREATE INDEX agent_runs_by_status ON agent_runs (workspace_id, status, created_at DESC, id DESC);
-- Added after the indexes so that H2 reuses agent_runs_by_created for it instead of adding a fourth.
ALTER TABLE agent_runs ADD CONSTRAINT agent_runs_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id);

-- The log: one row per RunEvent, payload is the event as JSON (snake_case, with its "type").
-- Rows are written only together with agent_runs, which is why there is no foreign key to it:
-- the check would cost a lookup per event for nothing.
CREATE TABLE run_events (
  workspace_id VARCHAR(64) NOT NULL,
  run_id       VARCHAR(128) NOT NULL,
  seq          BIGINT NOT NULL,
  type         VARCHAR(32) NOT NULL,
  at           TIMESTAMP WITH TIME ZONE NOT NULL,
  payload      TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- The TraceEntry projection: at most one entry per event, hence the key.
CREATE TABLE agent_reasoning_traces (
  workspace_id VARCHAR(64) NOT NULL,
  run_id       VARCHAR(128) NOT NULL,
  seq          BIGINT NOT NULL,
  step         INTEGER NOT NULL,
  kind         VARCHAR(16) NOT NULL,
  content      TEXT,
  tool         TEXT,
  call_id      TEXT,
  tokens       BIGINT NOT NULL,
  latency_ms   BIGINT NOT NULL,
  at           TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- The tables below are filled by features that come later (memory, approvals, multi-agent
-- patterns, learning); they exist now so the schema starts complete.

CREATE TABLE agent_memory (
  id              VARCHAR(64) NOT NULL PRIMARY KEY,
  workspace_id    VARCHAR(64) NOT NULL REFERENCES workspaces (id),
  agent_id        VARCHAR(64) NOT NULL,
  run_id          VARCHAR(128),
  memory_type     VARCHAR(16) NOT NULL,
  content         TEXT NOT NULL,
  importance      DOUBLE PRECISION NOT NULL,
  embedding_model TEXT,
  metadata        TEXT,
  access_count    INTEGER NOT NULL DEFAULT 0,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  last_accessed   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX agent_memory_by_agent ON agent_memory (workspace_id, agent_id, memory_type, created_at);

CREATE TABLE hitl_requests (
  id                 VARCHAR(64) NOT NULL PRIMARY KEY,
  workspace_id       VARCHAR(64) NOT NULL REFERENCES workspaces (id),
  run_id             VARCHAR(128) NOT NULL,
  call_id            TEXT NOT NULL,
  tool               TEXT NOT NULL,
  arguments          TEXT,
  risk               VARCHAR(16) NOT NULL,
  status             VARCHAR(16) NOT NULL,
  approvals_required INTEGER NOT NULL,
  approvals          TEXT,
  deadline           TIMESTAMP WITH TIME ZONE,
  resolved_by        TEXT,
  comment            TEXT,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  resolved_at        TIMESTAMP WITH TIME ZONE
);
CREATE INDEX hitl_requests_by_status ON hitl_requests (workspace_id, status, created_at);
CREATE INDEX hitl_requests_by_run ON hitl_requests (workspace_id, run_id);

CREATE TABLE agent_collaborations (
  id            VARCHAR(64) NOT NULL PRIMARY KEY,
  workspace_id  VARCHAR(64) NOT NULL REFERENCES workspaces (id),
  parent_run_id VARCHAR(128) NOT NULL,
  child_run_id  VARCHAR(128) NOT NULL,
  pattern       VARCHAR(32) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX agent_collaborations_by_parent ON agent_collaborations (workspace_id, parent_run_id);
CREATE INDEX agent_collaborations_by_child ON agent_collaborations (workspace_id, child_run_id);

CREATE TABLE agent_learning_feedback (
  id              VARCHAR(64) NOT NULL PRIMARY KEY,
  workspace_id    VARCHAR(64) NOT NULL REFERENCES workspaces (id),
  agent_id        VARCHAR(64) NOT NULL,
  run_id          VARCHAR(128),
  outcome         VARCHAR(16) NOT NULL,
  score           DOUBLE PRECISION,
  expected_output TEXT,
  lessons         TEXT,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX agent_learning_feedback_by_agent ON agent_learning_feedback (workspace_id, agent_id, created_at);
