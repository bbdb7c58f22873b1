//! Reading the past back: the evenings that hold anything, newest first and a page at a time,
//! and everything one evening (or a stretch of them) holds.

use chrono::NaiveDate;

use super::{Result, Store};
use crate::domain::{AgreementEvent, CheckIn, EventKind, Id, Meeting, Repair, RepairResponse, Win};

/// Everything written on one evening.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct EveningRecord {
    pub evening: NaiveDate,
    /// In seat order, those who checked in.
    pub checkins: Vec<CheckIn>,
    pub wins: Vec<Win>,
    /// Agreement reviews given that evening.
    pub reviews: Vec<AgreementEvent>,
    /// The titles of the agreements reviewed, by their ids.
    pub agreement_titles: std::collections::BTreeMap<Id, String>,
    /// The weekly check-in scheduled for that day, if there was one.
    pub meeting: Option<Meeting>,
    /// Responsibility taken that evening.
    pub repairs: Vec<Repair>,
    /// Answers given that evening, with what each answered.
    pub repair_answers: Vec<(RepairResponse, String)>,
}

impl EveningRecord {
    fn new(evening: NaiveDate) -> EveningRecord {
        EveningRecord {
            evening,
            ..Default::default()
        }
    }
}

impl Store {
    /// Up to `limit` evenings before `before` (newest first) on which anything was written.
    /// Each source walks its evening index backwards and stops, so a page costs the same after
    /// ten years as after one.
    pub fn evenings_before(&self, before: NaiveDate, limit: usize) -> Result<Vec<NaiveDate>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT evening FROM (
                 SELECT * FROM (SELECT DISTINCT evening FROM checkins WHERE evening < ?1
                     ORDER BY evening DESC LIMIT {limit})
                 UNION SELECT * FROM (SELECT DISTINCT evening FROM wins
                     WHERE evening < ?1 AND deleted_at IS NULL ORDER BY evening DESC LIMIT {limit})
                 UNION SELECT * FROM (SELECT DISTINCT evening FROM agreement_events
                     WHERE evening < ?1 AND kind = 'reviewed' ORDER BY evening DESC LIMIT {limit})
                 UNION SELECT * FROM (SELECT week FROM meetings WHERE week < ?1
                     ORDER BY week DESC LIMIT {limit})
                 UNION SELECT * FROM (SELECT DISTINCT evening FROM repairs WHERE evening < ?1
                     ORDER BY evening DESC LIMIT {limit})
                 UNION SELECT * FROM (SELECT DISTINCT evening FROM repair_responses
                     WHERE evening < ?1 ORDER BY evening DESC LIMIT {limit}))
             ORDER BY evening DESC LIMIT {limit}"
        ))?;
        let rows = st.query_map([before], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What each evening from `from` to `to` holds, newest first; evenings with nothing are left
    /// out.
    pub fn evening_records(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<EveningRecord>> {
        type Records = std::collections::BTreeMap<NaiveDate, EveningRecord>;
        fn at(records: &mut Records, d: NaiveDate) -> &mut EveningRecord {
            records.entry(d).or_insert_with(|| EveningRecord::new(d))
        }
        let mut records = Records::new();
        for c in self.checkins_between(from, to)? {
            at(&mut records, c.evening).checkins.push(c);
        }
        for w in self.wins_between(from, to)? {
            at(&mut records, w.evening).wins.push(w);
        }
        let mut title = self
            .conn
            .prepare_cached("SELECT title FROM agreements WHERE id = ?1")?;
        for e in self.events_between(from, to)? {
            if e.kind == EventKind::Reviewed {
                let t: String = title.query_row([&e.agreement_id], |r| r.get(0))?;
                let r = at(&mut records, e.evening);
                r.agreement_titles.insert(e.agreement_id.clone(), t);
                r.reviews.push(e);
            }
        }
        for m in self.meetings_between(from, to)? {
            let week = m.week;
            at(&mut records, week).meeting = Some(m);
        }
        for r in self.repairs_between(from, to)? {
            let evening = r.evening;
            at(&mut records, evening).repairs.push(r);
        }
        for a in self.responses_between(from, to)? {
            let what = self.repair(&a.repair_id)?.what_happened;
            let evening = a.evening;
            at(&mut records, evening).repair_answers.push((a, what));
        }
        let seats = self.partners()?;
        let seat = |c: &CheckIn| seats.iter().position(|p| p.id == c.partner_id);
        let mut out: Vec<EveningRecord> = records.into_values().rev().collect();
        for r in &mut out {
            r.checkins.sort_by_key(|c| seat(c));
        }
        Ok(out)
    }

    /// Evenings (newest first, at most `limit`) whose check-ins, wins or weekly check-in hold
    /// every one of `words`, case and accents folded.
    pub fn search_evenings(&self, words: &[String], limit: usize) -> Result<Vec<NaiveDate>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let all = |column: &str| {
            (1..=words.len())
                .map(|n| format!("fold({column}) LIKE ?{n} ESCAPE '\\'"))
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        let sql = format!(
            "SELECT evening FROM (
                 SELECT evening FROM checkins
                     WHERE {}
                 UNION SELECT evening FROM wins WHERE deleted_at IS NULL AND {}
                 UNION SELECT week FROM meetings WHERE {}
                 UNION SELECT evening FROM repairs WHERE {})
             ORDER BY evening DESC LIMIT {limit}",
            all("appreciation || ' ' || need || ' ' || prompt_answer"),
            all("text || ' ' || tags"),
            all("answers || ' ' || intentions"),
            all("what_happened || ' ' || how_it_affected || ' ' || do_differently"),
        );
        let like: Vec<String> = words
            .iter()
            .map(|w| {
                let w = w
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                format!("%{}%", crate::domain::fold(&w))
            })
            .collect();
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(like.iter()), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everything written on one evening.
    pub fn evening_record(&self, evening: NaiveDate) -> Result<EveningRecord> {
        Ok(self
            .evening_records(evening, evening)?
            .pop()
            .unwrap_or_else(|| EveningRecord::new(evening)))
    }
}
