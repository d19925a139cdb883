-- Agent memory and learning feedback (issue 5). The rows are the source of truth: the Lucene memory
-- index under the data directory is rebuilt from them, vectors included, when it is missing or stale.
-- embedding is the memory's vector as base64 of little-endian float32 values; embedding_model (V1)
-- names the model that computed it, and a vector of another model is recomputed, never compared.
ALTER TABLE agent_memory ADD COLUMN embedding TEXT;
-- Listing an agent's memories newest first, of all types; and the ids of a workspace for index sync.
CREATE INDEX agent_memory_by_agent_time ON agent_memory (workspace_id, agent_id, created_at DESC, id DESC);
CREATE INDEX agent_memory_by_workspace ON agent_memory (workspace_id, id);

-- Why a run failed or needed correcting, in the reviewer's words; insights group by it.
-- lessons (V1) holds a JSON array of strings.
ALTER TABLE agent_learning_feedback ADD COLUMN reason TEXT;
