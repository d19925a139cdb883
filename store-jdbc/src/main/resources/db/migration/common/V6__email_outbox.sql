-- Every mail send_email wrote, sent or not (an OutboxMail). Recipients are JSON arrays of addresses.
-- status: held (no SMTP server configured, not sent), pending (being sent), sent, failed (error says why).
CREATE TABLE email_outbox (
  workspace_id VARCHAR(64)  NOT NULL REFERENCES workspaces (id),
  id           VARCHAR(128) NOT NULL,
  run_id       VARCHAR(128),
  agent_id     VARCHAR(64),
  from_address TEXT         NOT NULL,
  to_addresses TEXT         NOT NULL,
  cc_addresses TEXT         NOT NULL,
  bcc_addresses TEXT        NOT NULL,
  subject      TEXT         NOT NULL,
  body         TEXT         NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  error        TEXT,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  sent_at      TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (workspace_id, id)
);
-- Listing newest first, in all, by status and by run.
CREATE INDEX email_outbox_by_created ON email_outbox (workspace_id, created_at DESC, id DESC);
CREATE INDEX email_outbox_by_status ON email_outbox (workspace_id, status, created_at DESC, id DESC);
CREATE INDEX email_outbox_by_run ON email_outbox (workspace_id, run_id, created_at DESC, id DESC);
