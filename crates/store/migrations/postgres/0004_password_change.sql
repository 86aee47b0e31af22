-- A password chosen by someone else (an admin, the CLI, the first start) must be changed by its owner before
-- any other work.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
