-- Audit queries filter actions by prefix (action LIKE 'run.%'). Under a language collation
-- PostgreSQL cannot use a b-tree index for LIKE; under "C" it can. Actions are lower-case ASCII,
-- so byte order is also the natural order.
DROP INDEX audit_log_by_action;
ALTER TABLE audit_log ALTER COLUMN action TYPE VARCHAR(64) COLLATE "C";
CREATE INDEX audit_log_by_action ON audit_log (workspace_id, action, seq);
