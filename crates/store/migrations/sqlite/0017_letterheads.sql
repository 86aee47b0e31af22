-- Who issues a unit's official documents and who signs them: the Department's letterhead (commune_code '')
-- and each commune's. Absent rows mean the defaults built from the unit's name.
CREATE TABLE letterheads (
    province_code TEXT NOT NULL REFERENCES provinces(code),
    commune_code TEXT NOT NULL,
    parent_body TEXT NOT NULL,
    body TEXT NOT NULL,
    number_suffix TEXT NOT NULL,
    place TEXT NOT NULL,
    signer_capacity TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    signer_name TEXT NOT NULL,
    archive TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (province_code, commune_code)
);
