-- Approval requests are a projection of the run log (approval_requested / _granted / _rejected),
-- written in the same transaction as those events. V1 made the table; this adds what the queue
-- and its history show and filter on, and the index that finds expired requests.
ALTER TABLE hitl_requests ADD COLUMN agent_id VARCHAR(64);
ALTER TABLE hitl_requests ADD COLUMN policy TEXT;
ALTER TABLE hitl_requests ADD COLUMN reason TEXT;
CREATE INDEX hitl_requests_by_deadline ON hitl_requests (workspace_id, status, deadline);
