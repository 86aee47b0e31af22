-- A waiting import belongs to the account that previewed it (one at a time) and its size is kept, so that all
-- waiting files together stay within a bound.
ALTER TABLE pending_imports ADD COLUMN user_id BIGINT;
ALTER TABLE pending_imports ADD COLUMN size BIGINT NOT NULL DEFAULT 0;
DELETE FROM pending_imports;

-- Expired sessions are deleted by their expiry.
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
