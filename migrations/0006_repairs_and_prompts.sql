-- Repairs: one partner takes responsibility for something, in their own words; the other
-- answers when ready. Answers are kept as a history (a "not yet" stays when forgiveness comes
-- later), so two devices that each answered keep both.
CREATE TABLE repairs (
    id              TEXT PRIMARY KEY NOT NULL,
    by_partner      TEXT NOT NULL REFERENCES partners (id),
    evening         TEXT NOT NULL,
    what_happened   TEXT NOT NULL,
    how_it_affected TEXT NOT NULL DEFAULT '',
    do_differently  TEXT NOT NULL DEFAULT '',
    -- The agreement it touched, if any.
    agreement_id    TEXT REFERENCES agreements (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    revision        INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX repairs_by_evening ON repairs (evening, created_at);

CREATE TABLE repair_responses (
    id         TEXT PRIMARY KEY NOT NULL,
    repair_id  TEXT NOT NULL REFERENCES repairs (id),
    partner_id TEXT NOT NULL REFERENCES partners (id),
    kind       TEXT NOT NULL CHECK (kind IN ('heard', 'thanks', 'forgive', 'not yet')),
    note       TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL,
    evening    TEXT NOT NULL
) STRICT;
CREATE INDEX repair_responses_by_repair ON repair_responses (repair_id, at);

-- Another prompt chosen for an evening (`n`), the same on both devices.
CREATE TABLE evening_prompts (
    evening    TEXT PRIMARY KEY NOT NULL,
    prompt_id  TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- A partner's starred prompts come back now and then. Unstarring keeps the row (starred = 0)
-- so the choice merges like any other field.
CREATE TABLE prompt_stars (
    partner_id TEXT NOT NULL REFERENCES partners (id),
    prompt_id  TEXT NOT NULL,
    starred    INTEGER NOT NULL CHECK (starred IN (0, 1)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (partner_id, prompt_id)
) STRICT;

CREATE TRIGGER repairs_revision AFTER UPDATE ON repairs WHEN NEW.revision = OLD.revision
BEGIN UPDATE repairs SET revision = OLD.revision + 1 WHERE id = NEW.id; END;

CREATE TRIGGER repairs_outbox_insert AFTER INSERT ON repairs
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('repairs', NEW.id); END;
CREATE TRIGGER repairs_outbox_update AFTER UPDATE ON repairs
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('repairs', NEW.id); END;

CREATE TRIGGER repair_responses_outbox_insert AFTER INSERT ON repair_responses
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('repair_responses', NEW.id); END;

CREATE TRIGGER evening_prompts_outbox_insert AFTER INSERT ON evening_prompts
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('evening_prompts', NEW.evening); END;
CREATE TRIGGER evening_prompts_outbox_update AFTER UPDATE ON evening_prompts
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('evening_prompts', NEW.evening); END;

CREATE TRIGGER prompt_stars_outbox_insert AFTER INSERT ON prompt_stars
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('prompt_stars', NEW.partner_id || '/' || NEW.prompt_id); END;
CREATE TRIGGER prompt_stars_outbox_update AFTER UPDATE ON prompt_stars
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('prompt_stars', NEW.partner_id || '/' || NEW.prompt_id); END;
