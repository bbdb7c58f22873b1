//! Typed errors, one enum per layer. Every message is a single calm sentence meant for a person,
//! never a debug dump: the UI shows it on one line and the CLI prints it to stderr.

use std::path::PathBuf;
use thiserror::Error;

/// Input that breaks a rule of the domain (length, range, characters, who may do what).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ValidationError {
    #[error("{field} can't be empty")]
    Empty { field: &'static str },
    #[error("{field} is too long ({len} characters; at most {max})")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{field} contains a control character; please remove it")]
    ControlCharacter { field: &'static str },
    #[error("{field} must be a whole number from {min} to {max} (got {value})")]
    OutOfRange {
        field: &'static str,
        value: i64,
        min: i64,
        max: i64,
    },
    #[error("{0}")]
    Rule(String),
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{} isn't a duet database (it is not an SQLite file, or it is damaged)", path.display())]
    NotADatabase { path: PathBuf },
    #[error("{} is empty, so it isn't a duet database; move it aside or choose another --db", path.display())]
    EmptyFile { path: PathBuf },
    #[error("{} belongs to another program, not duet", path.display())]
    ForeignDatabase { path: PathBuf },
    #[error("this journal was written by a newer duet (schema {found}; this duet knows up to {supported}); please update duet. Nothing was changed")]
    NewerSchema { found: usize, supported: usize },
    #[error("can't create the folder {}: {reason}", path.display())]
    CreateDir { path: PathBuf, reason: String },
    #[error("can't open {}: {reason}", path.display())]
    Open { path: PathBuf, reason: String },
    #[error("the journal is read-only here, so nothing was saved")]
    ReadOnly,
    #[error("{} is read-only here, and duet writes beside the journal even to read it; nothing was changed", path.display())]
    ReadOnlyFolder { path: PathBuf },
    #[error("the disk is full; free some space and try again (nothing was saved)")]
    DiskFull,
    #[error("the journal file was just replaced (locked or unlocked); close duet and open it again. Nothing was saved")]
    Replaced,
    #[error("the journal is busy in another duet; try again in a moment")]
    Busy,
    #[error("the journal file looks damaged ({0}); a backup copy may help")]
    Corrupt(String),
    #[error("couldn't update the journal's structure: {0}")]
    Migration(String),
    #[error("there is no journal at {} yet: run `duet setup --partner NAME --partner NAME` (or open `duet`), or check --db", path.display())]
    NoJournal { path: PathBuf },
    #[error("no partners yet: run `duet setup --partner NAME --partner NAME` (or open `duet`)")]
    NoPartners,
    #[error("{} is locked with a passphrase", path.display())]
    Locked { path: PathBuf },
    #[error("that passphrase doesn't open this journal")]
    WrongPassphrase,
    #[error("duet has this journal open somewhere else (the app or another command); close it there and try again. Nothing was changed")]
    InUse,
    #[error("not found: {0}")]
    NotFound(String),
    #[error("part of the journal can't be read ({0}); a backup copy may help")]
    Unreadable(String),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("the journal reported a problem: {0}")]
    Sql(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, ref msg) = e {
            return match f.code {
                // SQLITE_READONLY_DBMOVED: `duet encrypt` (or decrypt) replaced the file.
                C::ReadOnly if f.extended_code == 1032 => StoreError::Replaced,
                C::ReadOnly => StoreError::ReadOnly,
                C::DatabaseBusy | C::DatabaseLocked => StoreError::Busy,
                C::DatabaseCorrupt | C::NotADatabase => {
                    StoreError::Corrupt(msg.clone().unwrap_or_else(|| f.to_string()))
                }
                C::CannotOpen => StoreError::Sql("the file can't be opened".into()),
                C::DiskFull => StoreError::DiskFull,
                _ => StoreError::Sql(msg.clone().unwrap_or_else(|| f.to_string())),
            };
        }
        match e {
            // A stored value that doesn't parse as what the schema promises: our own rows say
            // what they were ("unreadable weekly time"); anything else is "a row".
            rusqlite::Error::FromSqlConversionFailure(_, _, why) => {
                let why = why.to_string();
                let what = why.strip_prefix("unreadable ").unwrap_or("a row");
                StoreError::Unreadable(what.to_string())
            }
            rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => {
                StoreError::Unreadable("a row".into())
            }
            e => StoreError::Sql(e.to_string()),
        }
    }
}

/// Problems reading an export file back in. `at` is a JSON path such as `$.wins[3].text`.
#[derive(Debug, Error)]
pub enum TransferError {
    #[error("can't read {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("can't write {}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
    #[error("not valid JSON at line {line}, column {column}: {reason}")]
    Json {
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("{at}: {reason}")]
    Invalid { at: String, reason: String },
    #[error("{} is larger than an export can be (at most {max_mib} MiB); nothing was read", path.display())]
    TooLarge { path: PathBuf, max_mib: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Pairing devices and syncing through the shared folder.
#[derive(Debug, Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "this journal isn't paired with another device; `duet sync init --folder DIR` pairs it"
    )]
    NotPaired,
    #[error("this journal is already paired, through {folder}; `duet sync leave` first to pair it again. Nothing was changed")]
    AlreadyPaired { folder: String },
    #[error("the shared folder {} can't be used: {reason}", path.display())]
    Folder { path: PathBuf, reason: String },
    #[error("no pairing is waiting in {}; run `duet sync init --folder DIR` on the other device first (and let the folder sync)", path.display())]
    NoBundle { path: PathBuf },
    #[error("that code doesn't open the pairing waiting in the folder; check it and try again. Nothing was changed")]
    WrongCode,
    #[error("the merge document can't be read ({0}); `duet sync leave`, then pair again")]
    Doc(String),
    #[error("{0}")]
    Rule(String),
}

/// What the app's update step can fail with; shown as the footer's one line.
#[derive(Debug, Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
}

/// Top level: what `main` prints before exiting with status 1.
#[derive(Debug, Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The app couldn't start, or had to stop, for a reason of the journal's.
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Transfer(#[from] TransferError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error("{0}")]
    Usage(String),
    #[error("no passphrase given; nothing was changed")]
    NoPassphrase,
    /// A question that guards something hard to undo was answered with anything but its word.
    #[error("not confirmed; {0}")]
    NotConfirmed(&'static str),
    #[error("the journal looks damaged: {0}")]
    Damaged(String),
    /// The app stopped to keep words safe; why, in the app's own words.
    #[error("{0}")]
    Stopped(String),
    #[error("the terminal failed: {0}")]
    Terminal(String),
    #[error("can't write output: {0}")]
    Output(String),
}
