-- The public team finder: a member's consent to be named with her phone on public pages, and each commune's
-- public contact for teams whose leader has not consented.

-- One row per consent given; withdrawing it stamps the row, which stays as history. A member has at most one
-- consent in force.
CREATE TABLE member_consents (
    id BIGSERIAL PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES members(id),
    method TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    withdrawn_by TEXT,
    withdrawn_at TEXT
);
CREATE UNIQUE INDEX member_consents_in_force ON member_consents(member_id) WHERE withdrawn_at IS NULL;

CREATE TABLE commune_contacts (
    commune_code TEXT PRIMARY KEY REFERENCES communes(code),
    label TEXT NOT NULL,
    phone TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
