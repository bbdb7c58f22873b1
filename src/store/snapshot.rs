//! The whole journal as plain data, for export and import.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{json_text, opt_ts, ts, Result, Store};
use crate::domain::{
    Agreement, AgreementEvent, CheckIn, EveningPrompt, Meeting, Partner, PromptStar, Repair,
    RepairResponse, Settings, SummaryChoice, Win,
};
use crate::error::StoreError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub partners: Vec<Partner>,
    pub settings: Settings,
    pub checkins: Vec<CheckIn>,
    pub agreements: Vec<Agreement>,
    pub agreement_events: Vec<AgreementEvent>,
    pub wins: Vec<Win>,
    pub meetings: Vec<Meeting>,
    #[serde(default)]
    pub repairs: Vec<Repair>,
    #[serde(default)]
    pub repair_responses: Vec<RepairResponse>,
    #[serde(default)]
    pub evening_prompts: Vec<EveningPrompt>,
    #[serde(default)]
    pub prompt_stars: Vec<PromptStar>,
    #[serde(default)]
    pub summary_choices: Vec<SummaryChoice>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub added: usize,
    pub already_there: usize,
    /// Rows already here under the same id whose content differs from the file's; the
    /// journal's own version is kept.
    pub differ: usize,
}

impl Store {
    /// How many of the file's rows are here under the same id with other content.
    fn differences(&self, file: &Snapshot) -> Result<usize> {
        use std::collections::HashMap;
        fn index<T: Serialize>(
            rows: &[T],
            id: impl Fn(&T) -> &str,
        ) -> HashMap<String, serde_json::Value> {
            rows.iter()
                .map(|r| {
                    (
                        id(r).to_string(),
                        serde_json::to_value(r).unwrap_or_default(),
                    )
                })
                .collect()
        }
        fn count<T: Serialize>(
            here: &HashMap<String, serde_json::Value>,
            rows: &[T],
            id: impl Fn(&T) -> &str,
        ) -> usize {
            rows.iter()
                .filter(|r| {
                    here.get(id(r))
                        .is_some_and(|v| *v != serde_json::to_value(r).unwrap_or_default())
                })
                .count()
        }
        let here = self.snapshot()?;
        Ok(
            count(&index(&here.checkins, |r| &r.id), &file.checkins, |r| &r.id)
                + count(&index(&here.agreements, |r| &r.id), &file.agreements, |r| {
                    &r.id
                })
                + count(
                    &index(&here.agreement_events, |r| &r.id),
                    &file.agreement_events,
                    |r| &r.id,
                )
                + count(&index(&here.wins, |r| &r.id), &file.wins, |r| &r.id)
                + count(&index(&here.meetings, |r| &r.id), &file.meetings, |r| &r.id)
                + count(&index(&here.repairs, |r| &r.id), &file.repairs, |r| &r.id)
                + count(
                    &index(&here.repair_responses, |r| &r.id),
                    &file.repair_responses,
                    |r| &r.id,
                ),
        )
    }

    /// Everything, in a stable order, so the same journal always exports the same bytes.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let ids = |sql: &str| -> Result<Vec<String>> {
            let mut st = self.conn.prepare(sql)?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mut agreements = Vec::new();
        let mut agreement_events = Vec::new();
        for id in ids("SELECT id FROM agreements ORDER BY created_at, id")? {
            // Events of one second are in the order each device wrote them; by id, every
            // device exports them alike.
            let mut events = self.agreement_events(&id)?;
            events.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
            agreement_events.extend(events);
            agreements.push(self.agreement(&id)?);
        }
        let mut wins = Vec::new();
        for id in ids("SELECT id FROM wins ORDER BY created_at, id")? {
            wins.push(self.win(&id)?);
        }
        let mut meetings = self.recent_meetings(usize::MAX >> 1)?;
        meetings.reverse();
        Ok(Snapshot {
            partners: self.partners()?,
            settings: self.settings()?,
            checkins: self.all_checkins()?,
            agreements,
            agreement_events,
            wins,
            meetings,
            repairs: self.all_repairs()?,
            repair_responses: self.all_repair_responses()?,
            evening_prompts: self.all_evening_prompts()?,
            prompt_stars: self.all_prompt_stars()?,
            summary_choices: self.all_summary_choices()?,
        })
    }

    /// Writes a validated snapshot in one transaction. Rows whose id is already here are left
    /// as they are. Into a journal with partners, the file's partners must be the same two.
    pub fn import_snapshot(
        &mut self,
        s: &Snapshot,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<ImportCounts> {
        let existing = self.partners()?;
        if !existing.is_empty() {
            let same = existing.len() == s.partners.len()
                && existing
                    .iter()
                    .all(|p| s.partners.iter().any(|q| q.id == p.id));
            if !same {
                return Err(StoreError::Invalid(crate::error::ValidationError::Rule(
                    "the file's partners are not this journal's partners; import it into a new journal (--db)".into(),
                )));
            }
        }
        let mut n = ImportCounts::default();
        if !existing.is_empty() {
            n.already_there += existing.len();
            n.differ = self.differences(s)?;
        }
        let tx = self.conn.transaction()?;
        let mut count = |inserted: usize| {
            if inserted > 0 {
                n.added += 1
            } else {
                n.already_there += 1
            }
        };
        if existing.is_empty() {
            for p in &s.partners {
                count(tx.execute(
                    "INSERT OR IGNORE INTO partners (id, seat, name, color, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![p.id, p.seat, p.name, p.color, ts(&p.created_at)],
                )?);
            }
            tx.execute(
                "UPDATE settings SET weekly_weekday = ?1, weekly_time = ?2, day_boundary = ?3, updated_at = ?4, weekly_from = ?5 WHERE id = 1",
                params![
                    s.settings.weekly_weekday.num_days_from_monday(),
                    s.settings.weekly_time.format("%H:%M").to_string(),
                    s.settings.day_boundary.format("%H:%M").to_string(),
                    ts(&crate::domain::instant(now)),
                    s.settings.weekly_from.map(|t| ts(&t))
                ],
            )?;
        }
        insert_entries(&tx, s, &mut count)?;
        tx.commit()?;
        Ok(n)
    }
}

/// Every row of the file but the couple's own, each counted as added or already here.
fn insert_entries(
    tx: &rusqlite::Transaction,
    s: &Snapshot,
    count: &mut dyn FnMut(usize),
) -> Result<()> {
    for (i, c) in s.checkins.iter().enumerate() {
        same_evening_same_words(tx, s, i)?;
        count(tx.execute(
            "INSERT OR IGNORE INTO checkins (id, partner_id, evening, mood, closeness, appreciation,
                 need, prompt_id, prompt_answer, note, created_at, updated_at, revision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                c.id, c.partner_id, c.evening, c.mood, c.closeness, c.appreciation, c.need,
                c.prompt_id, c.prompt_answer, c.note, ts(&c.created_at), ts(&c.updated_at),
                c.revision
            ],
        )?);
    }
    for a in &s.agreements {
        let added = tx.execute(
            "INSERT OR IGNORE INTO agreements (id, title, details, category, proposed_by, status,
                 review_every_weeks, next_review, created_at, updated_at, revision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                a.id,
                a.title,
                a.details,
                a.category,
                a.proposed_by,
                a.status.as_str(),
                a.review_every_weeks,
                a.next_review,
                ts(&a.created_at),
                ts(&a.updated_at),
                a.revision
            ],
        )?;
        if added > 0 {
            for c in &a.consents {
                tx.execute(
                    "INSERT OR IGNORE INTO agreement_consents (agreement_id, partner_id, consented_at)
                     VALUES (?1, ?2, ?3)",
                    params![a.id, c.partner_id, ts(&c.at)],
                )?;
            }
        }
        count(added);
    }
    for e in &s.agreement_events {
        count(tx.execute(
            "INSERT OR IGNORE INTO agreement_events (id, agreement_id, partner_id, at, evening, kind, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![e.id, e.agreement_id, e.partner_id, ts(&e.at), e.evening, e.kind.as_str(), e.detail.to_string()],
        )?);
    }
    for w in &s.wins {
        count(tx.execute(
            "INSERT OR IGNORE INTO wins (id, text, logged_by, about, evening, tags, celebrated_by,
                 celebrated_at, created_at, revision, edited_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                w.id,
                w.text,
                w.logged_by,
                w.about,
                w.evening,
                serde_json::to_string(&w.tags).unwrap_or_else(|_| "[]".into()),
                w.celebrated_by,
                opt_ts(&w.celebrated_at),
                ts(&w.created_at),
                w.revision,
                opt_ts(&w.edited_at),
                opt_ts(&w.deleted_at)
            ],
        )?);
    }
    for (i, m) in s.meetings.iter().enumerate() {
        same_week_same_words(tx, m, i)?;
        count(tx.execute(
            "INSERT OR IGNORE INTO meetings (id, week, started_at, answers, intentions, completed_at,
                 skipped_at, skip_reason, updated_at, revision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                m.id, m.week, ts(&m.started_at), json_text(&m.answers)?, json_text(&m.intentions)?,
                opt_ts(&m.completed_at), opt_ts(&m.skipped_at), m.skip_reason, ts(&m.updated_at),
                m.revision
            ],
        )?);
    }
    insert_repairs_and_prompts(tx, s, count)
}

/// Repairs and their answers; the evenings' chosen prompts and the stars, which are choices,
/// not words: where the journal has its own, it stays.
fn insert_repairs_and_prompts(
    tx: &rusqlite::Transaction,
    s: &Snapshot,
    count: &mut dyn FnMut(usize),
) -> Result<()> {
    for r in &s.repairs {
        count(tx.execute(
            "INSERT OR IGNORE INTO repairs (id, by_partner, evening, what_happened, how_it_affected,
                 do_differently, agreement_id, created_at, updated_at, revision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                r.id, r.by, r.evening, r.what_happened, r.how_it_affected, r.do_differently,
                r.agreement_id, ts(&r.created_at), ts(&r.updated_at), r.revision
            ],
        )?);
    }
    for a in &s.repair_responses {
        count(tx.execute(
            "INSERT OR IGNORE INTO repair_responses (id, repair_id, partner_id, kind, note, at, evening)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![a.id, a.repair_id, a.partner_id, a.response.as_str(), a.note, ts(&a.at), a.evening],
        )?);
    }
    for p in &s.evening_prompts {
        count(tx.execute(
            "INSERT OR IGNORE INTO evening_prompts (evening, prompt_id, updated_at) VALUES (?1, ?2, ?3)",
            params![p.evening, p.prompt_id, ts(&p.updated_at)],
        )?);
    }
    for c in &s.summary_choices {
        count(tx.execute(
            "INSERT OR IGNORE INTO summary_choices (partner_id, repair_words, updated_at)
             VALUES (?1, ?2, ?3)",
            params![c.partner_id, c.repair_words, ts(&c.updated_at)],
        )?);
    }
    for p in &s.prompt_stars {
        count(tx.execute(
            "INSERT OR IGNORE INTO prompt_stars (partner_id, prompt_id, starred, updated_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![p.partner_id, p.prompt_id, p.starred, ts(&p.updated_at)],
        )?);
    }
    Ok(())
}

/// The refusal of a file row that would otherwise be dropped, with where it is in the file.
fn conflict(at: String, what: String) -> StoreError {
    StoreError::Invalid(crate::error::ValidationError::Rule(format!(
        "{at}: {what}; nothing was imported (import into a new journal with --db to keep both)"
    )))
}

/// A check-in in the file for an evening the partner already has one for here (under another
/// id) is either the same words, or refused: it must never be dropped as "already here".
fn same_evening_same_words(tx: &rusqlite::Transaction, s: &Snapshot, i: usize) -> Result<()> {
    use rusqlite::OptionalExtension;
    let c = &s.checkins[i];
    let here = tx
        .query_row(
            "SELECT id, mood, closeness, appreciation, need, prompt_answer, note FROM checkins
             WHERE partner_id = ?1 AND evening = ?2",
            params![c.partner_id, c.evening],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (r.get::<_, u8>(1)?, r.get::<_, u8>(2)?),
                    [r.get::<_, String>(3)?, r.get(4)?, r.get(5)?, r.get(6)?],
                ))
            },
        )
        .optional()?;
    let Some((id, ratings, words)) = here else {
        return Ok(());
    };
    let same = ratings == (c.mood, c.closeness)
        && words == [&c.appreciation, &c.need, &c.prompt_answer, &c.note].map(String::clone);
    if id == c.id || same {
        return Ok(());
    }
    let name = s
        .partners
        .iter()
        .find(|p| p.id == c.partner_id)
        .map_or("?", |p| p.name.as_str());
    Err(conflict(
        format!("$.checkins[{i}]"),
        format!(
            "{name} already has a check-in for the evening of {} here, with other words",
            c.evening.format("%a %-d %b %Y")
        ),
    ))
}

/// The same for a weekly check-in: one meeting a week.
fn same_week_same_words(tx: &rusqlite::Transaction, m: &Meeting, i: usize) -> Result<()> {
    use rusqlite::OptionalExtension;
    let here = tx
        .query_row(
            "SELECT id, answers, intentions, completed_at IS NOT NULL, skipped_at IS NOT NULL,
                 skip_reason FROM meetings WHERE week = ?1",
            params![m.week],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    [r.get::<_, String>(1)?, r.get(2)?],
                    (r.get::<_, bool>(3)?, r.get::<_, bool>(4)?),
                    r.get::<_, Option<String>>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((id, texts, state, reason)) = here else {
        return Ok(());
    };
    let same = texts == [json_text(&m.answers)?, json_text(&m.intentions)?]
        && state == (m.completed_at.is_some(), m.skipped_at.is_some())
        && reason == m.skip_reason;
    if id == m.id || same {
        return Ok(());
    }
    Err(conflict(
        format!("$.meetings[{i}]"),
        format!(
            "the weekly check-in for the week of {} is already here, with other words",
            m.week.format("%a %-d %b %Y")
        ),
    ))
}
