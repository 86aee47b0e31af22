-- How to reach an account's owner (optional; shown to the province's admins and on sign-in slips).
ALTER TABLE users ADD COLUMN phone TEXT;
