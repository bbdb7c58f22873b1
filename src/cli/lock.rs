//! Locking the journal with a passphrase, changing it, and taking it off.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::TimeZone;

use super::Run;
use crate::domain::Passphrase;
use crate::error::{CliError, StoreError};
use crate::passphrase::Asker;
use crate::store::{self, FileKind};

pub(super) fn encrypt<Tz: TimeZone>(r: &mut Run<Tz>) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    match store::file_kind(r.db) {
        FileKind::Missing => Err(StoreError::NoJournal { path: r.db.into() }.into()),
        FileKind::Locked => Err(CliError::Usage(
            "the journal is already locked with a passphrase; to change it, run `duet passphrase`"
                .into(),
        )),
        // Opening first: a file that isn't a journal gets its own clear message.
        _ => {
            store::ensure_closed_elsewhere(r.db)?;
            drop(r.open()?);
            let key = r
                .asker
                .choose(r.asker.file.as_deref(), "--passphrase-file", r.db)?;
            lock_journal(r.db, &key, r.out)
        }
    }
}

pub(super) fn change_passphrase<Tz: TimeZone>(
    r: &mut Run<Tz>,
    new_passphrase_file: Option<PathBuf>,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let current = unlock_for_change(r.db, r.asker)?;
    let new = r.asker.choose(
        new_passphrase_file.as_deref(),
        "--new-passphrase-file",
        r.db,
    )?;
    if new == current {
        return Err(CliError::Usage(
            "that is the passphrase it has now; nothing was changed".into(),
        ));
    }
    store::relock(r.db, Some(&current), Some(&new))?;
    r.say("Changed the passphrase. Backups made before it still open with the old one.".into())
}

pub(super) fn decrypt<Tz: TimeZone>(r: &mut Run<Tz>, yes: bool) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    store::ensure_closed_elsewhere(r.db)?;
    if store::file_kind(r.db) == FileKind::Locked && !yes {
        let question = format!(
            "This writes the journal back as plain text: anyone who can read {} will be able to read every entry.",
            r.db.display()
        );
        if !r.asker.confirm(&question, "decrypt")? {
            return Err(CliError::NotConfirmed("the journal stays locked"));
        }
    }
    let current = unlock_for_change(r.db, r.asker)?;
    store::relock(r.db, Some(&current), None)?;
    r.say(format!(
        "{} is plain text again, readable only by you.",
        r.db.display()
    ))
}

/// `duet encrypt` and `duet setup --encrypt`: lock a plain journal with the chosen passphrase.
pub(super) fn lock_journal(
    db: &Path,
    key: &Passphrase,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let done = store::relock(db, None, Some(key))?;
    let mut text = format!(
        "Locked {} with your passphrase; every entry was copied and checked.\nduet asks for the passphrase whenever it opens the journal.",
        db.display()
    );
    if !done.plain_copies.is_empty() {
        text.push_str("\nThese older copies beside it are still plain text; delete them when you no longer need them (`duet backup` now makes locked copies):");
        for p in &done.plain_copies {
            text.push_str(&format!("\n  {}", p.display()));
        }
    }
    writeln!(out, "{text}").map_err(|e| CliError::Output(e.to_string()))
}

/// The current passphrase of a journal that must be locked, checked by opening it.
fn unlock_for_change(db: &Path, asker: &Asker) -> Result<Passphrase, CliError> {
    match store::file_kind(db) {
        FileKind::Missing => Err(StoreError::NoJournal { path: db.into() }.into()),
        FileKind::Locked => {
            store::ensure_closed_elsewhere(db)?;
            let (store, key) = asker.open_asking(db, false, "Current passphrase: ")?;
            drop(store);
            key.ok_or(CliError::Usage("the journal isn't locked".into()))
        }
        _ => Err(CliError::Usage(
            "the journal isn't locked with a passphrase; to lock it, run `duet encrypt`".into(),
        )),
    }
}
