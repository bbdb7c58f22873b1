//! Noticing damage: SQLite's own checks, duet's (every row readable, every reference resolves),
//! and the newest backup beside the journal that passes them, for the way back.

use std::path::{Path, PathBuf};

use super::{Result, Store};
use crate::domain::Passphrase;
use crate::error::StoreError;

/// What a check found. Sound when `problems` is empty.
#[derive(Debug, Clone, Default)]
pub struct Health {
    pub problems: Vec<String>,
    /// Rows read when every row was read (the thorough check); 0 otherwise.
    pub rows: usize,
}

impl Health {
    pub fn sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The most a check lists; the first few say enough to know the file is damaged.
const MAX_PROBLEMS: usize = 5;

impl Store {
    /// `thorough`: SQLite's full integrity check (and, for a locked journal, every page's
    /// seal), then every row read as duet reads it. Otherwise the quick form, cheap enough to
    /// run before a backup and after an import (never before the first frame).
    pub fn check(&self, thorough: bool) -> Result<Health> {
        let mut health = Health::default();
        let pragma = if thorough {
            "PRAGMA integrity_check"
        } else {
            "PRAGMA quick_check"
        };
        let mut checks = vec![pragma];
        if thorough && self.is_locked() {
            checks.push("PRAGMA cipher_integrity_check");
        }
        for sql in checks {
            match self.lines(sql) {
                Ok(lines) => health
                    .problems
                    .extend(lines.into_iter().filter(|l| l != "ok")),
                Err(e) => health.problems.push(problem(e)),
            }
        }
        match self.lines("PRAGMA foreign_key_check") {
            Ok(rows) if !rows.is_empty() => health.problems.push(format!(
                "{} rows point at rows that aren't there",
                rows.len()
            )),
            Ok(_) => {}
            Err(e) => health.problems.push(problem(e)),
        }
        if thorough && health.sound() {
            match self.snapshot() {
                Ok(s) => {
                    health.rows = s.partners.len()
                        + s.checkins.len()
                        + s.agreements.len()
                        + s.agreement_events.len()
                        + s.wins.len()
                        + s.meetings.len()
                }
                Err(e) => health.problems.push(problem(e)),
            }
        }
        health.problems.truncate(MAX_PROBLEMS);
        Ok(health)
    }

    /// Every row's first column, as text (the integrity checks answer in lines).
    fn lines(&self, sql: &str) -> Result<Vec<String>> {
        let mut st = self.conn.prepare(sql)?;
        let rows = st.query_map([], |r| {
            Ok(match r.get_ref(0)? {
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                other => format!("{other:?}"),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn problem(e: StoreError) -> String {
    match e {
        StoreError::Corrupt(why) => why,
        other => other.to_string(),
    }
}

/// Copies beside the journal (`duet backup`'s and the ones made before an upgrade), newest
/// first, that open with `key` and pass the quick check.
pub fn sound_backups(db: &Path, key: Option<&Passphrase>) -> Vec<PathBuf> {
    let mut copies: Vec<(std::time::SystemTime, PathBuf)> =
        super::lock::copies_beside(db, &[".backup-", ".bak-v"])
            .into_iter()
            .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
            .collect();
    copies.sort_by_key(|c| std::cmp::Reverse(c.0));
    copies
        .into_iter()
        .map(|(_, p)| p)
        .filter(|p| {
            // Opened as it is: a check must not upgrade or otherwise change a backup.
            super::Store::open_copy(p, key)
                .and_then(|s| s.check(false))
                .is_ok_and(|h| h.sound())
        })
        .collect()
}
