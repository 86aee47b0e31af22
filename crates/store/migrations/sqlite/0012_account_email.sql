-- An account's optional e-mail address: reminders of reporting rounds are sent there when the server has an
-- SMTP server configured.
ALTER TABLE users ADD COLUMN email TEXT;
