-- The registry: administrative units, teams, decisions, members, and the search index.
-- Dates are ISO text (YYYY-MM-DD), timestamps RFC 3339 text: the same in both backends.

CREATE TABLE provinces (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);

CREATE TABLE communes (
    code TEXT PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES provinces(code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    sort_key TEXT NOT NULL
);
CREATE INDEX communes_by_province ON communes(province_code, sort_key);

CREATE TABLE province_settings (
    province_code TEXT PRIMARY KEY REFERENCES provinces(code),
    min_members BIGINT NOT NULL,
    max_members BIGINT NOT NULL
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_code TEXT NOT NULL REFERENCES communes(code),
    name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    dissolved_on TEXT,
    -- Counts kept by the store after every change to the team's members or decisions (see counts.rs), so
    -- that the province overview sums team rows instead of scanning members.
    active_members BIGINT NOT NULL DEFAULT 0,
    active_leaders BIGINT NOT NULL DEFAULT 0,
    members_without_phone BIGINT NOT NULL DEFAULT 0,
    decisions BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX teams_by_commune ON teams(commune_code, status, sort_key);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_code TEXT NOT NULL REFERENCES communes(code),
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (commune_code, number, signed_on)
);

CREATE TABLE decision_teams (
    decision_id BIGINT NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams(id),
    PRIMARY KEY (decision_id, team_id)
);
CREATE INDEX decision_teams_by_team ON decision_teams(team_id);

CREATE TABLE members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id BIGINT NOT NULL REFERENCES teams(id),
    full_name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    role TEXT NOT NULL,
    phone TEXT,
    note TEXT NOT NULL DEFAULT '',
    joined_on TEXT,
    left_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX members_by_team ON members(team_id, left_on, sort_key);
-- An active team has one leader at most, whatever writes to the database.
CREATE UNIQUE INDEX members_one_leader ON members(team_id) WHERE role = 'leader' AND left_on IS NULL;
CREATE INDEX members_by_phone ON members(phone) WHERE phone IS NOT NULL AND left_on IS NULL;

-- Every word-start tail of a folded name ("xa xuan binh", "xuan binh", "binh"), so a prefix query is one
-- range scan of the key. The key is the whole row, in one B-tree (WITHOUT ROWID): a name is removed by its tails.
CREATE TABLE search_terms (
    province_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    term TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    PRIMARY KEY (province_code, kind, term, ref_id)
) WITHOUT ROWID;
