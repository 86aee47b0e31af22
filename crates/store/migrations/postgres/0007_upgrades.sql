-- Data upgrades done by the application after the schema's (e.g. sort keys recomputed by a new rule): each
-- runs once and is recorded here.
CREATE TABLE upgrades (
    name TEXT PRIMARY KEY,
    at TEXT NOT NULL
);
