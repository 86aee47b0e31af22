-- Files uploaded for import, kept between the preview and the officer's decision to apply them.
CREATE TABLE pending_imports (
    token TEXT PRIMARY KEY,
    province_code TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content BYTEA NOT NULL,
    created_at TEXT NOT NULL
);
