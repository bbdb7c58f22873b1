-- Two devices, one journal. Nothing here is used until the journal is paired (`duet sync
-- init` or `join`), and none of it is exported: it describes this device, not the couple.

-- This device's side of the pairing: which journal it belongs to, its own id, whose device it
-- is, the shared folder, the key everything in that folder is sealed with, and how far its
-- own files have got.
CREATE TABLE sync_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    journal_id TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    me         TEXT REFERENCES partners (id),
    folder     TEXT NOT NULL,
    key        BLOB NOT NULL CHECK (length(key) = 32),
    next_seq   INTEGER NOT NULL DEFAULT 1,
    -- JSON array of the merge document's heads when this device last wrote a file.
    sent_heads TEXT NOT NULL DEFAULT '[]',
    -- Counts the document's saves: a process holding it in memory sees another's sync.
    doc_version INTEGER NOT NULL DEFAULT 0,
    last_sync  TEXT,
    last_error TEXT
) STRICT;

-- The merge document (automerge's saved bytes), in pieces appended as it grows; loading reads
-- them in order. Now and then the pieces are replaced by one.
CREATE TABLE sync_doc (
    n     INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL
) STRICT;

-- The files of the folder (any device's, this one's too) whose changes are all in the document.
CREATE TABLE sync_applied (
    device TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (device, seq)
) STRICT, WITHOUT ROWID;

-- The other devices seen in the folder: whose they are and when they last wrote.
CREATE TABLE sync_devices (
    device     TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT,
    seen_at    TEXT
) STRICT;

-- Every write to the couple's rows adds its row's key here, in the write's own transaction, so
-- a kill right after a save loses nothing from sync. Sync folds these into the document.
CREATE TABLE sync_outbox (
    n   INTEGER PRIMARY KEY,
    tbl TEXT NOT NULL,
    key TEXT NOT NULL
) STRICT;

CREATE TRIGGER partners_outbox_insert AFTER INSERT ON partners
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('partners', NEW.id); END;
CREATE TRIGGER partners_outbox_update AFTER UPDATE ON partners
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('partners', NEW.id); END;

CREATE TRIGGER settings_outbox_insert AFTER INSERT ON settings
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('settings', 'settings'); END;
CREATE TRIGGER settings_outbox_update AFTER UPDATE ON settings
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('settings', 'settings'); END;

CREATE TRIGGER checkins_outbox_insert AFTER INSERT ON checkins
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('checkins', NEW.partner_id || '/' || NEW.evening); END;
CREATE TRIGGER checkins_outbox_update AFTER UPDATE ON checkins
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('checkins', NEW.partner_id || '/' || NEW.evening); END;

CREATE TRIGGER agreements_outbox_insert AFTER INSERT ON agreements
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('agreements', NEW.id); END;
CREATE TRIGGER agreements_outbox_update AFTER UPDATE ON agreements
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('agreements', NEW.id); END;

-- A consent belongs to its agreement's row in the document.
CREATE TRIGGER consents_outbox_insert AFTER INSERT ON agreement_consents
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('agreements', NEW.agreement_id); END;
CREATE TRIGGER consents_outbox_delete AFTER DELETE ON agreement_consents
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('agreements', OLD.agreement_id); END;

CREATE TRIGGER events_outbox_insert AFTER INSERT ON agreement_events
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('agreement_events', NEW.id); END;

CREATE TRIGGER wins_outbox_insert AFTER INSERT ON wins
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('wins', NEW.id); END;
CREATE TRIGGER wins_outbox_update AFTER UPDATE ON wins
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('wins', NEW.id); END;

CREATE TRIGGER meetings_outbox_insert AFTER INSERT ON meetings
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('meetings', NEW.week); END;
CREATE TRIGGER meetings_outbox_update AFTER UPDATE ON meetings
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('meetings', NEW.week); END;
