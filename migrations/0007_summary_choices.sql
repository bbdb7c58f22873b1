-- Each partner's own choice to let the words of repairs into the Markdown summary. They go in
-- only while both have said yes; otherwise the summary counts repairs and nothing more.
CREATE TABLE summary_choices (
    partner_id   TEXT PRIMARY KEY NOT NULL REFERENCES partners (id),
    repair_words INTEGER NOT NULL CHECK (repair_words IN (0, 1)),
    updated_at   TEXT NOT NULL
) STRICT;

CREATE TRIGGER summary_choices_outbox_insert AFTER INSERT ON summary_choices
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('summary_choices', NEW.partner_id); END;
CREATE TRIGGER summary_choices_outbox_update AFTER UPDATE ON summary_choices
WHEN EXISTS (SELECT 1 FROM sync_state)
BEGIN INSERT INTO sync_outbox (tbl, key) VALUES ('summary_choices', NEW.partner_id); END;
