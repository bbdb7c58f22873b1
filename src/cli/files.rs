//! The journal as files: the calendar event, backups, demo data, exports and imports.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone};

use super::{ExportFormat, Run};
use crate::domain;
use crate::error::{CliError, StoreError, TransferError};
use crate::schedule;
use crate::store::{self, Health};
use crate::transfer;

pub(super) fn calendar<Tz: TimeZone>(r: &mut Run<Tz>, file: Option<PathBuf>) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let store = r.open()?;
    let couple = store.couple()?;
    let settings = store.settings()?;
    let first =
        schedule::next_occurrence(r.now.clone(), &settings).with_timezone(&r.now.timezone());
    // Seconds from 2020 to the schedule's last change: it grows with every change, and both
    // devices of a pair write the same number for the same schedule. (Not from the journal's
    // start, which a pairing or an import can move; at most i32::MAX, which every reader
    // takes.)
    let epoch = chrono::DateTime::from_timestamp(1_577_836_800, 0).unwrap_or_default();
    let sequence = settings.weekly_from.map_or(0, |from| {
        (from - epoch).num_seconds().clamp(1, i32::MAX as i64) as u32
    });
    let text = crate::calendar::ics(
        &settings,
        first.naive_local(),
        &couple[0].id,
        [&couple[0].name, &couple[1].name],
        r.utc(),
        crate::calendar::local_zone(&r.now),
        sequence,
    );
    match file {
        Some(path) => {
            write_private(&path, text.as_bytes())?;
            r.say(format!(
                "Wrote {}: every {} at {}, starting {}.",
                path.display(),
                domain::weekday_name(settings.weekly_weekday),
                settings.weekly_time.format("%H:%M"),
                first.format("%a %-d %b %Y")
            ))?;
        }
        None => r
            .out
            .write_all(text.as_bytes())
            .map_err(|e| CliError::Output(e.to_string()))?,
    }
    Ok(())
}

pub(super) fn backup<Tz: TimeZone>(r: &mut Run<Tz>, to: Option<PathBuf>) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let store = r.open()?;
    // A damaged copy, named as the newest backup, could be restored over a sound journal.
    let health = store.check(false)?;
    if !health.sound() {
        return Err(CliError::Damaged(format!(
            "{}, so it wasn't backed up; `duet check` shows the way back",
            health.problems[0]
        )));
    }
    let to = to.unwrap_or_else(|| {
        let stamp = r.now.format("%Y%m%d-%H%M%S").to_string();
        let named = |n: u32| {
            let mut name = r.db.file_name().unwrap_or_default().to_os_string();
            name.push(if n == 1 {
                format!(".backup-{stamp}")
            } else {
                format!(".backup-{stamp}-{n}")
            });
            r.db.with_file_name(name)
        };
        (1..)
            .map(named)
            .find(|p| !p.exists())
            .unwrap_or_else(|| named(1))
    });
    store.backup_to(&to)?;
    let how = if store.is_locked() {
        "readable only by you, and locked with the journal's passphrase"
    } else {
        "readable only by you"
    };
    r.say(format!("Backed up to {} ({how}).", to.display()))?;
    Ok(())
}

/// `duet check`: sound, or damaged with the newest sound backup and how to go back to it.
pub(super) fn check<Tz: TimeZone>(r: &mut Run<Tz>) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let (health, key) = match r.asker.open(r.db, false) {
        Ok((store, key)) => (store.check(true)?, key),
        // Too damaged to open at all is a finding too, with the same way back.
        Err(CliError::Store(StoreError::Corrupt(why))) => (
            Health {
                problems: vec![why],
                rows: 0,
            },
            None,
        ),
        Err(e) => return Err(e),
    };
    if health.sound() {
        return r.say(format!(
            "The journal is sound: {} entries, every one read back.",
            health.rows
        ));
    }
    r.say(format!(
        "The journal looks damaged: {}.",
        health.problems.join("; ")
    ))?;
    match store::sound_backups(r.db, key.as_ref()).first() {
        Some(backup) => {
            let side = |suffix: &str| {
                let mut name = r.db.as_os_str().to_owned();
                name.push(suffix);
                quoted(Path::new(&name))
            };
            r.say(format!(
                "The newest sound backup beside it is {}. To go back to it, quit duet everywhere, then:\n  cp {} {}\n  rm -f {} {}\nWhat was written after that backup is not in it; `duet export` may still read some of it first.",
                backup.display(),
                quoted(backup),
                quoted(r.db),
                side("-wal"),
                side("-shm"),
            ))?;
        }
        None => r.say(
            "No sound backup was found beside it. `duet export` may still read much of it; keep the file as it is until then."
                .into(),
        )?,
    }
    Err(CliError::Damaged("see above for the way back".into()))
}

/// A path as the shell reads it back, quoted.
fn quoted(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

pub(super) fn demo<Tz: TimeZone>(r: &mut Run<Tz>, years: u32, seed: u64) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let mut store = r.open()?;
    if !store.partners()?.is_empty() || store.checkin_count()? > 0 {
        return Err(CliError::Usage(format!(
            "{} already holds a journal; demo data only goes into a new file (pass --db /tmp/duet-demo.db)",
            r.db.display()
        )));
    }
    let today = store.evening_at(&r.now)?;
    let snap = crate::demo::generate(years, seed, today);
    let n = store.import_snapshot(&snap, r.utc())?;
    r.say(format!(
        "Made {} rows: {} year{} of Alex and Sam's evenings in {}.",
        n.added,
        years,
        if years == 1 { "" } else { "s" },
        r.db.display()
    ))?;
    Ok(())
}

pub(super) fn export<Tz: TimeZone>(
    r: &mut Run<Tz>,
    file: Option<PathBuf>,
    format: ExportFormat,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    if format == ExportFormat::Json && (from.is_some() || to.is_some()) {
        return Err(CliError::Usage(
            "--from and --to go with --format markdown; the JSON export is always the whole journal".into(),
        ));
    }
    let store = r.open()?;
    let text = match format {
        ExportFormat::Json => transfer::export_json(&store)?,
        ExportFormat::Markdown => {
            let tonight = store.evening_at(&r.now)?;
            let to = to.unwrap_or(tonight);
            if to > tonight {
                return Err(CliError::Usage(format!(
                    "--to {to} is after tonight ({tonight})"
                )));
            }
            let from = from.unwrap_or(to - chrono::Duration::days(89));
            if from > to {
                return Err(CliError::Usage(format!("--from {from} is after --to {to}")));
            }
            crate::report::markdown(&store, from, to, r.now.clone())?
        }
    };
    let plain = if store.is_locked() {
        "plain text, not locked like the journal"
    } else {
        "plain text"
    };
    if file.is_none() && store.is_locked() {
        eprintln!("duet: this export is {plain}: keep it private.");
    }
    match file {
        Some(path) => {
            write_private(&path, text.as_bytes())?;
            r.say(format!(
                "Exported to {} ({plain}: keep it private).",
                path.display()
            ))?;
        }

        None => r
            .out
            .write_all(text.as_bytes())
            .map_err(|e| CliError::Output(e.to_string()))?,
    }
    Ok(())
}

pub(super) fn import<Tz: TimeZone>(r: &mut Run<Tz>, file: PathBuf) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let text = transfer::read_file(&file)?;
    // Validate before opening, so a bad file never creates or touches a journal.
    let snapshot = transfer::parse(&text)?;
    drop(text);
    let mut store = r.open()?;
    let n = store.import_snapshot(&snapshot, r.utc())?;
    let health = store.check(false)?;
    if !health.sound() {
        return Err(CliError::Damaged(format!(
            "{} (after importing {} rows); run `duet check` now",
            health.problems[0], n.added
        )));
    }
    let differ = if n.differ > 0 {
        format!(
            "; {} of them differ from the file and were kept as they are here",
            n.differ
        )
    } else {
        String::new()
    };
    r.say(format!(
        "Imported {} rows ({} were already here{differ}).",
        n.added, n.already_there
    ))?;
    Ok(())
}

/// Writes a file readable only by its owner: to a temporary file beside it, then renamed, so a
/// crash never leaves half a file.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let err = |e: std::io::Error| {
        CliError::Transfer(TransferError::Write {
            path: path.to_owned(),
            reason: crate::store::io_reason(&e),
        })
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "export".into());
    // A new file of its own (mode 0600), removed again if anything below fails.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
