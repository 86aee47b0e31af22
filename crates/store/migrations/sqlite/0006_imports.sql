-- Every applied import, with what it changed in each commune and what restores the registry as it was before
-- it (undo): the values of every record it changed and the ids of those it created.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    province_code TEXT NOT NULL REFERENCES provinces(code),
    user_id BIGINT,
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    mode TEXT NOT NULL,
    undo TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT
);

CREATE TABLE import_communes (
    import_id BIGINT NOT NULL REFERENCES imports(id),
    commune_code TEXT NOT NULL REFERENCES communes(code),
    teams_added BIGINT NOT NULL,
    teams_removed BIGINT NOT NULL,
    members_added BIGINT NOT NULL,
    members_changed BIGINT NOT NULL,
    members_removed BIGINT NOT NULL,
    PRIMARY KEY (import_id, commune_code)
);
CREATE INDEX import_communes_by_commune ON import_communes(commune_code, import_id);

-- The mode a previewed file is to be applied in.
ALTER TABLE pending_imports ADD COLUMN mode TEXT NOT NULL DEFAULT 'replace';
