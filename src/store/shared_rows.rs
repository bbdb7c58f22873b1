//! The couple's rows read and written as plain values by their sync keys: what goes into the
//! merge document, and what comes back out of it onto this device.

use chrono::NaiveDate;
use rusqlite::params;
use serde_json::Value;

use super::sync::SyncTable;
use super::{json_text, opt_ts, ts, Result, Store};
use crate::domain::{
    Agreement, AgreementEvent, CheckIn, EveningPrompt, Meeting, Partner, PromptStar, Repair,
    RepairResponse, Settings, SummaryChoice, Win,
};
use crate::error::StoreError;

fn invalid(what: String) -> StoreError {
    StoreError::Invalid(crate::error::ValidationError::Rule(what))
}

/// A row as shared: the domain type's own fields, without the revision, which counts the saves
/// this device has seen and so is this device's alone.
fn shared<T: serde::Serialize>(row: &T) -> Result<Value> {
    let mut v = serde_json::to_value(row).map_err(|e| invalid(e.to_string()))?;
    if let Some(o) = v.as_object_mut() {
        o.remove("revision");
    }
    Ok(v)
}

fn typed<T: serde::de::DeserializeOwned>(table: SyncTable, row: &Value) -> Result<T> {
    serde_json::from_value(row.clone())
        .map_err(|e| invalid(format!("a {} row that can't be read: {e}", table.name())))
}

impl Store {
    /// Every shared row, in the order they are written.
    pub fn synced_rows(&self) -> Result<Vec<(SyncTable, Value)>> {
        let s = self.snapshot()?;
        let mut out = Vec::new();
        let mut add = |t: SyncTable, v: Value| out.push((t, v));
        for p in &s.partners {
            add(SyncTable::Partners, shared(p)?);
        }
        add(SyncTable::Settings, shared(&s.settings)?);
        for a in &s.agreements {
            add(SyncTable::Agreements, shared(a)?);
        }
        for e in &s.agreement_events {
            add(SyncTable::AgreementEvents, shared(e)?);
        }
        for c in &s.checkins {
            add(SyncTable::CheckIns, shared(c)?);
        }
        for w in &s.wins {
            add(SyncTable::Wins, shared(w)?);
        }
        for m in &s.meetings {
            add(SyncTable::Meetings, shared(m)?);
        }
        for r in &s.repairs {
            add(SyncTable::Repairs, shared(r)?);
        }
        for r in &s.repair_responses {
            add(SyncTable::RepairResponses, shared(r)?);
        }
        for p in &s.evening_prompts {
            add(SyncTable::EveningPrompts, shared(p)?);
        }
        for p in &s.prompt_stars {
            add(SyncTable::PromptStars, shared(p)?);
        }
        for c in &s.summary_choices {
            add(SyncTable::SummaryChoices, shared(c)?);
        }
        Ok(out)
    }

    /// The shared row under `key`, if there is one.
    pub fn synced_row(&self, table: SyncTable, key: &str) -> Result<Option<Value>> {
        use rusqlite::OptionalExtension as _;
        let found: Option<Value> = match table {
            SyncTable::Partners => self
                .partners()?
                .into_iter()
                .find(|p| p.id == key)
                .map(|p| shared(&p))
                .transpose()?,
            SyncTable::Settings => Some(shared(&self.settings()?)?),
            SyncTable::Agreements => match self.agreement(key) {
                Ok(a) => Some(shared(&a)?),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e),
            },
            SyncTable::AgreementEvents => {
                let agreement: Option<String> = self
                    .conn
                    .query_row(
                        "SELECT agreement_id FROM agreement_events WHERE id = ?1",
                        [key],
                        |r| r.get(0),
                    )
                    .optional()?;
                match agreement {
                    Some(a) => self
                        .agreement_events(&a)?
                        .into_iter()
                        .find(|e| e.id == key)
                        .map(|e| shared(&e))
                        .transpose()?,
                    None => None,
                }
            }
            SyncTable::CheckIns => {
                let (partner, evening) = key.split_once('/').unwrap_or((key, ""));
                match evening.parse::<NaiveDate>() {
                    Ok(d) => self.checkin(partner, d)?.map(|c| shared(&c)).transpose()?,
                    Err(_) => None,
                }
            }
            SyncTable::Wins => match self.win(key) {
                Ok(w) => Some(shared(&w)?),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e),
            },
            SyncTable::Meetings => match key.parse::<NaiveDate>() {
                Ok(week) => self
                    .meeting_for_week(week)?
                    .map(|m| shared(&m))
                    .transpose()?,
                Err(_) => None,
            },
            SyncTable::Repairs => match self.repair(key) {
                Ok(r) => Some(shared(&r)?),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e),
            },
            SyncTable::RepairResponses => {
                self.repair_response(key)?.map(|r| shared(&r)).transpose()?
            }
            SyncTable::EveningPrompts => match key.parse::<NaiveDate>() {
                Ok(evening) => self
                    .evening_prompt_row(evening)?
                    .map(|p| shared(&p))
                    .transpose()?,
                Err(_) => None,
            },
            SyncTable::PromptStars => {
                let (partner, prompt) = key.split_once('/').unwrap_or((key, ""));
                self.prompt_star(partner, prompt)?
                    .map(|p| shared(&p))
                    .transpose()?
            }
            SyncTable::SummaryChoices => {
                self.summary_choice(key)?.map(|c| shared(&c)).transpose()?
            }
        };
        Ok(found)
    }

    /// Writes a shared row as the other device has it, over this device's under the same key.
    /// Says whether anything changed; a row that can't be read as its kind is refused whole.
    pub fn put_synced_row(&self, table: SyncTable, row: &Value) -> Result<bool> {
        let key = table.key_of(row);
        if self.synced_row(table, &key)?.as_ref() == Some(row) {
            return Ok(false);
        }
        match table {
            SyncTable::Partners => self.put_partner(&typed::<Partner>(table, row)?)?,
            SyncTable::Settings => self.put_settings(&typed::<Settings>(table, row)?)?,
            SyncTable::Agreements => self.put_agreement(&typed::<Agreement>(table, row)?)?,
            SyncTable::AgreementEvents => self.put_event(&typed::<AgreementEvent>(table, row)?)?,
            SyncTable::CheckIns => self.put_checkin(&typed::<CheckIn>(table, row)?)?,
            SyncTable::Wins => self.put_win(&typed::<Win>(table, row)?)?,
            SyncTable::Meetings => self.put_meeting(&typed::<Meeting>(table, row)?)?,
            SyncTable::Repairs => self.put_repair(&typed::<Repair>(table, row)?)?,
            SyncTable::RepairResponses => {
                self.put_repair_response(&typed::<RepairResponse>(table, row)?)?
            }
            SyncTable::EveningPrompts => {
                self.put_evening_prompt(&typed::<EveningPrompt>(table, row)?)?
            }
            SyncTable::PromptStars => self.put_prompt_star(&typed::<PromptStar>(table, row)?)?,
            SyncTable::SummaryChoices => {
                self.put_summary_choice(&typed::<SummaryChoice>(table, row)?)?
            }
        }
        Ok(true)
    }

    fn put_partner(&self, p: &Partner) -> Result<()> {
        self.conn.execute(
            "INSERT INTO partners (id, seat, name, color, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET seat = ?2, name = ?3, color = ?4, created_at = ?5",
            params![p.id, p.seat, p.name, p.color, ts(&p.created_at)],
        )?;
        Ok(())
    }

    fn put_settings(&self, s: &Settings) -> Result<()> {
        // A time the journal couldn't read back would make every later read fail.
        if s.weekly_from
            .is_some_and(|t| !(0..=9999).contains(&chrono::Datelike::year(&t)))
        {
            return Err(invalid(
                "the weekly schedule's change time is out of range".into(),
            ));
        }
        self.conn.execute(
            "UPDATE settings SET weekly_weekday = ?1, weekly_time = ?2, day_boundary = ?3,
                 weekly_from = ?4
             WHERE id = 1",
            params![
                s.weekly_weekday.num_days_from_monday(),
                s.weekly_time.format("%H:%M").to_string(),
                s.day_boundary.format("%H:%M").to_string(),
                s.weekly_from.map(|t| ts(&t))
            ],
        )?;
        Ok(())
    }

    fn put_agreement(&self, a: &Agreement) -> Result<()> {
        self.conn.execute(
            "INSERT INTO agreements (id, title, details, category, proposed_by, status,
                 review_every_weeks, next_review, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (id) DO UPDATE SET title = ?2, details = ?3, category = ?4,
                 proposed_by = ?5, status = ?6, review_every_weeks = ?7, next_review = ?8,
                 created_at = ?9, updated_at = ?10",
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
                ts(&a.updated_at)
            ],
        )?;
        self.conn.execute(
            "DELETE FROM agreement_consents WHERE agreement_id = ?1",
            [&a.id],
        )?;
        for c in &a.consents {
            self.conn.execute(
                "INSERT INTO agreement_consents (agreement_id, partner_id, consented_at)
                 VALUES (?1, ?2, ?3)",
                params![a.id, c.partner_id, ts(&c.at)],
            )?;
        }
        Ok(())
    }

    fn put_event(&self, e: &AgreementEvent) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO agreement_events (id, agreement_id, partner_id, at, evening,
                 kind, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                e.id,
                e.agreement_id,
                e.partner_id,
                ts(&e.at),
                e.evening,
                e.kind.as_str(),
                e.detail.to_string()
            ],
        )?;
        Ok(())
    }

    fn put_checkin(&self, c: &CheckIn) -> Result<()> {
        self.conn.execute(
            "INSERT INTO checkins (id, partner_id, evening, mood, closeness, appreciation, need,
                 prompt_id, prompt_answer, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (partner_id, evening) DO UPDATE SET id = ?1, mood = ?4,
                 closeness = ?5, appreciation = ?6, need = ?7, prompt_id = ?8,
                 prompt_answer = ?9, note = ?10, created_at = ?11, updated_at = ?12",
            params![
                c.id,
                c.partner_id,
                c.evening,
                c.mood,
                c.closeness,
                c.appreciation,
                c.need,
                c.prompt_id,
                c.prompt_answer,
                c.note,
                ts(&c.created_at),
                ts(&c.updated_at)
            ],
        )?;
        Ok(())
    }

    fn put_win(&self, w: &Win) -> Result<()> {
        self.conn.execute(
            "INSERT INTO wins (id, text, logged_by, about, evening, tags, celebrated_by,
                 celebrated_at, created_at, edited_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (id) DO UPDATE SET text = ?2, logged_by = ?3, about = ?4,
                 evening = ?5, tags = ?6, celebrated_by = ?7, celebrated_at = ?8,
                 created_at = ?9, edited_at = ?10, deleted_at = ?11",
            params![
                w.id,
                w.text,
                w.logged_by,
                w.about,
                w.evening,
                json_text(&w.tags)?,
                w.celebrated_by,
                opt_ts(&w.celebrated_at),
                ts(&w.created_at),
                opt_ts(&w.edited_at),
                opt_ts(&w.deleted_at)
            ],
        )?;
        Ok(())
    }

    fn put_meeting(&self, m: &Meeting) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meetings (id, week, started_at, answers, intentions, completed_at,
                 skipped_at, skip_reason, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (week) DO UPDATE SET id = ?1, started_at = ?3, answers = ?4,
                 intentions = ?5, completed_at = ?6, skipped_at = ?7, skip_reason = ?8,
                 updated_at = ?9",
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
}

impl Store {
    /// The couple's rows become exactly `rows` (a journal joining another's pairing takes the
    /// merged rows as they are); the settings are written over.
    pub fn replace_shared_rows(&mut self, rows: &[(SyncTable, Value)]) -> Result<()> {
        self.atomically(|st| {
            st.conn.execute_batch(
                "DELETE FROM summary_choices; DELETE FROM repair_responses; DELETE FROM repairs;
                 DELETE FROM evening_prompts;
                 DELETE FROM prompt_stars; DELETE FROM agreement_consents; DELETE FROM agreement_events;
                 DELETE FROM checkins; DELETE FROM wins; DELETE FROM meetings;
                 DELETE FROM agreements; DELETE FROM partners;",
            )?;
            for (t, row) in rows {
                st.put_synced_row(*t, row)?;
            }
            Ok(())
        })
    }
}
