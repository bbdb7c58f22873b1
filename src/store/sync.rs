//! Two devices, as far as the journal holds them: this device's side of the pairing, the merge
//! document's pieces, which files of the shared folder were applied, and the outbox every
//! write adds to. The rows themselves, as plain values, are in `shared_rows.rs`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde_json::Value;

use super::{json_text, ts, Result, Store};

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
    SummaryChoices,
}

impl SyncTable {
    /// In the order rows are written: each after the rows it refers to.
    pub const ALL: [SyncTable; 12] = [
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
        SyncTable::SummaryChoices,
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
            SyncTable::SummaryChoices => "summary_choices",
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
            SyncTable::SummaryChoices => text("partner_id"),
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
}
