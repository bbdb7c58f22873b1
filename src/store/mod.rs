//! `Store` is the one owner of SQL. Everything else asks it typed questions.

mod agreements;
mod checkins;
mod disk;
mod health;
mod journal;
mod lock;
mod meetings;
mod partners;
mod repairs;
mod shared_rows;
mod snapshot;
mod sync;
mod trends;
mod wins;

pub use agreements::AgreementSaved;
pub use checkins::CheckInSaved;
pub use health::{sound_backups, Health};
pub use journal::EveningRecord;
pub use lock::{ensure_closed_elsewhere, file_kind, plain_copies, relock, FileKind, Relocked};
pub use repairs::RepairWithAnswers;
pub use snapshot::{ImportCounts, Snapshot};
pub use sync::{Pairing, SeenDevice, SyncTable};
pub use trends::Rating;
pub use wins::{LoggedWin, WinEdit, WinFilter, WinSaved};

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};

use crate::domain::Passphrase;
use crate::error::StoreError;

/// The numbered migration files, in order, compiled in. A new one goes into `migrations/`
/// and here (a test fails when a file there is missing here).
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init.sql",
        include_str!("../../migrations/0001_init.sql"),
    ),
    (
        "0002_counsellor_note.sql",
        include_str!("../../migrations/0002_counsellor_note.sql"),
    ),
    (
        "0003_wins_newest_first.sql",
        include_str!("../../migrations/0003_wins_newest_first.sql"),
    ),
    (
        "0004_revisions.sql",
        include_str!("../../migrations/0004_revisions.sql"),
    ),
    (
        "0005_sync.sql",
        include_str!("../../migrations/0005_sync.sql"),
    ),
    (
        "0006_repairs_and_prompts.sql",
        include_str!("../../migrations/0006_repairs_and_prompts.sql"),
    ),
    (
        "0007_summary_choices.sql",
        include_str!("../../migrations/0007_summary_choices.sql"),
    ),
    (
        "0008_weekly_from.sql",
        include_str!("../../migrations/0008_weekly_from.sql"),
    ),
];

/// `PRAGMA application_id` of a duet file: "duet" in ASCII.
pub const APPLICATION_ID: i64 = 0x6475_6574;

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    locked: bool,
}

/// The numbered migration files, in order. Their numbers must run 1, 2, 3… (a test checks).
pub fn migration_files() -> Vec<(&'static str, &'static str)> {
    MIGRATIONS.to_vec()
}

pub fn migrations() -> Migrations<'static> {
    Migrations::new(
        migration_files()
            .into_iter()
            .map(|(_, sql)| M::up(sql))
            .collect(),
    )
}

/// The schema version this binary writes.
pub fn supported_version() -> usize {
    migration_files().len()
}

impl Store {
    /// Opens (or creates, with mode 0600) the journal at `path`, and brings its schema up to date.
    /// A journal locked with a passphrase fails with `StoreError::Locked`.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, None)
    }

    /// Opens a journal that may be locked. The key is used only when the file is locked, or
    /// new: a new file is then created locked. A plain journal opens plain whatever the key.
    pub fn open_with(path: &Path, key: Option<&Passphrase>) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.exists() {
                create_private_dir(dir)?;
            }
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(StoreError::Open {
                    path: path.to_owned(),
                    reason: "it is a folder".into(),
                })
            }
            Ok(meta) if meta.len() == 0 => {
                return Err(StoreError::EmptyFile {
                    path: path.to_owned(),
                })
            }
            Ok(_) => {}
            Err(_) => {
                create_private_file(path)?;
                // A journal that couldn't be made whole (a full disk, say) is not left behind
                // half-made: the next try would call it damaged.
                return Store::open_existing(path, key).inspect_err(|_| remove_journal(path));
            }
        }
        Store::open_existing(path, key)
    }

    fn open_existing(path: &Path, key: Option<&Passphrase>) -> Result<Store> {
        let kind = lock::file_kind(path);
        let key = match (kind, key) {
            (FileKind::Plain, _) => None,
            (FileKind::Damaged, _) => {
                return Err(StoreError::Corrupt(
                    "its first bytes aren't a journal's".into(),
                ))
            }
            (FileKind::Locked, None) => {
                return Err(StoreError::Locked {
                    path: path.to_owned(),
                })
            }
            (_, key) => key,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| {
            disk::problem(path).unwrap_or_else(|| StoreError::Open {
                path: path.to_owned(),
                reason: StoreError::from(e).to_string(),
            })
        })?;
        match key {
            Some(k) => lock::apply_key(&conn, k)?,
            None => lock::quiet(&conn),
        }
        let locked = key.is_some();
        let prepared = Store::prepare(conn, Some(path.to_owned()), kind == FileKind::Locked);
        let mut store = match (prepared, key) {
            // The right passphrase on a journal whose first page is damaged fails the same
            // way as a wrong one; the next page tells which it is.
            (Err(StoreError::WrongPassphrase), Some(k)) if lock::key_seals_page_two(path, k) => {
                return Err(StoreError::Corrupt(
                    "its first page can't be read, though the passphrase is right".into(),
                ))
            }
            (result, _) => result?,
        };
        lock::remove_leftovers(path);
        store.locked = locked;
        Ok(store)
    }

    /// A copy of a journal (a backup) opened only to read it: nothing about the file changes,
    /// not its journal mode, not its schema.
    pub fn open_copy(path: &Path, key: Option<&Passphrase>) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        let locked = lock::file_kind(path) == FileKind::Locked;
        match key.filter(|_| locked) {
            Some(k) => lock::apply_key(&conn, k)?,
            None => lock::quiet(&conn),
        }
        let app_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|_| StoreError::NotADatabase {
                path: path.to_owned(),
            })?;
        if app_id != APPLICATION_ID {
            return Err(StoreError::ForeignDatabase {
                path: path.to_owned(),
            });
        }
        Ok(Store {
            conn,
            path: Some(path.to_owned()),
            locked,
        })
    }

    /// Whether the journal is locked with a passphrase.
    pub fn is_locked(&self) -> bool {
        self.locked
    }

    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?, None, false)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// `keyed_file`: the file was locked, so failing to read it means the key was wrong.
    fn prepare(mut conn: Connection, path: Option<PathBuf>, keyed_file: bool) -> Result<Store> {
        let shown = || path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        conn.busy_timeout(Duration::from_secs(10))?;
        // Reading the header first: a file that is not SQLite fails here, before anything
        // could be written to it.
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| {
                use rusqlite::ErrorCode as C;
                // Reading a journal means writing beside it (its -wal and -shm files): a
                // read-only folder or a full disk fails here, and must not be called damage.
                if let Some(problem) = path.as_deref().and_then(disk::problem) {
                    return problem;
                }
                match e.sqlite_error_code() {
                    Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy,
                    // A wrong key can't decrypt the first page; the right key on a damaged
                    // file decrypts it and then finds the damage.
                    Some(C::NotADatabase) if keyed_file => StoreError::WrongPassphrase,
                    Some(C::DatabaseCorrupt) => StoreError::from(e),
                    _ => StoreError::NotADatabase { path: shown() },
                }
            })?;
        // SQLite's own header read fine; a failure from here on is damage inside the file.
        let damaged_or_not_ours = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::from(e),
            _ => StoreError::NotADatabase { path: shown() },
        };
        let app_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(damaged_or_not_ours)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(damaged_or_not_ours)?;
        let version = usize::try_from(version).unwrap_or(usize::MAX);
        if (version == 0 && tables > 0) || (version > 0 && app_id != APPLICATION_ID) {
            return Err(StoreError::ForeignDatabase { path: shown() });
        }
        let supported = supported_version();
        if version > supported {
            return Err(StoreError::NewerSchema {
                found: version,
                supported,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // One read now opens the WAL: the lock that comes with it is how another process
        // (`duet encrypt`, say) knows this journal is in use, even before the first real read.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
        // SQLite's LIKE folds only ASCII; searches go through the same folding as names.
        conn.create_scalar_function(
            "fold",
            1,
            rusqlite::functions::FunctionFlags::SQLITE_UTF8
                | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| Ok(crate::domain::fold(&ctx.get::<String>(0)?)),
        )?;
        conn.pragma_update(None, "foreign_keys", true)?;
        if version < supported {
            upgrade(&mut conn, path.as_deref(), version, &migrations())?;
        }
        Ok(Store {
            conn,
            path,
            locked: false,
        })
    }

    /// Runs `f` as one transaction: everything it writes lands together, or none of it does
    /// (a kill half-way leaves the journal as it was before).
    pub fn atomically<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        if self.conn.is_autocommit() {
            // Taken for writing at once: what `f` reads can't change before it writes.
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            return match f(self) {
                Ok(v) => {
                    self.conn.execute_batch("COMMIT")?;
                    Ok(v)
                }
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(e)
                }
            };
        }
        self.conn.execute_batch("SAVEPOINT atomically")?;
        match f(self) {
            Ok(v) => {
                self.conn.execute_batch("RELEASE atomically")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self
                    .conn
                    .execute_batch("ROLLBACK TO atomically; RELEASE atomically");
                Err(e)
            }
        }
    }

    /// A write that reads first: an IMMEDIATE transaction of its own (nothing can be written
    /// between its read and its write), or a savepoint inside `atomically`.
    pub(crate) fn read_then_write(&mut self) -> Result<Writing<'_>> {
        Ok(if self.conn.is_autocommit() {
            Writing::Alone(
                self.conn
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?,
            )
        } else {
            Writing::Within(self.conn.savepoint()?)
        })
    }

    /// Starts a series of reads as one read transaction: one lock for the whole screen instead
    /// of one per query, and every query sees the same moment. Writers are not blocked (WAL).
    pub fn begin_read(&self) -> Result<()> {
        Ok(self.conn.execute_batch("BEGIN DEFERRED")?)
    }

    pub fn end_read(&self) {
        // Nothing was written, so ending it can only fail if it already ended.
        let _ = self.conn.execute_batch("COMMIT");
    }

    pub fn schema_version(&self) -> Result<usize> {
        let v: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok(v as usize)
    }

    /// A number that changes whenever another connection commits: lets the app notice rows
    /// written by another process without re-reading everything.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    pub fn integrity_ok(&self) -> Result<bool> {
        let s: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(s == "ok")
    }
}

/// See `Store::read_then_write`.
pub(crate) enum Writing<'a> {
    Alone(rusqlite::Transaction<'a>),
    Within(rusqlite::Savepoint<'a>),
}

impl Writing<'_> {
    pub(crate) fn commit(self) -> Result<()> {
        match self {
            Writing::Alone(t) => t.commit()?,
            Writing::Within(s) => s.commit()?,
        }
        Ok(())
    }
}

impl std::ops::Deref for Writing<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        match self {
            Writing::Alone(t) => t,
            Writing::Within(s) => s,
        }
    }
}

/// Brings the schema up to date. An existing journal (version > 0) is first copied aside with
/// the online backup API, so a failed or unwanted upgrade can always be undone.
fn upgrade(
    conn: &mut Connection,
    path: Option<&Path>,
    version: usize,
    migrations: &Migrations,
) -> Result<()> {
    if let (Some(p), true) = (path, version > 0) {
        backup_connection(conn, &backup_path_for_migration(p, version))?;
    }
    migrations.to_latest(conn).map_err(|e| {
        path.and_then(disk::problem)
            .unwrap_or_else(|| StoreError::Migration(e.to_string()))
    })
}

/// Where the copy made before migrating from `version` goes: `duet.db.bak-v1` beside it.
pub fn backup_path_for_migration(db: &Path, version: usize) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".bak-v{version}"));
    db.with_file_name(name)
}

/// A consistent copy into a new file with mode 0600, locked with the journal's own key when
/// it has one (SQLCipher's online backup can't write a locked copy).
fn backup_connection(conn: &Connection, to: &Path) -> Result<()> {
    if to.exists() {
        return Err(StoreError::Open {
            path: to.to_owned(),
            reason: "a file is already there; choose another name".into(),
        });
    }
    create_private_file(to)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if let Err(e) = lock::export(conn, to, None, version as usize) {
        let _ = std::fs::remove_file(to);
        return Err(e);
    }
    Ok(())
}

impl Store {
    /// `duet backup`: a consistent copy of the whole journal, even while it is open elsewhere.
    pub fn backup_to(&self, to: &Path) -> Result<()> {
        if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.exists() {
                create_private_dir(dir)?;
            }
        }
        backup_connection(&self.conn, to)
    }
}

/// Removes a journal this process has just created, with the files SQLite keeps beside it.
pub fn remove_journal(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| StoreError::CreateDir {
            path: dir.to_owned(),
            reason: io_reason(&e),
        })
}

fn create_private_file(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    // SQLite gives the -wal and -shm files the main file's mode, so 0600 here covers them too.
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(|_| ())
        .map_err(|e| StoreError::Open {
            path: path.to_owned(),
            reason: io_reason(&e),
        })
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    }
}

impl rusqlite::types::ToSql for crate::domain::Seat {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(i64::from(self.number()).into())
    }
}

impl rusqlite::types::FromSql for crate::domain::Seat {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let n = v.as_i64()?;
        u8::try_from(n)
            .ok()
            .and_then(crate::domain::Seat::from_number)
            .ok_or(rusqlite::types::FromSqlError::OutOfRange(n))
    }
}

/// A typed value as the JSON text a column keeps.
pub(crate) fn json_text<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Sql(e.to_string()))
}

/// Instants are stored as UTC RFC 3339 text, to the second.
pub(crate) fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(crate) fn opt_ts(t: &Option<DateTime<Utc>>) -> Option<String> {
    t.as_ref().map(ts)
}

/// A row's stored text didn't parse as what the schema promises.
pub(crate) fn bad_column(idx: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("unreadable {what}").into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn an_existing_journal_is_copied_aside_before_a_migration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("duet.db");
        drop(Store::open(&path).unwrap());
        let mut conn = Connection::open(&path).unwrap();
        let mut steps: Vec<M> = migration_files()
            .into_iter()
            .map(|(_, sql)| M::up(sql))
            .collect();
        steps.push(M::up("CREATE TABLE later_feature (x TEXT) STRICT;"));
        let version = migration_files().len();
        upgrade(&mut conn, Some(&path), version, &Migrations::new(steps)).unwrap();

        let copy = dir.path().join(format!("duet.db.bak-v{version}"));
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let old = Connection::open(&copy).unwrap();
        let v: i64 = old
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, version, "the copy is the journal as it was");
        let new: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(new as usize, version + 1);
    }

    #[test]
    fn a_new_journal_is_not_backed_up() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(&dir.path().join("duet.db")).unwrap());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| !n.to_string_lossy().contains(".bak-v")),
            "{names:?}"
        );
    }
}
