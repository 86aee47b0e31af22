-- Reporting rounds: the Department asks every commune of the province for figures, a narrative and its
-- confirmed team list by a deadline; each commune's report is saved, submitted, returned or accepted.

-- Indicators a province added to the built-in catalogue (the built-in ones live in the code).
CREATE TABLE indicators (
    province_code TEXT NOT NULL REFERENCES provinces(code),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (province_code, code)
);

CREATE TABLE rounds (
    id BIGSERIAL PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES provinces(code),
    title TEXT NOT NULL,
    basis TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    period_start TEXT,
    period_end TEXT,
    -- The deadline in force, an instant stored as RFC 3339 UTC to the second (sorts as text).
    deadline TEXT NOT NULL,
    closed_at TEXT,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX rounds_by_province ON rounds(province_code, id);

-- What a round asks, with names and units as they were when it opened.
CREATE TABLE round_indicators (
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    position BIGINT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (round_id, code)
);

-- The communes expected to report: the province's communes at opening, kept as they were.
CREATE TABLE round_communes (
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    commune_code TEXT NOT NULL REFERENCES communes(code),
    PRIMARY KEY (round_id, commune_code)
);

-- Every deadline a round had: the first at opening, then each extension.
CREATE TABLE round_deadlines (
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    deadline TEXT NOT NULL,
    set_at TEXT NOT NULL,
    set_by TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX round_deadlines_by_round ON round_deadlines(round_id);

CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    commune_code TEXT NOT NULL REFERENCES communes(code),
    state TEXT NOT NULL,
    results TEXT NOT NULL DEFAULT '',
    difficulties TEXT NOT NULL DEFAULT '',
    proposals TEXT NOT NULL DEFAULT '',
    submissions BIGINT NOT NULL DEFAULT 0,
    -- Timeliness is judged on the first submission: a correction never makes an on-time report late.
    first_submitted_at TEXT,
    last_submitted_at TEXT,
    submitted_by TEXT,
    -- Entered by the Department from a report the commune sent on paper.
    on_behalf BIGINT NOT NULL DEFAULT 0,
    return_reason TEXT,
    reviewed_at TEXT,
    reviewed_by TEXT,
    -- The commune's team list as it stood when last submitted (JSON), and its counts.
    roster TEXT,
    -- The figures as last submitted (JSON): what the Department reviews, even while a returned report is
    -- being corrected in the draft figures.
    submitted_figures TEXT,
    roster_teams BIGINT,
    roster_members BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (round_id, commune_code)
);

-- A commune's reports across rounds (its team list as frozen in the previous round).
CREATE INDEX reports_by_commune ON reports(commune_code, round_id);

CREATE TABLE report_figures (
    report_id BIGINT NOT NULL REFERENCES reports(id),
    code TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (report_id, code)
);

-- The completeness board names each commune's officer for a follow-up call.
CREATE INDEX users_by_commune ON users(commune_code);
