-- Workflow agents may have no model: they only use one when their workflow asks.
ALTER TABLE agents ALTER COLUMN model DROP NOT NULL;
