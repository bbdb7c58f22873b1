//! The aggregate queries behind Trends and the summary. Each reads an index range bounded by
//! dates and returns small grouped rows; nothing here loads the history row by row.

use chrono::NaiveDate;
use rusqlite::params;

use super::{Result, Store};
use crate::domain::Seat;

/// One partner's ratings on one evening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rating {
    pub evening: NaiveDate,
    pub seat: Seat,
    pub mood: u8,
    pub closeness: u8,
}

impl Store {
    /// Ratings per evening and partner, oldest first (at most two rows an evening).
    pub fn ratings_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Rating>> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.evening, p.seat, c.mood, c.closeness FROM checkins c
             JOIN partners p ON p.id = c.partner_id
             WHERE c.evening BETWEEN ?1 AND ?2 ORDER BY c.evening, p.seat",
        )?;
        let rows = st.query_map(params![from, to], |r| {
            Ok(Rating {
                evening: r.get(0)?,
                seat: r.get(1)?,
                mood: r.get(2)?,
                closeness: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many partners checked in on each evening that has any check-in.
    pub fn checkins_per_evening(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, u8)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT evening, count(*) FROM checkins WHERE evening BETWEEN ?1 AND ?2
             GROUP BY evening ORDER BY evening",
        )?;
        let rows = st.query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Wins per week (keyed by the Monday that starts it), oldest first.
    pub fn wins_per_week(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, i64)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT date(evening, '-' || ((CAST(strftime('%w', evening) AS INTEGER) + 6) % 7) || ' days') AS week,
                    count(*)
             FROM wins WHERE evening BETWEEN ?1 AND ?2 AND deleted_at IS NULL
             GROUP BY week ORDER BY week",
        )?;
        let rows = st.query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Agreement review marks by month ("2026-11"): (month, honored, all marks).
    pub fn reviews_by_month(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(String, i64, i64)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT substr(evening, 1, 7) AS month,
                    sum(json_extract(detail, '$.mark') = 'honored'), count(*)
             FROM agreement_events WHERE kind = 'reviewed' AND evening BETWEEN ?1 AND ?2
             GROUP BY month ORDER BY month",
        )?;
        let rows = st.query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// When the couple last set aside the note suggesting a counsellor, if ever.
    pub fn counsellor_note_dismissed_at(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        Ok(self.conn.query_row(
            "SELECT counsellor_note_dismissed_at FROM settings WHERE id = 1",
            [],
            |r| r.get(0),
        )?)
    }

    pub fn dismiss_counsellor_note(&self, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE settings SET counsellor_note_dismissed_at = ?1 WHERE id = 1",
            [super::ts(&crate::domain::instant(now))],
        )?;
        Ok(())
    }
}
