//! The command line: clap definitions, and a dispatcher that hands each command to the module
//! for its family. The clock is read by `main` and passed in, so every command is testable
//! with a fixed time.

mod devices;
mod entries;
mod files;
mod lock;
mod repairs;
mod setup;
pub mod show;

pub use entries::reminder;
pub use files::write_private;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, TimeZone, Utc};
use clap::{Parser, Subcommand};

use crate::domain::AgreementStatus;
use crate::error::CliError;
use crate::passphrase::Asker;
use crate::store::Store;

#[derive(Debug, Parser)]
#[command(
    name = "duet",
    version,
    about = "A five-minute evening check-in for couples, in the terminal.",
    long_about = "A five-minute evening check-in for couples, in the terminal.\n\n\
        Run `duet` with no command to open the app. Everything stays in one SQLite file on \
        this machine, and duet never sends anything anywhere; `duet sync` can share the \
        journal with the other partner's device, sealed, through a folder you already sync."
)]
pub struct Cli {
    /// The journal file [default: <XDG data dir>/duet/duet.db]
    #[arg(long, global = true, env = "DUET_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Read the journal's passphrase from the first line of FILE instead of asking (for
    /// scripts; keep the file private)
    #[arg(long, global = true, env = "DUET_PASSPHRASE_FILE", value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,

    /// The app's colours: for a dark or a light terminal background, or `auto` to ask the
    /// terminal (then COLORFGBG, then dark) [default: $DUET_THEME, else auto]
    // DUET_THEME is read by the app itself, so a mistake in it never stops another command.
    #[arg(long, value_enum, value_name = "THEME")]
    pub theme: Option<ThemeChoice>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeChoice {
    Auto,
    Dark,
    Light,
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
        /// What happened, in a line (with --edit: its new words)
        #[arg(required_unless_present_any = ["delete", "restore"])]
        text: Option<String>,
        /// Who is logging it [default: the first partner]
        #[arg(long, env = "DUET_PARTNER", value_name = "NAME")]
        by: Option<String>,
        /// Whom it is about: a partner's name, or "us" [default: us]
        #[arg(long, value_name = "NAME|us")]
        about: Option<String>,
        /// A tag (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Change the win with this id (`duet wins` shows them) instead of logging a new one
        #[arg(long, value_name = "ID", conflicts_with_all = ["delete", "restore"])]
        edit: Option<String>,
        /// Delete the win with this id (it can be brought back with --restore)
        #[arg(long, value_name = "ID", conflicts_with_all = ["text", "restore"])]
        delete: Option<String>,
        /// Bring back a deleted win
        #[arg(long, value_name = "ID", conflicts_with = "text")]
        restore: Option<String>,
    },
    /// Read an evening back: both check-ins (once you had both checked in), wins, reviews
    #[command(
        after_help = "DATE is like 2026-11-23, today, yesterday or last sunday.\n\nExamples:\n  duet show yesterday\n  duet show --week last sunday --json"
    )]
    Show {
        /// The evening (or, with --week, a day of the week)
        #[arg(value_name = "DATE", num_args = 1.., required = true)]
        date: Vec<String>,
        /// That week's weekly check-in instead
        #[arg(long)]
        week: bool,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// The latest wins, with the short ids that --edit and --delete take
    #[command(
        after_help = "Example:\n  duet wins\n  duet win --edit 8f2c1a9e \"Sam made coffee, and toast\""
    )]
    Wins {
        /// How many, newest first
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10000))]
        count: u32,
    },
    /// Take responsibility for something: what happened, how it may have affected your
    /// partner, what you'll do differently
    #[command(
        after_help = "Your partner answers when they're ready, with `duet respond`.

Example:
  duet repair \"I checked my phone while you were talking\" --affected \"You may have felt unheard\" --differently \"Phone away when we talk\""
    )]
    Repair {
        /// What happened, in your words
        what: String,
        /// How it may have affected your partner
        #[arg(long, value_name = "TEXT")]
        affected: Option<String>,
        /// What you'll do differently
        #[arg(long, value_name = "TEXT")]
        differently: Option<String>,
        /// The agreement it touched (its title, or the start of it)
        #[arg(long, value_name = "TITLE")]
        agreement: Option<String>,
        /// Who is taking responsibility (on a paired device: whose device it is)
        #[arg(long, env = "DUET_PARTNER", value_name = "NAME")]
        by: Option<String>,
    },
    /// Answer a repair, when you're ready: heard, thanks, forgive or not-yet
    #[command(
        after_help = "ID is the start of the repair's id, as `duet repairs` shows it. A later answer stands
over an earlier one; both stay in the history.

Examples:
  duet respond 8f2c1a9e thanks
  duet respond 8f2c1a9e not-yet --note \"I need a few days\""
    )]
    Respond {
        /// The repair's id (the first 8 characters are enough)
        id: String,
        /// heard, thanks, forgive or not-yet
        #[arg(value_name = "ANSWER")]
        response: String,
        /// A few words with it
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Who is answering [default: the partner who didn't write it]
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Repairs, newest first, with their answers so far and the ids `duet respond` takes
    #[command(
        after_help = "The Markdown summary counts repairs; their words go in only while you both chose so:\n  duet repairs --share-words --by Alex\n  duet repairs --keep-words --by Sam"
    )]
    Repairs {
        /// Your choice: let the words of repairs into the Markdown summary (once you both chose)
        #[arg(long, conflicts_with = "keep_words")]
        share_words: bool,
        /// Your choice: keep them out (the default)
        #[arg(long)]
        keep_words: bool,
        /// Whose choice it is (on a paired device: whose device it is)
        #[arg(long, env = "DUET_PARTNER", value_name = "NAME")]
        by: Option<String>,
    },
    /// Check in for tonight (creates or updates your entry for this evening)
    #[command(
        after_help = "Mood and closeness go from 1 to 5:\n  mood       1 rough · 2 low · 3 okay · 4 good · 5 great\n  closeness  1 distant · 2 apart · 3 alright · 4 close · 5 very close\n\nExample:\n  duet checkin --by Alex --mood 4 --closeness 4 --appreciation \"You listened\""
    )]
    Checkin {
        /// Who is checking in (on a paired device: whose device it is, unless given)
        #[arg(long, env = "DUET_PARTNER", value_name = "NAME")]
        by: Option<String>,
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
    /// Check the journal for damage: SQLite's integrity check, and every entry read back
    #[command(
        after_help = "When damage is found, the newest sound backup beside the journal is named, with the commands to go back to it."
    )]
    Check,
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
    /// Print shell completions for bash, zsh, fish, elvish or powershell
    #[command(
        after_help = "Install (see the README):\n  duet completions bash > ~/.local/share/bash-completion/completions/duet\n  duet completions zsh > ~/.zfunc/_duet\n  duet completions fish > ~/.config/fish/completions/duet.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print duet's manual page (roff), for `man`
    #[command(after_help = "Install:\n  duet man > ~/.local/share/man/man1/duet.1")]
    Man,
    /// Share the journal with the other partner's device through a folder you already sync
    /// (Syncthing, Dropbox, iCloud Drive, git); alone, it syncs once
    #[command(
        after_help = "Examples:\n  duet sync init --folder ~/Sync/duet      (on the first device; shows a code)\n  duet sync join --folder ~/Sync/duet      (on the other; asks for the code)\n  duet sync status\n  duet sync\n\nEverything duet puts in the folder is sealed; the journal itself never goes there."
    )]
    Sync {
        #[command(subcommand)]
        action: Option<SyncAction>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Pair this journal: leave the pairing, sealed, in FOLDER, and show the one-time code
    Init {
        /// The shared folder (one your sync program already keeps on both devices)
        #[arg(long, value_name = "DIR")]
        folder: PathBuf,
        /// Whose device this is
        #[arg(long, value_name = "NAME")]
        me: Option<String>,
        /// Write the code to this new file (mode 0600) instead of showing it
        #[arg(long, value_name = "FILE")]
        code_file: Option<PathBuf>,
    },
    /// Join the pairing waiting in FOLDER with the code the other device showed
    Join {
        /// The shared folder, as it is on this device
        #[arg(long, value_name = "DIR")]
        folder: PathBuf,
        /// Whose device this is
        #[arg(long, value_name = "NAME")]
        me: Option<String>,
        /// Read the code from the first line of this file instead of asking
        #[arg(long, value_name = "FILE")]
        code_file: Option<PathBuf>,
    },
    /// The folder, this device, when the other device last wrote, files waiting, problems
    Status {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Stop syncing this journal (every entry stays)
    Leave,
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

/// What every command gets: the journal's path, the one clock reading for the whole command,
/// where its output goes, and how to ask for a passphrase.
pub struct Run<'a, Tz: TimeZone> {
    pub db: &'a Path,
    pub now: DateTime<Tz>,
    pub out: &'a mut dyn Write,
    pub asker: &'a Asker,
    /// Only setup, import and demo may create a journal; everything else needs one already.
    creates: bool,
}

impl<Tz: TimeZone> Run<'_, Tz>
where
    Tz::Offset: std::fmt::Display,
{
    fn utc(&self) -> DateTime<Utc> {
        self.now.with_timezone(&Utc)
    }

    fn open(&self) -> Result<Store, CliError> {
        self.asker
            .open(self.db, self.creates)
            .map(|(store, _)| store)
    }

    fn say(&mut self, line: String) -> Result<(), CliError> {
        writeln!(self.out, "{line}").map_err(|e| CliError::Output(e.to_string()))
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
    let creates = matches!(
        cmd,
        Command::Setup { .. }
            | Command::Import { .. }
            | Command::Demo { .. }
            | Command::Sync {
                action: Some(SyncAction::Join { .. })
            }
    );
    // A command that fails changes nothing: not even a new, empty journal is left behind.
    let new_journal = creates && std::fs::symlink_metadata(db).is_err();
    // The folder too, when this command would make it: a failure leaves nothing behind.
    let new_dir = db
        .parent()
        .filter(|d| new_journal && !d.as_os_str().is_empty() && !d.exists())
        .map(Path::to_path_buf);
    let result = dispatch(cmd, db, now, out, asker, creates);
    if result.is_err() && new_journal {
        crate::store::remove_journal(db);
        if let Some(dir) = new_dir {
            // Only if nothing else was put there meanwhile.
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

fn dispatch<Tz: TimeZone>(
    cmd: Command,
    db: &Path,
    now: DateTime<Tz>,
    out: &mut dyn Write,
    asker: &Asker,
    creates: bool,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let r = &mut Run {
        db,
        now,
        out,
        asker,
        creates,
    };
    match cmd {
        Command::Setup {
            partners,
            weekly,
            encrypt,
        } => setup::setup(r, partners, weekly, encrypt),
        Command::Win {
            text,
            by,
            about,
            tags,
            edit,
            delete,
            restore,
        } => match (edit, delete, restore) {
            (Some(id), _, _) => entries::edit_win(r, &id, text, about, tags),
            (_, Some(id), _) => entries::delete_win(r, &id),
            (_, _, Some(id)) => entries::restore_win(r, &id),
            _ => entries::win(r, text.unwrap_or_default(), by, about, tags),
        },
        Command::Wins { count } => entries::list_wins(r, count as usize),
        Command::Show { date, week, json } => show::show(r, date.join(" "), week, json),
        Command::Checkin {
            by,
            mood,
            closeness,
            appreciation,
            need,
            note,
        } => entries::checkin(r, by, (mood, closeness), appreciation, need, note),
        Command::Repair {
            what,
            affected,
            differently,
            agreement,
            by,
        } => repairs::repair(
            r,
            repairs::RepairArgs {
                what,
                affected,
                differently,
                agreement,
                by,
            },
        ),
        Command::Respond {
            id,
            response,
            note,
            by,
        } => repairs::respond(r, &id, &response, note, by),
        Command::Repairs {
            share_words,
            keep_words,
            by,
        } => match (share_words, keep_words) {
            (false, false) => repairs::list(r),
            (share, _) => repairs::share_words(r, share, by),
        },
        Command::Agreements { status } => entries::agreements(r, status),
        Command::Status { json } => entries::status(r, json),
        Command::Remind => entries::remind(r),
        Command::Calendar { out } => files::calendar(r, out),
        Command::Demo { years, seed } => files::demo(r, years, seed),
        Command::Backup { out } => files::backup(r, out),
        Command::Check => files::check(r),
        Command::Export {
            out,
            format,
            from,
            to,
        } => files::export(r, out, format, (from, to)),
        Command::Import { file } => files::import(r, file),
        Command::Encrypt => lock::encrypt(r),
        Command::Passphrase {
            new_passphrase_file,
        } => lock::change_passphrase(r, new_passphrase_file),
        Command::Decrypt { yes } => lock::decrypt(r, yes),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "duet", r.out);
            Ok(())
        }
        Command::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command())
                .render(r.out)
                .map_err(|e| CliError::Output(e.to_string()))
        }
        Command::Sync { action } => match action {
            None => devices::sync_once(r),
            Some(SyncAction::Init {
                folder,
                me,
                code_file,
            }) => devices::init(r, folder, me, code_file),
            Some(SyncAction::Join {
                folder,
                me,
                code_file,
            }) => devices::join(r, folder, me, code_file),
            Some(SyncAction::Status { json }) => devices::status(r, json),
            Some(SyncAction::Leave) => devices::leave(r),
        },
    }
}

/// The local clock reading used by `main`; here so `Local` appears in one place.
pub fn local(now: DateTime<Utc>) -> DateTime<Local> {
    now.with_timezone(&Local)
}
