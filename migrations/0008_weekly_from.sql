-- When the weekly day or time last changed: the new schedule counts from then on, so a day
-- that was never scheduled before the change is never "missed". Empty until the first change.
ALTER TABLE settings ADD COLUMN weekly_from TEXT;
