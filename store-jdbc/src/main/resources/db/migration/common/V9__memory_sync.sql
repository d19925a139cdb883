-- The memories created since a moment, which keeping a workspace's memory index in step reads before each recall
-- (instead of every id of the workspace).
CREATE INDEX agent_memory_by_workspace_time ON agent_memory (workspace_id, created_at);
