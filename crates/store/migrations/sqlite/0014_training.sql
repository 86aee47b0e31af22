-- Training classes the Department runs, and the registrations communes make for their team leaders and
-- deputies: seats up to the capacity, then a waiting list in order of registering; attendance on the day.

CREATE TABLE training_classes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    province_code TEXT NOT NULL REFERENCES provinces(code),
    topic TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    -- Instants, RFC 3339 UTC to the second (sort as text).
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    venue TEXT NOT NULL DEFAULT '',
    online_link TEXT NOT NULL DEFAULT '',
    capacity BIGINT NOT NULL,
    audience TEXT NOT NULL,
    registration_deadline TEXT NOT NULL,
    trainer TEXT NOT NULL DEFAULT '',
    cancelled_at TEXT,
    cancel_reason TEXT,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX training_classes_by_province ON training_classes(province_code, starts_at);

CREATE TABLE training_registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id BIGINT NOT NULL REFERENCES training_classes(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    commune_code TEXT NOT NULL REFERENCES communes(code),
    -- seated | waiting | withdrawn
    seat TEXT NOT NULL,
    attendance TEXT,
    registered_by TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    withdrawn_by TEXT,
    withdrawn_at TEXT,
    attendance_by TEXT,
    attendance_at TEXT
);
-- A person holds one live registration per class.
CREATE UNIQUE INDEX training_registrations_live ON training_registrations(class_id, member_id) WHERE seat <> 'withdrawn';
CREATE INDEX training_registrations_by_class ON training_registrations(class_id, seat, id);
CREATE INDEX training_registrations_by_member ON training_registrations(member_id);
