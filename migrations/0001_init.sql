-- duet's first schema. Every row has a random UUID text id so that two devices can be merged
-- later without collisions. Instants are UTC RFC 3339 text; `evening` is the local evening date
-- (YYYY-MM-DD) the row belongs to, after the day boundary is applied.

-- 'duet' in ASCII: lets open() tell our files from other SQLite databases.
PRAGMA application_id = 1685415284;

CREATE TABLE partners (
    id         TEXT PRIMARY KEY NOT NULL,
    seat       INTEGER NOT NULL UNIQUE CHECK (seat IN (1, 2)),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    color      TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    -- 0 = Monday … 6 = Sunday
    weekly_weekday INTEGER NOT NULL DEFAULT 6 CHECK (weekly_weekday BETWEEN 0 AND 6),
    weekly_time    TEXT NOT NULL DEFAULT '19:00',
    day_boundary   TEXT NOT NULL DEFAULT '04:00',
    updated_at     TEXT
) STRICT;
INSERT INTO settings (id) VALUES (1);

CREATE TABLE checkins (
    id            TEXT PRIMARY KEY NOT NULL,
    partner_id    TEXT NOT NULL REFERENCES partners (id),
    evening       TEXT NOT NULL,
    mood          INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
    closeness     INTEGER NOT NULL CHECK (closeness BETWEEN 1 AND 5),
    appreciation  TEXT NOT NULL DEFAULT '',
    need          TEXT NOT NULL DEFAULT '',
    prompt_id     TEXT,
    prompt_answer TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (partner_id, evening)
) STRICT;
CREATE INDEX checkins_by_evening ON checkins (evening);

CREATE TABLE agreements (
    id                 TEXT PRIMARY KEY NOT NULL,
    title              TEXT NOT NULL,
    details            TEXT NOT NULL DEFAULT '',
    category           TEXT NOT NULL DEFAULT '',
    proposed_by        TEXT NOT NULL REFERENCES partners (id),
    status             TEXT NOT NULL DEFAULT 'proposed'
                       CHECK (status IN ('proposed', 'agreed', 'revisit', 'retired')),
    review_every_weeks INTEGER NOT NULL DEFAULT 4 CHECK (review_every_weeks BETWEEN 1 AND 52),
    next_review        TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX agreements_by_status ON agreements (status, next_review);

-- Each partner's current consent to the agreement as it now reads. An edit clears these rows;
-- the events table keeps the record of every consent ever given.
CREATE TABLE agreement_consents (
    agreement_id TEXT NOT NULL REFERENCES agreements (id),
    partner_id   TEXT NOT NULL REFERENCES partners (id),
    consented_at TEXT NOT NULL,
    PRIMARY KEY (agreement_id, partner_id)
) STRICT;

CREATE TABLE agreement_events (
    id           TEXT PRIMARY KEY NOT NULL,
    agreement_id TEXT NOT NULL REFERENCES agreements (id),
    partner_id   TEXT REFERENCES partners (id),
    at           TEXT NOT NULL,
    evening      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    -- JSON: what changed (old and new values), or a review's mark and note.
    detail       TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX agreement_events_by_agreement ON agreement_events (agreement_id, at);
CREATE INDEX agreement_events_by_evening ON agreement_events (evening);

CREATE TABLE wins (
    id            TEXT PRIMARY KEY NOT NULL,
    text          TEXT NOT NULL,
    logged_by     TEXT NOT NULL REFERENCES partners (id),
    -- NULL means the win is about "us".
    about         TEXT REFERENCES partners (id),
    evening       TEXT NOT NULL,
    -- JSON array of tag strings.
    tags          TEXT NOT NULL DEFAULT '[]',
    celebrated_by TEXT REFERENCES partners (id),
    celebrated_at TEXT,
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX wins_by_evening ON wins (evening);
CREATE INDEX wins_by_logged_by ON wins (logged_by, evening);
CREATE INDEX wins_by_about ON wins (about, evening);

CREATE TABLE meetings (
    id           TEXT PRIMARY KEY NOT NULL,
    -- The local date of the scheduled weekly check-in this meeting belongs to.
    week         TEXT NOT NULL UNIQUE,
    started_at   TEXT NOT NULL,
    -- JSON object: each agenda step's answers.
    answers      TEXT NOT NULL DEFAULT '{}',
    -- JSON array of intentions for the week ahead.
    intentions   TEXT NOT NULL DEFAULT '[]',
    completed_at TEXT,
    skipped_at   TEXT,
    skip_reason  TEXT,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX meetings_by_completed ON meetings (completed_at);
