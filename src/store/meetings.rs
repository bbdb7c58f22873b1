use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};

use super::{bad_column, json_text, opt_ts, ts, Result, Store};
use crate::domain::{Answers, Meeting};

const COLS: &str = "id, week, started_at, answers, intentions, completed_at, skipped_at, \
                    skip_reason, updated_at, revision";

fn row(r: &Row) -> rusqlite::Result<Meeting> {
    let answers: String = r.get(3)?;
    let intentions: String = r.get(4)?;
    Ok(Meeting {
        id: r.get(0)?,
        week: r.get(1)?,
        started_at: r.get(2)?,
        answers: Answers::parse(&answers).map_err(|_| bad_column(3, "answers"))?,
        intentions: serde_json::from_str(&intentions).map_err(|_| bad_column(4, "intentions"))?,
        completed_at: r.get(5)?,
        skipped_at: r.get(6)?,
        skip_reason: r.get(7)?,
        updated_at: r.get(8)?,
        revision: r.get(9)?,
    })
}

pub struct MeetingTimes {
    /// The scheduled day it belongs to.
    pub week: NaiveDate,
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub skipped_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn upsert(conn: &rusqlite::Connection, m: &Meeting) -> Result<()> {
    conn.execute(
        "INSERT INTO meetings (id, week, started_at, answers, intentions, completed_at,
             skipped_at, skip_reason, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET week = ?2, answers = ?4, intentions = ?5,
             completed_at = ?6, skipped_at = ?7, skip_reason = ?8, updated_at = ?9",
        params![
            m.id,
            m.week,
            ts(&m.started_at),
            json_text(&m.answers)?,
            json_text(&m.intentions)?,
            opt_ts(&m.completed_at),
            opt_ts(&m.skipped_at),
            m.skip_reason,
            ts(&m.updated_at)
        ],
    )?;
    Ok(())
}

impl Store {
    /// Inserts or replaces a meeting by id; a half-done meeting is saved the same way.
    pub fn save_meeting(&mut self, m: &Meeting) -> Result<()> {
        upsert(&self.conn, m)
    }

    /// Saves `ours`, written from `base` (the meeting as this writer last had it). When the
    /// week's meeting was saved meanwhile, by another window or under another id, the two are
    /// joined into one (`Meeting::merged`): no answer of either is lost. Hands back what is
    /// stored now.
    pub fn save_meeting_over(&mut self, base: &Meeting, ours: &Meeting) -> Result<Meeting> {
        let tx = self.read_then_write()?;
        let current = tx
            .query_row(
                &format!("SELECT {COLS} FROM meetings WHERE week = ?1"),
                [ours.week],
                row,
            )
            .optional()?;
        let to_save = match current {
            Some(cur) if !(cur.id == base.id && cur.revision == base.revision) => {
                Meeting::merged(base, ours, &cur)
            }
            _ => ours.clone(),
        };
        upsert(&tx, &to_save)?;
        tx.commit()?;
        self.meeting_for_week(ours.week)?
            .ok_or_else(|| super::partners::domain_rule("the weekly check-in was not saved"))
    }

    pub fn meeting_for_week(&self, week: NaiveDate) -> Result<Option<Meeting>> {
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM meetings WHERE week = ?1"))?;
        Ok(st.query_row([week], row).optional()?)
    }

    /// When recent meetings were finished or skipped (newest week first): all the schedule
    /// needs, read from the week index without parsing any answers.
    pub fn meeting_times(&self, limit: usize) -> Result<Vec<MeetingTimes>> {
        // The limit is part of the SQL so the planner walks the week index and stops there.
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT completed_at, skipped_at, week FROM meetings
             WHERE completed_at IS NOT NULL OR skipped_at IS NOT NULL ORDER BY week DESC LIMIT {limit}"
        ))?;
        let rows = st.query_map([], |r| {
            Ok(MeetingTimes {
                completed_at: r.get(0)?,
                skipped_at: r.get(1)?,
                week: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The most recent meetings, finished or skipped or not, newest week first.
    /// Meetings whose week falls from `from` to `to`, oldest first.
    pub fn meetings_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Meeting>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM meetings WHERE week BETWEEN ?1 AND ?2 ORDER BY week"
        ))?;
        let rows = st.query_map(params![from, to], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn recent_meetings(&self, limit: usize) -> Result<Vec<Meeting>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM meetings ORDER BY week DESC LIMIT {limit}"
        ))?;
        let rows = st.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
