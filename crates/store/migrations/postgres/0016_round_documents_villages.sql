-- Documents of the library a reporting round points communes to (the letter that asks, the report template).
CREATE TABLE round_documents (
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    PRIMARY KEY (round_id, document_id)
);

-- How many villages and residential groups a commune has, where the province records it: the dashboard
-- measures coverage by teams against it.
CREATE TABLE commune_villages (
    commune_code TEXT PRIMARY KEY REFERENCES communes(code),
    villages BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The phone a consent was given for: a member's new number is not public until she consents again.
ALTER TABLE member_consents ADD COLUMN phone TEXT;
