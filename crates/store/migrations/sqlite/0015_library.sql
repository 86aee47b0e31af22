-- The library of guidance documents: metadata, and the uploaded file (in the database, so that the backup of
-- the database is the backup of the library). A deleted document keeps its row (and its audit entries), not
-- its file.

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    province_code TEXT NOT NULL REFERENCES provinces(code),
    number TEXT NOT NULL DEFAULT '',
    issued_on TEXT,
    issuer TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    -- Task-area codes, comma-separated.
    areas TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    file_name TEXT,
    content_type TEXT,
    file_size BIGINT,
    sha256 TEXT,
    -- Number, title, issuer and summary folded (no diacritics, lower case), for search.
    search_text TEXT NOT NULL,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    deleted_by TEXT
);
CREATE INDEX documents_by_province ON documents(province_code, issued_on);

CREATE TABLE document_files (
    document_id BIGINT PRIMARY KEY REFERENCES documents(id),
    content BLOB NOT NULL
);

-- The province's library was filled with the documents the letter cites (once; deleting them is final).
CREATE TABLE library_seeded (
    province_code TEXT PRIMARY KEY REFERENCES provinces(code),
    seeded_at TEXT NOT NULL
);

-- Documents a class points its trainees to.
CREATE TABLE class_documents (
    class_id BIGINT NOT NULL REFERENCES training_classes(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    PRIMARY KEY (class_id, document_id)
);
