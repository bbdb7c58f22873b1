//! Two devices, as far as the journal holds them: this device's side of the pairing, the merge
//! document's pieces, which files of the shared folder were applied, the outbox every write
//! adds to, and the couple's rows read and written as plain values by their keys.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use serde_json::Value;

use super::{json_text, opt_ts, ts, Result, Store};
use crate::domain::{
    Agreement, AgreementEvent, CheckIn, EveningPrompt, Meeting, Partner, PromptStar, Repair,
    RepairResponse, Settings, Win,
};
use crate::error::StoreError;

/// The kinds of rows the two devices share, in the order they are written (a check-in needs
/// its partner first, an event its agreement).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SyncTable {
    Partners,
    Settings,
    Agreements,
    AgreementEvents,
    CheckIns,
    Wins,
    Meetings,
    Repairs,
    RepairResponses,
    EveningPrompts,
    PromptStars,
}

impl SyncTable {
    /// In the order rows are written: each after the rows it refers to.
    pub const ALL: [SyncTable; 11] = [
        SyncTable::Partners,
        SyncTable::Settings,
        SyncTable::Agreements,
        SyncTable::AgreementEvents,
        SyncTable::CheckIns,
        SyncTable::Wins,
        SyncTable::Meetings,
        SyncTable::Repairs,
        SyncTable::RepairResponses,
        SyncTable::EveningPrompts,
        SyncTable::PromptStars,
    ];

    /// Its name in the outbox and in the merge document.
    pub fn name(self) -> &'static str {
        match self {
            SyncTable::Partners => "partners",
            SyncTable::Settings => "settings",
            SyncTable::Agreements => "agreements",
            SyncTable::AgreementEvents => "agreement_events",
            SyncTable::CheckIns => "checkins",
            SyncTable::Wins => "wins",
            SyncTable::Meetings => "meetings",
            SyncTable::Repairs => "repairs",
            SyncTable::RepairResponses => "repair_responses",
            SyncTable::EveningPrompts => "evening_prompts",
            SyncTable::PromptStars => "prompt_stars",
        }
    }

    pub fn from_name(name: &str) -> Option<SyncTable> {
        SyncTable::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The key a row is shared under. A check-in is one per partner and evening and a weekly
    /// check-in one per week, whichever device made it: two devices that each made one meet
    /// under the same key and merge, field by field.
    pub fn key_of(self, row: &Value) -> String {
        let text = |f: &str| row[f].as_str().unwrap_or_default().to_string();
        match self {
            SyncTable::Settings => "settings".into(),
            SyncTable::CheckIns => format!("{}/{}", text("partner_id"), text("evening")),
            SyncTable::Meetings => text("week"),
            SyncTable::EveningPrompts => text("evening"),
            SyncTable::PromptStars => format!("{}/{}", text("partner_id"), text("prompt_id")),
            _ => text("id"),
        }
    }
}

/// This device's side of a pairing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    pub journal_id: String,
    pub device_id: String,
    /// Whose device this is.
    pub me: Option<String>,
    pub folder: PathBuf,
    pub key: Vec<u8>,
    /// The number the next file this device writes gets.
    pub next_seq: u64,
    /// The merge document's heads when this device last wrote a file.
    pub sent_heads: Vec<String>,
    /// How many times the merge document was saved.
    pub doc_version: i64,
    pub last_sync: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// Another device seen in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenDevice {
    pub device: String,
    pub partner_id: Option<String>,
    pub seen_at: Option<DateTime<Utc>>,
}

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
    pub fn pairing(&self) -> Result<Option<Pairing>> {
        let row = self
            .conn
            .query_row(
                "SELECT journal_id, device_id, me, folder, key, next_seq, sent_heads, last_sync,
                     last_error, doc_version FROM sync_state WHERE id = 1",
                [],
                |r| {
                    let heads: String = r.get(6)?;
                    Ok(Pairing {
                        journal_id: r.get(0)?,
                        device_id: r.get(1)?,
                        me: r.get(2)?,
                        folder: PathBuf::from(r.get::<_, String>(3)?),
                        key: r.get(4)?,
                        next_seq: r.get::<_, i64>(5)?.max(1) as u64,
                        sent_heads: serde_json::from_str(&heads).unwrap_or_default(),
                        last_sync: r.get(7)?,
                        last_error: r.get(8)?,
                        doc_version: r.get(9)?,
                    })
                },
            )
            .optional()?;
        Ok(row)
    }

    /// Pairs this journal: from now on every write also goes to the outbox.
    pub fn start_pairing(&self, p: &Pairing) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_state (id, journal_id, device_id, me, folder, key, next_seq,
                 sent_heads) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                p.journal_id,
                p.device_id,
                p.me,
                p.folder.to_string_lossy(),
                p.key,
                p.next_seq as i64,
                json_text(&p.sent_heads)?
            ],
        )?;
        Ok(())
    }

    /// Forgets the pairing and everything that came with it; the couple's rows stay.
    pub fn leave_pairing(&self) -> Result<()> {
        self.conn.execute_batch(
            "DELETE FROM sync_state; DELETE FROM sync_doc; DELETE FROM sync_applied;
             DELETE FROM sync_devices; DELETE FROM sync_outbox;",
        )?;
        Ok(())
    }

    pub fn set_me(&self, partner_id: &str) -> Result<()> {
        self.conn
            .execute("UPDATE sync_state SET me = ?1", params![partner_id])?;
        Ok(())
    }

    /// After this device wrote a file: the next one's number and what it had sent.
    pub fn set_sent(&self, next_seq: u64, heads: &[String]) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_state SET next_seq = ?1, sent_heads = ?2",
            params![next_seq as i64, json_text(&heads)?],
        )?;
        Ok(())
    }

    pub fn set_sync_result(&self, at: DateTime<Utc>, error: Option<&str>) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_state SET last_sync = ?1, last_error = ?2",
            params![ts(&at), error],
        )?;
        Ok(())
    }

    /// The keys written since the last sync, each once, in the order rows must be written.
    pub fn outbox(&self) -> Result<Vec<(SyncTable, String)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT DISTINCT tbl, key FROM sync_outbox")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut keys: Vec<(SyncTable, String)> = rows
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter_map(|(t, k)| Some((SyncTable::from_name(&t)?, k)))
            .collect();
        keys.sort();
        keys.dedup();
        Ok(keys)
    }

    pub fn outbox_is_empty(&self) -> Result<bool> {
        Ok(!self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM sync_outbox)", [], |r| {
                r.get(0)
            })?)
    }

    pub fn clear_outbox(&self) -> Result<()> {
        self.conn.execute("DELETE FROM sync_outbox", [])?;
        Ok(())
    }

    pub fn doc_pieces(&self) -> Result<Vec<Vec<u8>>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT bytes FROM sync_doc ORDER BY n")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a piece to the merge document; says how many pieces there are now, and the
    /// document's new version.
    pub fn add_doc_piece(&self, bytes: &[u8]) -> Result<(usize, i64)> {
        self.conn
            .execute("INSERT INTO sync_doc (bytes) VALUES (?1)", params![bytes])?;
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sync_doc", [], |r| r.get(0))?;
        Ok((n as usize, self.next_doc_version()?))
    }

    /// The merge document saved whole; says its new version.
    pub fn replace_doc(&self, bytes: &[u8]) -> Result<i64> {
        self.conn.execute("DELETE FROM sync_doc", [])?;
        self.conn
            .execute("INSERT INTO sync_doc (bytes) VALUES (?1)", params![bytes])?;
        self.next_doc_version()
    }

    /// The merge document saved whole, unless another process saved it since `seen` (its
    /// version when it was read): then what is stored is newer than `bytes` and stays.
    pub fn replace_doc_if_unchanged(&self, seen: i64, bytes: &[u8]) -> Result<Option<i64>> {
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        let now: Option<i64> = tx
            .query_row("SELECT doc_version FROM sync_state", [], |r| r.get(0))
            .optional()?;
        if now != Some(seen) {
            return Ok(None);
        }
        let version = self.replace_doc(bytes)?;
        tx.commit()?;
        Ok(Some(version))
    }

    fn next_doc_version(&self) -> Result<i64> {
        self.conn
            .execute("UPDATE sync_state SET doc_version = doc_version + 1", [])?;
        Ok(self
            .conn
            .query_row("SELECT doc_version FROM sync_state", [], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }

    pub fn applied_files(&self, device: &str) -> Result<BTreeSet<u64>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT seq FROM sync_applied WHERE device = ?1")?;
        let rows = st.query_map([device], |r| r.get::<_, i64>(0))?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|s| s as u64)
            .collect())
    }

    pub fn mark_applied(&self, device: &str, seq: u64) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO sync_applied (device, seq) VALUES (?1, ?2)",
            params![device, seq as i64],
        )?;
        Ok(())
    }

    /// A file this device no longer keeps (folded into a newer one) needn't be remembered.
    pub fn forget_applied(&self, device: &str, seq: u64) -> Result<()> {
        self.conn.execute(
            "DELETE FROM sync_applied WHERE device = ?1 AND seq = ?2",
            params![device, seq as i64],
        )?;
        Ok(())
    }

    pub fn note_device(
        &self,
        device: &str,
        partner_id: Option<&str>,
        seen_at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_devices (device, partner_id, seen_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (device) DO UPDATE SET partner_id = ?2,
                 seen_at = max(coalesce(seen_at, ''), ?3)",
            params![device, partner_id, ts(&seen_at)],
        )?;
        Ok(())
    }

    pub fn seen_devices(&self) -> Result<Vec<SeenDevice>> {
        let mut st = self.conn.prepare_cached(
            "SELECT device, partner_id, seen_at FROM sync_devices ORDER BY seen_at DESC",
        )?;
        let rows = st.query_map([], |r| {
            Ok(SeenDevice {
                device: r.get(0)?,
                partner_id: r.get(1)?,
                seen_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

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
        self.conn.execute(
            "UPDATE settings SET weekly_weekday = ?1, weekly_time = ?2, day_boundary = ?3
             WHERE id = 1",
            params![
                s.weekly_weekday.num_days_from_monday(),
                s.weekly_time.format("%H:%M").to_string(),
                s.day_boundary.format("%H:%M").to_string()
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
                "DELETE FROM repair_responses; DELETE FROM repairs; DELETE FROM evening_prompts;
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
