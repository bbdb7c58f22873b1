//! The command line: clap definitions and the shell commands. The clock is read by `main` and
//! passed in, so every command here is testable with a fixed time.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, TimeZone, Utc};
use clap::{Parser, Subcommand};
use serde_json::json;

use crate::domain::{self, AgreementStatus, CheckInDraft, Partner, WinDraft};
use crate::error::{CliError, StoreError, TransferError};
use crate::passphrase::Asker;
use crate::schedule;
use crate::store::{self, FileKind, Store};
use crate::transfer;

#[derive(Debug, Parser)]
#[command(
    name = "duet",
    version,
    about = "A five-minute evening check-in for couples, in the terminal.",
    long_about = "A five-minute evening check-in for couples, in the terminal.\n\n\
        Run `duet` with no command to open the app. Everything stays in one SQLite file on \
        this machine; nothing is ever sent anywhere."
)]
pub struct Cli {
    /// The journal file [default: <XDG data dir>/duet/duet.db]
    #[arg(long, global = true, env = "DUET_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Read the journal's passphrase from the first line of FILE instead of asking (for
    /// scripts; keep the file private)
    #[arg(long, global = true, env = "DUET_PASSPHRASE_FILE", value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Name the two partners and choose the weekly check-in time
    #[command(
        after_help = "Examples:\n  duet setup --partner Alex --partner Sam\n  duet setup --weekly \"sun 19:00\""
    )]
    Setup {
        /// A partner's name (give it twice, once for each of you)
        #[arg(long = "partner", value_name = "NAME")]
        partners: Vec<String>,
        /// The weekly check-in: a day and a 24-hour time, like "sun 19:00"
        #[arg(long, value_name = "DAY HH:MM")]
        weekly: Option<String>,
        /// Lock the journal with a passphrase (asked twice; see `duet encrypt --help`)
        #[arg(long)]
        encrypt: bool,
    },
    /// Log a small win
    #[command(
        after_help = "Examples:\n  duet win \"Sam made coffee before I woke up\" --by Alex --about Sam\n  duet win \"A calm talk about money\" --about us --tag money"
    )]
    Win {
        /// What happened, in a line
        text: String,
        /// Who is logging it [default: the first partner]
        #[arg(long, env = "DUET_PARTNER", value_name = "NAME")]
        by: Option<String>,
        /// Whom it is about: a partner's name, or "us"
        #[arg(long, value_name = "NAME|us", default_value = "us")]
        about: String,
        /// A tag (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Check in for tonight (creates or updates your entry for this evening)
    #[command(
        after_help = "Mood and closeness go from 1 to 5:\n  mood       1 rough · 2 low · 3 okay · 4 good · 5 great\n  closeness  1 distant · 2 apart · 3 alright · 4 close · 5 very close\n\nExample:\n  duet checkin --by Alex --mood 4 --closeness 4 --appreciation \"You listened\""
    )]
    Checkin {
        /// Who is checking in
        #[arg(long, env = "DUET_PARTNER", value_name = "NAME")]
        by: String,
        /// How the day felt, 1 (rough) to 5 (great)
        #[arg(long, value_name = "1-5", allow_negative_numbers = true)]
        mood: i64,
        /// How close you feel, 1 (distant) to 5 (very close)
        #[arg(long, value_name = "1-5", allow_negative_numbers = true)]
        closeness: i64,
        /// One thing you appreciated about your partner
        #[arg(long, value_name = "TEXT")]
        appreciation: Option<String>,
        /// One need or wish
        #[arg(long, value_name = "TEXT")]
        need: Option<String>,
        /// A private note
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// List your agreements (boundaries) and their status
    Agreements {
        /// Only those with this status
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
    },
    /// Tonight's check-ins, the next weekly check-in, and counts
    Status {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Print one line when something is waiting (the weekly check-in, or tonight's), else nothing
    #[command(
        after_help = "Meant for a shell's rc file, cron or a systemd timer; see the README.\nPrints nothing (and creates nothing) when there is no journal yet."
    )]
    Remind,
    /// Write the weekly check-in as an iCalendar file (a weekly repeating event)
    Calendar {
        /// Write to this file instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Fill a new journal with a made-up couple's years of evenings, to try duet or benchmark it
    #[command(
        after_help = "Example:\n  duet demo --years 2 --db /tmp/duet-demo.db && duet --db /tmp/duet-demo.db"
    )]
    Demo {
        /// How many years of evenings
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
        years: u32,
        /// The same seed gives the same couple
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Make a copy of the journal (safe while the app is open)
    #[command(
        after_help = "To restore, quit duet and copy the backup over the journal file (see the README)."
    )]
    Backup {
        /// Where to write it [default: beside the journal, named with today's date and time]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write the whole journal as versioned JSON, or a readable Markdown summary (plain text:
    /// keep it private)
    #[command(
        after_help = "Examples:\n  duet export --out duet-export.json\n  duet export --format markdown --from 2026-09-01 --out summary.md"
    )]
    Export {
        /// Write to this file (mode 0600) instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// json: everything, to import again; markdown: a summary to read or bring to a counsellor
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// First evening of the summary (markdown only) [default: 90 days ago]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        from: Option<chrono::NaiveDate>,
        /// Last evening of the summary (markdown only) [default: tonight]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        to: Option<chrono::NaiveDate>,
    },
    /// Lock the journal with a passphrase, so the file can't be read without it
    #[command(
        long_about = "Lock the journal with a passphrase, so the file can't be read without it.\n\n\
            The journal is copied into a locked file, checked, and only then put in place of the \
            plain one. duet asks for the passphrase whenever it opens the journal.\n\n\
            If you forget the passphrase, the journal can't be opened again, by you or anyone: \
            there is no reset and no way to recover it.",
        after_help = "Examples:\n  duet encrypt\n  duet encrypt --passphrase-file ~/.config/duet/passphrase"
    )]
    Encrypt,
    /// Change the journal's passphrase
    #[command(
        after_help = "Asks for the current passphrase, then the new one twice. For scripts:\n  duet passphrase --passphrase-file OLD --new-passphrase-file NEW"
    )]
    Passphrase {
        /// Read the new passphrase from the first line of FILE instead of asking
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Remove the passphrase: write the journal back as plain text
    Decrypt {
        /// Don't ask for confirmation (for scripts)
        #[arg(long)]
        yes: bool,
    },
    /// Read an export back in, all or nothing; rows already here are not doubled
    Import {
        /// The export file
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Markdown,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    let t = s.trim();
    // chrono would read "26-11-01" as the year 26.
    let shape = t.len() == 10
        && t.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    shape
        .then_some(t)
        .and_then(|t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
        .ok_or(())
        .map_err(|_| {
            format!(
                "\"{}\" isn't a date; write it as YYYY-MM-DD, like 2026-09-01",
                crate::text::shown(s)
            )
        })
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum StatusArg {
    Proposed,
    Agreed,
    Revisit,
    Retired,
}

impl StatusArg {
    fn status(self) -> AgreementStatus {
        match self {
            StatusArg::Proposed => AgreementStatus::Proposed,
            StatusArg::Agreed => AgreementStatus::Agreed,
            StatusArg::Revisit => AgreementStatus::Revisit,
            StatusArg::Retired => AgreementStatus::Retired,
        }
    }
}

pub fn default_db_path() -> Result<PathBuf, CliError> {
    directories::ProjectDirs::from("", "", "duet")
        .map(|d| d.data_dir().join("duet.db"))
        .ok_or_else(|| {
            CliError::Usage("can't find a home folder for the journal; pass --db PATH".into())
        })
}

pub fn db_path(cli: &Cli) -> Result<PathBuf, CliError> {
    match &cli.db {
        Some(p) if p.as_os_str().is_empty() => {
            Err(CliError::Usage("--db needs a file path".into()))
        }
        Some(p) => Ok(p.clone()),
        None => default_db_path(),
    }
}

/// Runs a shell command. `now` is the one reading of the clock for the whole command.
pub fn run<Tz: TimeZone>(
    cmd: Command,
    db: &Path,
    now: DateTime<Tz>,
    out: &mut dyn Write,
    asker: &Asker,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let utc = now.with_timezone(&Utc);
    // Only setup, import and demo may create a journal; everything else needs one already.
    let creates = matches!(
        cmd,
        Command::Setup { .. } | Command::Import { .. } | Command::Demo { .. }
    );
    let open = || asker.open(db, creates).map(|(store, _)| store);
    let w = |out: &mut dyn Write, s: String| -> Result<(), CliError> {
        writeln!(out, "{s}").map_err(|e| CliError::Output(e.to_string()))
    };
    match cmd {
        Command::Setup {
            partners,
            weekly,
            encrypt,
        } => {
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
            if encrypt && store::file_kind(db) == FileKind::Plain {
                store::ensure_closed_elsewhere(db)?;
            }
            // Only naming the couple creates a journal; a new one is created locked at once,
            // so the names never touch the disk in plain text.
            let mut store = if partners.is_empty() {
                asker.open(db, false)?.0
            } else if encrypt && store::file_kind(db) == FileKind::Missing {
                let key = asker.choose(asker.file.as_deref(), "--passphrase-file", db)?;
                Store::open_with(db, Some(&key))?
            } else {
                open()?
            };
            // Chosen before anything is written, so a refused passphrase changes nothing.
            let new_key = if encrypt && !store.is_locked() {
                Some(asker.choose(asker.file.as_deref(), "--passphrase-file", db)?)
            } else {
                None
            };
            if partners.is_empty() {
                store.couple()?;
            } else {
                let [a, b] = store.set_partners([&partners[0], &partners[1]], utc)?;
                w(out, format!("Partners: {} and {}.", a.name, b.name))?;
            }
            let mut settings = store.settings()?;
            if let Some((day, time)) = weekly {
                settings.weekly_weekday = day;
                settings.weekly_time = time;
                store.save_settings(&settings, utc)?;
            }
            w(
                out,
                format!(
                    "Weekly check-in: {} at {}.",
                    domain::weekday_name(settings.weekly_weekday),
                    settings.weekly_time.format("%H:%M")
                ),
            )?;
            if encrypt {
                drop(store);
                match new_key {
                    Some(key) => lock_journal(db, &key, out)?,
                    None => w(out, "The journal is locked with a passphrase.".into())?,
                }
            }
            Ok(())
        }
        Command::Encrypt => match store::file_kind(db) {
            FileKind::Missing => Err(StoreError::NoJournal { path: db.into() }.into()),
            FileKind::Locked => Err(CliError::Usage(
                "the journal is already locked with a passphrase; to change it, run `duet passphrase`".into(),
            )),
            // Opening first: a file that isn't a journal gets its own clear message.
            _ => {
                store::ensure_closed_elsewhere(db)?;
                drop(open()?);
                let key = asker.choose(asker.file.as_deref(), "--passphrase-file", db)?;
                lock_journal(db, &key, out)
            }
        },
        Command::Passphrase {
            new_passphrase_file,
        } => {
            let current = unlock_for_change(db, asker)?;
            let new = asker.choose(
                new_passphrase_file.as_deref(),
                "--new-passphrase-file",
                db,
            )?;
            if new == current {
                return Err(CliError::Usage(
                    "that is the passphrase it has now; nothing was changed".into(),
                ));
            }
            store::relock(db, Some(&current), Some(&new))?;
            w(out, "Changed the passphrase. Backups made before it still open with the old one.".into())
        }
        Command::Decrypt { yes } => {
            store::ensure_closed_elsewhere(db)?;
            if store::file_kind(db) == FileKind::Locked && !yes {
                let question = format!(
                    "This writes the journal back as plain text: anyone who can read {} will be able to read every entry.",
                    db.display()
                );
                if !asker.confirm(&question, "decrypt")? {
                    return Err(CliError::Usage("not confirmed; the journal stays locked".into()));
                }
            }
            let current = unlock_for_change(db, asker)?;
            store::relock(db, Some(&current), None)?;
            w(
                out,
                format!("{} is plain text again, readable only by you.", db.display()),
            )
        }
        Command::Win {
            text,
            by,
            about,
            tags,
        } => {
            let draft = WinDraft {
                text,
                about: None,
                tags,
            };
            draft.validated()?;
            let mut store = open()?;
            let couple = store.couple()?;
            let by = match by.filter(|b| !b.trim().is_empty()) {
                Some(name) => find_partner(&couple, &name)?.id.clone(),
                None => couple[0].id.clone(),
            };
            let about = if about.trim().eq_ignore_ascii_case("us") {
                None
            } else {
                Some(find_partner(&couple, &about)?.id.clone())
            };
            let evening = store.evening_at(&now)?;
            let (win, count) = store.add_win(&by, &WinDraft { about, ..draft }, evening, utc)?;
            let so_far = if count == 1 {
                "your first win".to_string()
            } else {
                format!("{count} wins so far")
            };
            w(out, format!("Saved: \"{}\" ({so_far})", win.text))?;
            if let Some(m) = domain::win_milestone(count) {
                w(out, m.to_string())?;
            }
            Ok(())
        }
        Command::Checkin {
            by,
            mood,
            closeness,
            appreciation,
            need,
            note,
        } => {
            let draft = CheckInDraft {
                mood: domain::rating("mood", mood)?,
                closeness: domain::rating("closeness", closeness)?,
                appreciation: appreciation.unwrap_or_default(),
                need: need.unwrap_or_default(),
                prompt_id: None,
                prompt_answer: String::new(),
                note: note.unwrap_or_default(),
            };
            draft.validated()?;
            let mut store = open()?;
            let couple = store.couple()?;
            let partner = find_partner(&couple, &by)?.clone();
            let evening = store.evening_at(&now)?;
            // Keep what was already written tonight unless this command replaces it.
            let mut merged = draft.clone();
            if let Some(old) = store.checkin(&partner.id, evening)? {
                if merged.appreciation.is_empty() {
                    merged.appreciation = old.appreciation;
                }
                if merged.need.is_empty() {
                    merged.need = old.need;
                }
                if merged.note.is_empty() {
                    merged.note = old.note;
                }
                merged.prompt_id = old.prompt_id;
                merged.prompt_answer = old.prompt_answer;
            }
            let c = store.save_checkin(&partner.id, evening, &merged, utc)?;
            w(
                out,
                format!(
                    "{} checked in for the evening of {}: mood {} ({}), closeness {} ({}).",
                    partner.name,
                    c.evening.format("%a %-d %b"),
                    c.mood,
                    domain::mood_word(c.mood),
                    c.closeness,
                    domain::closeness_word(c.closeness)
                ),
            )?;
            Ok(())
        }
        Command::Agreements { status } => {
            let status = status.map(StatusArg::status);
            let store = open()?;
            let couple = store.couple()?;
            let list = store.agreements(status)?;
            if list.is_empty() {
                let text = match status {
                    Some(s) => format!("No {} agreements.", s.as_str()),
                    None => "No agreements yet. Propose one in the app (duet, then 2).".into(),
                };
                w(out, text)?;
            }
            for a in list {
                let by = couple
                    .iter()
                    .find(|p| p.id == a.proposed_by)
                    .map(|p| p.name.as_str())
                    .unwrap_or("?");
                let review = a
                    .next_review
                    .map(|d| format!(" · review {}", d.format("%-d %b")))
                    .unwrap_or_default();
                w(
                    out,
                    format!(
                        "[{:<8}] {} (proposed by {by}{review})",
                        a.status.as_str(),
                        a.title
                    ),
                )?;
            }
            Ok(())
        }
        Command::Status { json } => {
            let store = open()?;
            let couple = store.couple()?;
            let evening = store.evening_at(&now)?;
            let schedule::Weekly {
                status: weekly,
                line,
                ..
            } = schedule::Weekly::read(&store, now.clone())?;
            let mut tonight = Vec::new();
            for p in &couple {
                tonight.push((p, store.checkin(&p.id, evening)?.is_some()));
            }
            let wins = store.win_count()?;
            let checkins = store.checkin_count()?;
            let agreements = store.agreement_counts()?;
            if json {
                let v = json!({
                    "evening": evening,
                    "partners": tonight.iter().map(|(p, done)| json!({"name": p.name, "checked_in_tonight": done})).collect::<Vec<_>>(),
                    "weekly": { "status": weekly, "text": line },
                    "counts": {
                        "wins": wins,
                        "checkins": checkins,
                        "agreements": agreements.iter().map(|(s, n)| (s.as_str().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
                    }
                });
                w(out, serde_json::to_string_pretty(&v).unwrap_or_default())?;
            } else {
                w(
                    out,
                    format!(
                        "{} & {} · evening of {}",
                        couple[0].name,
                        couple[1].name,
                        evening.format("%a %-d %b %Y")
                    ),
                )?;
                let t: Vec<String> = tonight
                    .iter()
                    .map(|(p, done)| {
                        format!(
                            "{} {}",
                            p.name,
                            if *done { "checked in ✓" } else { "not yet" }
                        )
                    })
                    .collect();
                w(out, format!("Tonight: {}", t.join(" · ")))?;
                w(out, line)?;
                let agreed = agreements
                    .iter()
                    .filter(|(s, _)| *s == AgreementStatus::Agreed)
                    .map(|(_, n)| n)
                    .sum::<i64>();
                let open_ones = agreements
                    .iter()
                    .filter(|(s, _)| {
                        matches!(s, AgreementStatus::Proposed | AgreementStatus::Revisit)
                    })
                    .map(|(_, n)| n)
                    .sum::<i64>();
                w(out, format!("Wins: {wins} · Check-ins: {checkins} · Agreements: {agreed} agreed, {open_ones} open"))?;
            }
            Ok(())
        }
        Command::Remind => {
            // A reminder in a shell's rc file must never create a journal, complain, or stop
            // a shell from starting to ask for a passphrase.
            if !db.exists() || (store::file_kind(db) == FileKind::Locked && asker.file.is_none()) {
                return Ok(());
            }
            let store = open()?;
            let Ok(couple) = store.couple() else {
                return Ok(());
            };
            if let Some(line) = reminder(&store, &couple, now)? {
                w(out, line)?;
            }
            Ok(())
        }
        Command::Calendar { out: file } => {
            let store = open()?;
            let couple = store.couple()?;
            let settings = store.settings()?;
            let first =
                schedule::next_occurrence(now.clone(), &settings).with_timezone(&now.timezone());
            let text = crate::calendar::ics(
                &settings,
                first.naive_local(),
                &couple[0].id,
                [&couple[0].name, &couple[1].name],
                utc,
            );
            match file {
                Some(path) => {
                    write_private(&path, text.as_bytes())?;
                    w(
                        out,
                        format!(
                            "Wrote {}: every {} at {}, starting {}.",
                            path.display(),
                            domain::weekday_name(settings.weekly_weekday),
                            settings.weekly_time.format("%H:%M"),
                            first.format("%a %-d %b %Y")
                        ),
                    )?;
                }
                None => out
                    .write_all(text.as_bytes())
                    .map_err(|e| CliError::Output(e.to_string()))?,
            }
            Ok(())
        }
        Command::Backup { out: to } => {
            let store = open()?;
            let to = to.unwrap_or_else(|| {
                let stamp = now.format("%Y%m%d-%H%M%S").to_string();
                let named = |n: u32| {
                    let mut name = db.file_name().unwrap_or_default().to_os_string();
                    name.push(if n == 1 {
                        format!(".backup-{stamp}")
                    } else {
                        format!(".backup-{stamp}-{n}")
                    });
                    db.with_file_name(name)
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
            w(out, format!("Backed up to {} ({how}).", to.display()))?;
            Ok(())
        }
        Command::Demo { years, seed } => {
            let mut store = open()?;
            if !store.partners()?.is_empty() || store.checkin_count()? > 0 {
                return Err(CliError::Usage(format!(
                    "{} already holds a journal; demo data only goes into a new file (pass --db /tmp/duet-demo.db)",
                    db.display()
                )));
            }
            let today = store.evening_at(&now)?;
            let snap = crate::demo::generate(years, seed, today);
            let n = store.import_snapshot(&snap, utc)?;
            w(
                out,
                format!(
                    "Made {} rows: {} years of Alex and Sam's evenings in {}.",
                    n.added,
                    years,
                    db.display()
                ),
            )?;
            Ok(())
        }
        Command::Export {
            out: file,
            format,
            from,
            to,
        } => {
            if format == ExportFormat::Json && (from.is_some() || to.is_some()) {
                return Err(CliError::Usage(
                    "--from and --to go with --format markdown; the JSON export is always the whole journal".into(),
                ));
            }
            let store = open()?;
            let text = match format {
                ExportFormat::Json => transfer::export_json(&store)?,
                ExportFormat::Markdown => {
                    let tonight = store.evening_at(&now)?;
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
                    crate::report::markdown(&store, from, to, now.clone())?
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
                    w(
                        out,
                        format!("Exported to {} ({plain}: keep it private).", path.display()),
                    )?;
                }

                None => out
                    .write_all(text.as_bytes())
                    .map_err(|e| CliError::Output(e.to_string()))?,
            }
            Ok(())
        }
        Command::Import { file } => {
            let bytes = std::fs::read(&file).map_err(|e| TransferError::Read {
                path: file.clone(),
                reason: crate::store::io_reason(&e),
            })?;
            let text = String::from_utf8(bytes).map_err(|_| TransferError::Invalid {
                at: "$".into(),
                reason: "the file is not UTF-8 text".into(),
            })?;
            // Validate before opening, so a bad file never creates or touches a journal.
            transfer::parse(&text)?;
            let mut store = open()?;
            let n = transfer::import_json(&mut store, &text, utc)?;
            let differ = if n.differ > 0 {
                format!(
                    "; {} of them differ from the file and were kept as they are here",
                    n.differ
                )
            } else {
                String::new()
            };
            w(
                out,
                format!(
                    "Imported {} rows ({} were already here{differ}).",
                    n.added, n.already_there
                ),
            )?;
            Ok(())
        }
    }
}

/// What `duet remind` says, if anything: the weekly check-in when it is due, otherwise tonight's
/// check-in once the weekly time of day has passed and someone hasn't checked in.
pub fn reminder<Tz: TimeZone>(
    store: &Store,
    couple: &[Partner; 2],
    now: DateTime<Tz>,
) -> Result<Option<String>, CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let settings = store.settings()?;
    let weekly = schedule::Weekly::read(store, now.clone())?;
    if weekly.status.wants_meeting() {
        return Ok(Some(format!(
            "duet: {} — open duet and press W.",
            weekly.line
        )));
    }
    if now.naive_local().time() >= settings.weekly_time {
        let evening = store.evening_at(&now)?;
        let mut waiting = Vec::new();
        for p in couple {
            if store.checkin(&p.id, evening)?.is_none() {
                waiting.push(p.name.as_str());
            }
        }
        if !waiting.is_empty() {
            return Ok(Some(format!(
                "duet: tonight's check-in is waiting for {}.",
                waiting.join(" and ")
            )));
        }
    }
    Ok(None)
}

/// A partner by name, however it was typed: case and accents folded, and the first word alone
/// is enough when it is unique ("Ravi" for "Ravi 🌙").
fn find_partner<'a>(couple: &'a [Partner; 2], name: &str) -> Result<&'a Partner, CliError> {
    let n = domain::fold(name);
    let first_word = |p: &Partner| {
        domain::fold(&p.name)
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let by_word: Vec<&Partner> = couple
        .iter()
        .filter(|p| !n.is_empty() && first_word(p) == n)
        .collect();
    couple
        .iter()
        .find(|p| domain::fold(&p.name) == n)
        .or(if by_word.len() == 1 {
            Some(by_word[0])
        } else {
            None
        })
        .ok_or_else(|| {
            CliError::Usage(format!(
                "no partner called \"{}\"; the partners are {} and {}",
                crate::text::shown(name.trim()),
                couple[0].name,
                couple[1].name
            ))
        })
}

/// Writes a file readable only by its owner: to a temporary file beside it, then renamed, so a
/// crash never leaves half a file.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::os::unix::fs::OpenOptionsExt;
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
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// The local clock reading used by `main`; here so `Local` appears in one place.
pub fn local(now: DateTime<Utc>) -> DateTime<Local> {
    now.with_timezone(&Local)
}

/// `duet encrypt` and `duet setup --encrypt`: lock a plain journal with the chosen passphrase.
fn lock_journal(
    db: &Path,
    key: &crate::domain::Passphrase,
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
fn unlock_for_change(db: &Path, asker: &Asker) -> Result<crate::domain::Passphrase, CliError> {
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
