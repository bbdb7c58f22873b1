-- The Wins pane reads the newest page first. An index in exactly that order lets SQLite walk
-- it (backwards) and stop at the page size, instead of sorting every win ever logged.
CREATE INDEX wins_newest_first ON wins (evening, created_at);
