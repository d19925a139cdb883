-- The console's observability page (issue 6) counts tool outcomes over a time window: the
-- observations of the reasoning trace, read by kind and time instead of scanning every trace row.
CREATE INDEX agent_reasoning_traces_by_kind ON agent_reasoning_traces (workspace_id, kind, at);
