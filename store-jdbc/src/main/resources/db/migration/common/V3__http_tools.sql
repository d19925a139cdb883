-- HTTP tools registered over the API, kept across restarts. The definition is the tool's
-- HttpToolDefinition as JSON (name, description, parameters schema, url, risk, idempotent, timeout).
CREATE TABLE http_tools (
  workspace_id VARCHAR(64)  NOT NULL REFERENCES workspaces (id),
  name         VARCHAR(64)  NOT NULL,
  definition   TEXT         NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (workspace_id, name)
);
