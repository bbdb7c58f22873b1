//! `duet setup`: naming the couple, the weekly time, and locking a journal from the start.

use chrono::TimeZone;

use super::lock::lock_journal;
use super::Run;
use crate::domain;
use crate::error::CliError;
use crate::store::{self, FileKind, Store};

pub(super) fn setup<Tz: TimeZone>(
    r: &mut Run<Tz>,
    partners: Vec<String>,
    weekly: Option<String>,
    encrypt: bool,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    if partners.is_empty() && weekly.is_none() && !encrypt {
        return Err(CliError::Usage(
            "tell setup what to change: --partner NAME --partner NAME, --weekly \"sun 19:00\", and/or --encrypt".into(),
        ));
    }
    if !(partners.is_empty() || partners.len() == 2) {
        return Err(CliError::Usage(format!(
            "give --partner exactly twice, once for each of you (got {})",
            partners.len()
        )));
    }
    // Validate everything before opening, so bad input never creates a file.
    for p in &partners {
        domain::name(p)?;
    }
    if partners.len() == 2 && domain::fold(&partners[0]) == domain::fold(&partners[1]) {
        return Err(CliError::Usage("the two names must differ".into()));
    }
    let weekly = weekly.as_deref().map(domain::parse_weekly).transpose()?;
    if encrypt && store::file_kind(r.db) == FileKind::Plain {
        store::ensure_closed_elsewhere(r.db)?;
    }
    // Only naming the couple creates a journal; a new one is created locked at once,
    // so the names never touch the disk in plain text.
    let mut store = if partners.is_empty() {
        r.asker.open(r.db, false)?.0
    } else if encrypt && store::file_kind(r.db) == FileKind::Missing {
        let key = r
            .asker
            .choose(r.asker.file.as_deref(), "--passphrase-file", r.db)?;
        Store::open_with(r.db, Some(&key))?
    } else {
        r.open()?
    };
    // Chosen before anything is written, so a refused passphrase changes nothing.
    let new_key = if encrypt && !store.is_locked() {
        Some(
            r.asker
                .choose(r.asker.file.as_deref(), "--passphrase-file", r.db)?,
        )
    } else {
        None
    };
    if partners.is_empty() {
        store.couple()?;
    } else {
        let [a, b] = store.set_partners([&partners[0], &partners[1]], r.utc())?;
        r.say(format!("Partners: {} and {}.", a.name, b.name))?;
    }
    let mut settings = store.settings()?;
    if let Some((day, time)) = weekly {
        settings.weekly_weekday = day;
        settings.weekly_time = time;
        store.save_settings(&settings, r.utc())?;
    }
    r.say(format!(
        "Weekly check-in: {} at {}.",
        domain::weekday_name(settings.weekly_weekday),
        settings.weekly_time.format("%H:%M")
    ))?;
    if encrypt {
        drop(store);
        match new_key {
            Some(key) => lock_journal(r.db, &key, r.out)?,
            None => r.say("The journal is locked with a passphrase.".into())?,
        }
    }
    Ok(())
}
