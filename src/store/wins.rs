use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Row};

use super::{bad_column, ts, Result, Store};
use crate::domain::{self, Win, WinDraft};
use crate::error::StoreError;

const COLS: &str =
    "id, text, logged_by, about, evening, tags, celebrated_by, celebrated_at, created_at, \
     revision, edited_at, deleted_at";

fn row(r: &Row) -> rusqlite::Result<Win> {
    let tags: String = r.get(5)?;
    Ok(Win {
        id: r.get(0)?,
        text: r.get(1)?,
        logged_by: r.get(2)?,
        about: r.get(3)?,
        evening: r.get(4)?,
        tags: serde_json::from_str(&tags).map_err(|_| bad_column(5, "tags"))?,
        celebrated_by: r.get(6)?,
        celebrated_at: r.get(7)?,
        created_at: r.get(8)?,
        revision: r.get(9)?,
        edited_at: r.get(10)?,
        deleted_at: r.get(11)?,
    })
}

/// Which wins to list. Every part is optional; `person` matches who logged it or whom it is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WinFilter {
    pub person: Option<String>,
    pub tag: Option<String>,
    pub text: Option<String>,
}

impl WinFilter {
    pub fn is_empty(&self) -> bool {
        self.person.is_none() && self.tag.is_none() && self.text.is_none()
    }
}

/// The SQL for a page of wins (parameters: ?1 person, ?2 tag, then ?3… one per search word),
/// and the folded search words. The limit is written into the SQL: given as a parameter,
/// SQLite can't see it and plans a sort of every win ever logged instead of an index walk.
fn wins_query(filter: &WinFilter, limit: usize, oldest: bool) -> (String, Vec<String>) {
    let words: Vec<String> = filter
        .text
        .as_deref()
        .map(|t| {
            crate::domain::fold(t)
                .split_whitespace()
                .map(|w| w.trim_start_matches('#').to_string())
                .filter(|w| !w.is_empty())
                .take(8)
                .collect()
        })
        .unwrap_or_default();
    let mut sql = format!(
        "SELECT {COLS} FROM wins
         WHERE deleted_at IS NULL
           AND (?1 IS NULL OR logged_by = ?1 OR about = ?1 OR (?1 = 'us' AND about IS NULL))
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(wins.tags) WHERE value = ?2))"
    );
    for n in 3..3 + words.len() {
        sql.push_str(&format!(
            " AND (fold(text) LIKE ?{n} ESCAPE '\\' OR fold(tags) LIKE ?{n} ESCAPE '\\')"
        ));
    }
    let order = if oldest { "ASC" } else { "DESC" };
    sql.push_str(&format!(
        " ORDER BY evening {order}, created_at {order}, rowid {order} LIMIT {limit}"
    ));
    (sql, words)
}

/// The parts of a win that can be changed after it is logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WinEdit {
    pub text: String,
    pub logged_by: String,
    pub about: Option<String>,
    pub tags: Vec<String>,
}

impl WinEdit {
    pub fn of(w: &Win) -> WinEdit {
        WinEdit {
            text: w.text.clone(),
            logged_by: w.logged_by.clone(),
            about: w.about.clone(),
            tags: w.tags.clone(),
        }
    }

    /// `self` is what the writer saw; `ours` what they made of it; `theirs` what was saved
    /// meanwhile.
    fn merge(
        &self,
        ours: &WinEdit,
        theirs: &WinEdit,
    ) -> std::result::Result<WinEdit, Vec<&'static str>> {
        let mut conflicts = Vec::new();
        let mut field = |name: &'static str, merged: Option<()>| {
            if merged.is_none() {
                conflicts.push(name);
            }
        };
        let text = domain::merge_field(&self.text, &ours.text, &theirs.text);
        field("text", text.as_ref().map(|_| ()));
        let by = domain::merge_field(&self.logged_by, &ours.logged_by, &theirs.logged_by);
        field("logged_by", by.as_ref().map(|_| ()));
        let about = domain::merge_field(&self.about, &ours.about, &theirs.about);
        field("about", about.as_ref().map(|_| ()));
        let tags = domain::merge_field(&self.tags, &ours.tags, &theirs.tags);
        field("tags", tags.as_ref().map(|_| ()));
        match (text, by, about, tags) {
            (Some(text), Some(logged_by), Some(about), Some(tags)) => Ok(WinEdit {
                text,
                logged_by,
                about,
                tags,
            }),
            _ => Err(conflicts),
        }
    }
}

/// What became of an edit that may have met another one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WinSaved {
    Saved(Win),
    Conflict {
        theirs: Win,
        fields: Vec<&'static str>,
    },
}

/// A win just logged, how many there are now, and the milestone that makes, if any.
#[derive(Debug, Clone)]
pub struct LoggedWin {
    pub win: Win,
    pub count: i64,
    pub milestone: Option<&'static str>,
}

impl Store {
    /// Saves a win and returns it with the running total (for milestone messages).
    pub fn add_win(
        &mut self,
        by: &str,
        draft: &WinDraft,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(Win, i64)> {
        let d = draft.validated()?;
        let id = domain::new_id();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO wins (id, text, logged_by, about, evening, tags, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                d.text,
                by,
                d.about,
                evening,
                serde_json::to_string(&d.tags).unwrap_or_else(|_| "[]".into()),
                ts(&domain::instant(now))
            ],
        )?;
        let count: i64 = tx.query_row(
            "SELECT count(*) FROM wins WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok((self.win(&id)?, count))
    }

    /// Logs a win, with the milestone the new count reaches: the app and `duet win` both say it.
    pub fn log_win(
        &mut self,
        by: &str,
        draft: &WinDraft,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<LoggedWin> {
        let (win, count) = self.add_win(by, draft, evening, now)?;
        Ok(LoggedWin {
            win,
            count,
            milestone: domain::win_milestone(count),
        })
    }

    pub fn win(&self, id: &str) -> Result<Win> {
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM wins WHERE id = ?1"))?;
        st.query_row([id], row).map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound("that win".into()),
            e => e.into(),
        })
    }

    /// A heart from the partner who didn't log it; once.
    pub fn celebrate_win(&mut self, id: &str, by: &str, now: DateTime<Utc>) -> Result<Win> {
        let w = self.win(id)?;
        if w.logged_by == by {
            return Err(super::partners::domain_rule(
                "a win is celebrated by the other partner",
            ));
        }
        if w.celebrated_by.is_some() {
            return Err(super::partners::domain_rule("already celebrated ♥"));
        }
        self.conn.execute(
            "UPDATE wins SET celebrated_by = ?2, celebrated_at = ?3 WHERE id = ?1 AND celebrated_by IS NULL",
            params![id, by, ts(&domain::instant(now))],
        )?;
        self.win(id)
    }

    /// Changes a win's words, who logged it, whom it is about and its tags. `base` is the win as
    /// the writer saw it: what was changed meanwhile in other fields is kept, and the same
    /// field changed both ways comes back as a conflict, with nothing written.
    pub fn edit_win(&mut self, base: &Win, edit: &WinEdit, now: DateTime<Utc>) -> Result<WinSaved> {
        let draft = WinDraft {
            text: edit.text.clone(),
            about: edit.about.clone(),
            tags: edit.tags.clone(),
        }
        .validated()?;
        let ours = WinEdit {
            text: draft.text,
            logged_by: edit.logged_by.clone(),
            about: draft.about,
            tags: draft.tags,
        };
        let tx = self.read_then_write()?;
        let theirs = tx.query_row(
            &format!("SELECT {COLS} FROM wins WHERE id = ?1"),
            [&base.id],
            row,
        )?;
        let merged = if theirs.revision == base.revision {
            ours
        } else {
            match WinEdit::of(base).merge(&ours, &WinEdit::of(&theirs)) {
                Ok(m) => m,
                Err(fields) => return Ok(WinSaved::Conflict { theirs, fields }),
            }
        };
        tx.execute(
            "UPDATE wins SET text = ?2, logged_by = ?3, about = ?4, tags = ?5, edited_at = ?6
             WHERE id = ?1",
            params![
                base.id,
                merged.text,
                merged.logged_by,
                merged.about,
                serde_json::to_string(&merged.tags).unwrap_or_else(|_| "[]".into()),
                ts(&domain::instant(now))
            ],
        )?;
        tx.commit()?;
        Ok(WinSaved::Saved(self.win(&base.id)?))
    }

    /// Marks a win deleted: it leaves every list, and can be brought back (`restore_win`).
    pub fn delete_win(&mut self, id: &str, now: DateTime<Utc>) -> Result<Win> {
        self.conn.execute(
            "UPDATE wins SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            params![id, ts(&domain::instant(now))],
        )?;
        self.win(id)
    }

    pub fn restore_win(&mut self, id: &str) -> Result<Win> {
        self.conn.execute(
            "UPDATE wins SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
            [id],
        )?;
        self.win(id)
    }

    /// Takes back a celebration.
    pub fn uncelebrate_win(&mut self, id: &str) -> Result<Win> {
        self.conn.execute(
            "UPDATE wins SET celebrated_by = NULL, celebrated_at = NULL
             WHERE id = ?1 AND celebrated_by IS NOT NULL",
            [id],
        )?;
        self.win(id)
    }

    /// Every win whose id starts with `prefix` (the short ids `duet wins` shows), deleted or not.
    pub fn wins_by_id_prefix(&self, prefix: &str) -> Result<Vec<Win>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM wins WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2"
        ))?;
        let rows = st.query_map([prefix.to_lowercase()], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Newest first, at most `limit`. Every word of the search must appear, in the text or the
    /// tags, case and accents folded ("#home" finds the tag home).
    pub fn wins(&self, filter: &WinFilter, limit: usize) -> Result<Vec<Win>> {
        self.wins_from(filter, limit, false)
    }

    /// The `limit` oldest wins that match, newest first like every list of wins: the end of
    /// the list, read without walking the rest of it.
    pub fn oldest_wins(&self, filter: &WinFilter, limit: usize) -> Result<Vec<Win>> {
        let mut wins = self.wins_from(filter, limit, true)?;
        wins.reverse();
        Ok(wins)
    }

    fn wins_from(&self, filter: &WinFilter, limit: usize, oldest: bool) -> Result<Vec<Win>> {
        let (sql, words) = wins_query(filter, limit, oldest);
        let like = |w: &str| {
            format!(
                "%{}%",
                w.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        };
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut values: Vec<Box<dyn rusqlite::ToSql>> = vec![
            Box::new(filter.person.clone()),
            Box::new(filter.tag.clone()),
        ];
        values.extend(
            words
                .iter()
                .map(|w| Box::new(like(w)) as Box<dyn rusqlite::ToSql>),
        );
        let rows = st.query_map(rusqlite::params_from_iter(values.iter()), row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_wins_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM wins WHERE evening BETWEEN ?1 AND ?2 AND deleted_at IS NULL",
            params![from, to],
            |r| r.get(0),
        )?)
    }

    pub fn win_count(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM wins WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    pub fn wins_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Win>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM wins WHERE evening BETWEEN ?1 AND ?2 AND deleted_at IS NULL
             ORDER BY evening, created_at, rowid"
        ))?;
        let rows = st.query_map(params![from, to], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every tag used so far, most used first (for filter suggestions).
    pub fn win_tags(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare_cached(
            "SELECT j.value FROM wins, json_each(wins.tags) AS j WHERE wins.deleted_at IS NULL
             GROUP BY j.value
             ORDER BY count(*) DESC, j.value LIMIT 50",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first screen's wins must come from an index walk that stops at the page size, never
    /// a scan and sort of every win (which grows with years of history).
    #[test]
    fn the_wins_page_reads_an_index_not_the_whole_table() {
        let s = Store::open_in_memory().unwrap();
        let filters = [
            WinFilter::default(),
            WinFilter {
                person: Some("x".into()),
                ..Default::default()
            },
        ];
        // Both ends: the newest page first, and the oldest (G).
        for (filter, oldest) in filters.iter().flat_map(|f| [(f, false), (f, true)]) {
            let (sql, _) = wins_query(filter, 300, oldest);
            let plan: Vec<String> = s
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(rusqlite::params![filter.person, filter.tag], |r| {
                    r.get::<_, String>(3)
                })
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            let plan = plan.join(" | ");
            assert!(!plan.contains("TEMP B-TREE FOR ORDER BY"), "{plan}");
            assert!(
                plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"),
                "{plan}"
            );
        }
    }
}
