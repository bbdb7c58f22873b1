-- When the couple last set aside the gentle note suggesting a counsellor; it is shown again
-- at most once a fortnight.
ALTER TABLE settings ADD COLUMN counsellor_note_dismissed_at TEXT;
