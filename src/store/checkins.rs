use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::{ts, Result, Store};
use crate::domain::{self, CheckIn, CheckInDraft, CheckInUpdate};

const COLS: &str = "id, partner_id, evening, mood, closeness, appreciation, need, prompt_id, \
                    prompt_answer, note, created_at, updated_at, revision";

fn row(r: &Row) -> rusqlite::Result<CheckIn> {
    Ok(CheckIn {
        id: r.get(0)?,
        partner_id: r.get(1)?,
        evening: r.get(2)?,
        mood: r.get(3)?,
        closeness: r.get(4)?,
        appreciation: r.get(5)?,
        need: r.get(6)?,
        prompt_id: r.get(7)?,
        prompt_answer: r.get(8)?,
        note: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        revision: r.get(12)?,
    })
}

/// What became of a save that may have met another one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckInSaved {
    Saved(CheckIn),
    /// Saved meanwhile by someone else, in the same fields: nothing was written.
    Conflict {
        theirs: CheckIn,
        fields: Vec<&'static str>,
    },
}

fn upsert(
    conn: &rusqlite::Connection,
    partner_id: &str,
    evening: NaiveDate,
    draft: &CheckInDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let d = draft.validated()?;
    let now = ts(&domain::instant(now));
    conn.execute(
        "INSERT INTO checkins (id, partner_id, evening, mood, closeness, appreciation, need,
             prompt_id, prompt_answer, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
         ON CONFLICT (partner_id, evening) DO UPDATE SET mood = ?4, closeness = ?5,
             appreciation = ?6, need = ?7, prompt_id = ?8, prompt_answer = ?9, note = ?10,
             updated_at = ?11",
        params![
            domain::new_id(),
            partner_id,
            evening,
            d.mood,
            d.closeness,
            d.appreciation,
            d.need,
            d.prompt_id,
            d.prompt_answer,
            d.note,
            now
        ],
    )?;
    Ok(())
}

impl Store {
    /// Checks a partner in for the evening, keeping what the update leaves out (see
    /// `CheckInUpdate::onto`).
    pub fn check_in(
        &mut self,
        partner_id: &str,
        evening: NaiveDate,
        update: CheckInUpdate,
        now: DateTime<Utc>,
    ) -> Result<CheckIn> {
        // Read and written in one transaction, so nothing saved in between is replaced.
        let tx = self.read_then_write()?;
        let old = tx
            .query_row(
                &format!("SELECT {COLS} FROM checkins WHERE partner_id = ?1 AND evening = ?2"),
                params![partner_id, evening],
                row,
            )
            .optional()?;
        upsert(&tx, partner_id, evening, &update.onto(old.as_ref()), now)?;
        tx.commit()?;
        self.checkin(partner_id, evening)?
            .ok_or_else(|| super::partners::domain_rule("the check-in was not saved"))
    }

    /// Creates or updates this partner's entry for the evening. The id and creation time of an
    /// existing entry are kept.
    pub fn save_checkin(
        &mut self,
        partner_id: &str,
        evening: NaiveDate,
        draft: &CheckInDraft,
        now: DateTime<Utc>,
    ) -> Result<CheckIn> {
        upsert(&self.conn, partner_id, evening, draft, now)?;
        self.checkin(partner_id, evening)?
            .ok_or_else(|| super::partners::domain_rule("the check-in was not saved"))
    }

    /// Saves `ours`, written from `base` (what the writer saw; `None`: no entry yet). When the
    /// entry was saved meanwhile, changes to different fields are merged; changes to the same
    /// field are handed back as a conflict and nothing is written.
    pub fn save_checkin_from(
        &mut self,
        partner_id: &str,
        evening: NaiveDate,
        base: Option<&CheckIn>,
        ours: &CheckInDraft,
        now: DateTime<Utc>,
    ) -> Result<CheckInSaved> {
        let tx = self.read_then_write()?;
        let current = tx
            .query_row(
                &format!("SELECT {COLS} FROM checkins WHERE partner_id = ?1 AND evening = ?2"),
                params![partner_id, evening],
                row,
            )
            .optional()?;
        let draft = match (&current, base) {
            (None, _) => ours.clone(),
            (Some(now_there), Some(seen)) if now_there.revision == seen.revision => ours.clone(),
            (Some(now_there), _) => match domain::merge_checkin(base, ours, now_there) {
                Ok(merged) => merged,
                Err(fields) => {
                    return Ok(CheckInSaved::Conflict {
                        theirs: now_there.clone(),
                        fields,
                    })
                }
            },
        };
        upsert(&tx, partner_id, evening, &draft, now)?;
        tx.commit()?;
        let saved = self
            .checkin(partner_id, evening)?
            .ok_or_else(|| super::partners::domain_rule("the check-in was not saved"))?;
        Ok(CheckInSaved::Saved(saved))
    }

    pub fn checkin(&self, partner_id: &str, evening: NaiveDate) -> Result<Option<CheckIn>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM checkins WHERE partner_id = ?1 AND evening = ?2"
        ))?;
        Ok(st.query_row(params![partner_id, evening], row).optional()?)
    }

    /// Check-ins with `from <= evening <= to`, oldest first.
    pub fn checkins_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckIn>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM checkins WHERE evening BETWEEN ?1 AND ?2 ORDER BY evening, partner_id"
        ))?;
        let rows = st.query_map(params![from, to], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Evenings since `since` (newest first) on which both partners checked in. Bounded by
    /// date so it reads an index range, never the whole history.
    pub fn evenings_both_checked_in(&self, since: NaiveDate) -> Result<Vec<NaiveDate>> {
        let mut st = self.conn.prepare_cached(
            "SELECT evening FROM checkins WHERE evening >= ?1 GROUP BY evening HAVING count(*) >= 2
             ORDER BY evening DESC",
        )?;
        let rows = st.query_map([since], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every check-in, in a stable order (for export).
    pub fn all_checkins(&self) -> Result<Vec<CheckIn>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM checkins ORDER BY evening, partner_id, id"
        ))?;
        let rows = st.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn checkin_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM checkins", [], |r| r.get(0))?)
    }
}
