-- Every editable row counts its saves, so a save that started from an older revision can see
-- that someone else saved meanwhile and never replace words it hasn't seen. Wins can be
-- edited and deleted: a delete only marks the row, so it can be undone and is exported.
ALTER TABLE checkins ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE agreements ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE meetings ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE wins ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE wins ADD COLUMN edited_at TEXT;
ALTER TABLE wins ADD COLUMN deleted_at TEXT;

-- Any change to a row's content counts as a save, whichever code made it; a statement that
-- sets the revision itself (an import keeping a file's) is left as it is.
CREATE TRIGGER checkins_revision AFTER UPDATE ON checkins WHEN NEW.revision = OLD.revision
BEGIN UPDATE checkins SET revision = OLD.revision + 1 WHERE id = NEW.id; END;
CREATE TRIGGER agreements_revision AFTER UPDATE ON agreements WHEN NEW.revision = OLD.revision
BEGIN UPDATE agreements SET revision = OLD.revision + 1 WHERE id = NEW.id; END;
CREATE TRIGGER meetings_revision AFTER UPDATE ON meetings WHEN NEW.revision = OLD.revision
BEGIN UPDATE meetings SET revision = OLD.revision + 1 WHERE id = NEW.id; END;
CREATE TRIGGER wins_revision AFTER UPDATE ON wins WHEN NEW.revision = OLD.revision
BEGIN UPDATE wins SET revision = OLD.revision + 1 WHERE id = NEW.id; END;
