//! A journal locked with a passphrase (SQLCipher): recognising one, keying a connection, and
//! turning the lock on, off or to a new passphrase by copying, verifying and swapping.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use super::{create_private_file, io_reason, Result, Store, APPLICATION_ID};
use crate::domain::Passphrase;
use crate::error::StoreError;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// SQLCipher 4 writes whole 4096-byte pages; its first 16 bytes are a random salt.
const CIPHER_PAGE: u64 = 4096;

/// What the start of a journal file says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Missing,
    Plain,
    Locked,
    /// A plain journal whose first bytes were overwritten: the rest of its header is SQLite's.
    Damaged,
    /// Neither: not a journal at all, or a damaged one.
    Unknown,
}

/// Bytes 21–23 of every SQLite header (the payload fractions, fixed at 64, 32, 32). In a
/// locked journal they are encrypted, so they say "plain" even when the first 16 bytes don't.
const SQLITE_FRACTIONS: [u8; 3] = [64, 32, 32];

pub fn file_kind(path: &Path) -> FileKind {
    let Ok(mut file) = std::fs::File::open(path) else {
        return FileKind::Missing;
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = [0u8; 24];
    if file.read_exact(&mut head).is_err() {
        return FileKind::Unknown;
    }
    if &head[..16] == SQLITE_MAGIC {
        return FileKind::Plain;
    }
    if head[21..24] == SQLITE_FRACTIONS {
        return FileKind::Damaged;
    }
    // A salt is random bytes; a text file that happens to be a multiple of 4096 bytes is not.
    let looks_random = head[..16]
        .iter()
        .any(|b| !(b.is_ascii_graphic() || *b == b' '));
    if len % CIPHER_PAGE == 0 && looks_random {
        FileKind::Locked
    } else {
        FileKind::Unknown
    }
}

/// Keys a fresh connection. This must come before anything reads the file.
pub(super) fn apply_key(conn: &Connection, key: &Passphrase) -> Result<()> {
    no_core_dumps();
    quiet(conn);
    // SQL text ends at a NUL, which would cut the statement short; no chosen passphrase has
    // one (control characters are refused), so it can't be the right one.
    if key.expose().contains('\0') {
        return Err(StoreError::WrongPassphrase);
    }
    let statement = zeroize::Zeroizing::new(format!(
        "PRAGMA key = '{}'",
        key.expose().replace('\'', "''")
    ));
    // The error is replaced, never passed on: SQLite's message could quote the statement.
    conn.execute_batch(&statement)
        .map_err(|_| StoreError::Sql("the passphrase couldn't be applied".into()))
}

/// Once a locked journal is opened, this process holds its words decrypted in memory: a core
/// dump would write them to disk in plain text. Off for the rest of the process's life.
fn no_core_dumps() {
    let none = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: both calls only change this process's own settings; `none` outlives the call.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        libc::setrlimit(libc::RLIMIT_CORE, &none);
    }
}

/// Whether `key` is this locked journal's passphrase, judged by its second page alone. When
/// the first page is damaged SQLCipher can't read it with any key, and says so the way it says
/// "wrong passphrase"; the second page's seal tells the two apart. These are SQLCipher 4's
/// defaults, which every journal duet locks uses: the key is PBKDF2-HMAC-SHA512 of the
/// passphrase over the file's first 16 bytes (256,000 rounds), each page ends in a 16-byte IV
/// and a 64-byte HMAC-SHA512 of the ciphertext, the IV and the page number.
pub(super) fn key_seals_page_two(path: &Path, key: &Passphrase) -> bool {
    use hmac::Mac;
    use zeroize::Zeroize;
    const PAGE: usize = CIPHER_PAGE as usize;
    const RESERVE: usize = 80;
    const ROUNDS: u32 = 256_000;
    let mut start = vec![0u8; 2 * PAGE];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut start));
    if read.is_err() {
        return false;
    }
    let salt = &start[..16];
    let mut page_key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(key.expose().as_bytes(), salt, ROUNDS, &mut page_key);
    let hmac_salt: Vec<u8> = salt.iter().map(|b| b ^ 0x3a).collect();
    let mut hmac_key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(&page_key, &hmac_salt, 2, &mut hmac_key);
    page_key.zeroize();
    let page = &start[PAGE..];
    let sealed = PAGE - RESERVE + 16;
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha512>::new_from_slice(&hmac_key) else {
        return false;
    };
    hmac_key.zeroize();
    mac.update(&page[..sealed]);
    mac.update(&2u32.to_le_bytes());
    mac.verify_slice(&page[sealed..sealed + 64]).is_ok()
}

/// What an interrupted `encrypt`, `passphrase` or `decrypt` can leave beside the journal: a
/// full copy that was never put in place (after a `decrypt`, in plain text). Once the journal
/// itself opens, no change of lock is under way (it holds the journal alone), so it goes.
pub(super) fn remove_leftovers(path: &Path) {
    let copy = sibling(path, ".relock");
    if copy.exists() {
        remove_with_journal(&copy);
    }
}

/// SQLCipher writes its own complaints (a wrong key, say) to stderr; duet says it in one line.
pub(super) fn quiet(conn: &Connection) {
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE");
}

/// What a change of lock did, for the command to tell.
#[derive(Debug)]
pub struct Relocked {
    pub rows: i64,
    /// Older copies beside the journal that are still plain text.
    pub plain_copies: Vec<PathBuf>,
}

/// Rewrites the journal at `path`, opened with `from`, so that it opens with `to` (`None`:
/// plain). The old file is replaced only after the new one has passed an integrity check and
/// holds the same rows, so a failure at any step leaves the journal as it was.
pub fn relock(path: &Path, from: Option<&Passphrase>, to: Option<&Passphrase>) -> Result<Relocked> {
    // A journal reached through a symbolic link is rewritten where it really is; renaming
    // over the link would leave the real file as it was.
    let path = &std::fs::canonicalize(path).map_err(|e| StoreError::Open {
        path: path.to_owned(),
        reason: io_reason(&e),
    })?;
    let store = Store::open_with(path, from)?;
    let conn = &store.conn;
    // Another duet with the journal open would go on writing to the replaced file, and its
    // words would be lost. Leaving WAL needs every other connection closed, and the exclusive
    // lock keeps new ones out until the swap is done.
    conn.busy_timeout(Duration::from_millis(300))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(in_use)?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(StoreError::InUse);
    }
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .map_err(in_use)?;
    let rows = row_counts(conn)?;
    let version = store.schema_version()?;

    let temp = sibling(path, ".relock");
    remove_with_journal(&temp);
    let result = copy_and_verify(conn, &temp, to, version, &rows).and_then(|()| {
        // Leaving WAL removed these; if any is still there it belongs to nobody (the lock is
        // ours), and the new file must not start out with the old one's log.
        for side in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(sibling(path, side));
        }
        std::fs::rename(&temp, path).map_err(|e| StoreError::Open {
            path: path.to_owned(),
            reason: io_reason(&e),
        })
    });
    if result.is_err() {
        remove_with_journal(&temp);
    }
    result?;
    sync_dir(path);
    drop(store);
    Ok(Relocked {
        rows: rows.iter().map(|(_, n)| n).sum(),
        plain_copies: if to.is_some() {
            plain_copies(path)
        } else {
            Vec::new()
        },
    })
}

/// Refuses when another process has the journal open, before anyone is asked anything. Every
/// SQLite connection to a WAL journal holds a read lock on one byte of its `-shm` file (the
/// "dead man switch", at offset 128) for as long as it is open; asking the kernel who holds it
/// takes no lock and changes nothing. Call it before this process opens the journal: closing
/// any descriptor of a file drops this process's own locks on it.
pub fn ensure_closed_elsewhere(path: &Path) -> Result<()> {
    use std::os::fd::AsRawFd;
    // SQLite puts the -shm file beside the real file, not beside a link to it.
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let Ok(shm) = std::fs::File::open(sibling(&real, "-shm")) else {
        return Ok(());
    };
    // SAFETY: flock is plain data; zeroed is a valid value for every field.
    let mut probe: libc::flock = unsafe { std::mem::zeroed() };
    probe.l_type = libc::F_WRLCK as _;
    probe.l_whence = libc::SEEK_SET as _;
    probe.l_start = 128;
    probe.l_len = 1;
    // SAFETY: a valid open descriptor and a pointer to a live flock, as F_GETLK expects.
    let rc = unsafe { libc::fcntl(shm.as_raw_fd(), libc::F_GETLK, &mut probe) };
    if rc == 0 && i32::from(probe.l_type) != libc::F_UNLCK {
        return Err(StoreError::InUse);
    }
    Ok(())
}

fn in_use(e: rusqlite::Error) -> StoreError {
    match StoreError::from(e) {
        StoreError::Busy => StoreError::InUse,
        other => other,
    }
}

fn copy_and_verify(
    conn: &Connection,
    temp: &Path,
    to: Option<&Passphrase>,
    version: usize,
    rows: &[(String, i64)],
) -> Result<()> {
    create_private_file(temp)?;
    let key = to.map(Passphrase::expose).unwrap_or("");
    export(conn, temp, Some(key), version)?;

    let check = Connection::open(temp)?;
    match to {
        Some(k) => apply_key(&check, k)?,
        None => quiet(&check),
    }
    let unreadable = |what: &str| StoreError::Corrupt(format!("the new copy {what}"));
    let ok: String = check
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| unreadable("can't be read back"))?;
    if ok != "ok" {
        return Err(unreadable("failed its integrity check"));
    }
    if row_counts(&check)? != rows {
        return Err(unreadable("doesn't hold the same rows"));
    }
    drop(check);
    let locked = file_kind(temp) == FileKind::Locked;
    if locked != to.is_some() {
        return Err(unreadable("isn't in the expected form"));
    }
    std::fs::File::open(temp)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Open {
            path: temp.to_owned(),
            reason: io_reason(&e),
        })
}

/// Copies the whole journal into the new, empty file `to`, as one consistent read. `key`
/// `None` keeps the journal's own key; `Some("")` writes plain text.
pub(super) fn export(
    conn: &Connection,
    to: &Path,
    key: Option<&str>,
    version: usize,
) -> Result<()> {
    let target = to.to_string_lossy();
    match key {
        Some(k) => conn.execute("ATTACH DATABASE ?1 AS copy KEY ?2", [&*target, k])?,
        None => conn.execute("ATTACH DATABASE ?1 AS copy", [&*target])?,
    };
    // Rows are copied table by table; the copy's own foreign keys are checked by the
    // integrity check and row counts afterwards, not halfway through.
    let result = conn.execute_batch("PRAGMA foreign_keys = OFF; BEGIN;").and_then(|()| {
        let copied = conn
            .query_row("SELECT sqlcipher_export('copy')", [], |_| Ok(()))
            .and_then(|()| {
                conn.execute_batch(&format!(
                    "PRAGMA copy.user_version = {version}; PRAGMA copy.application_id = {APPLICATION_ID};"
                ))
            });
        let ended = conn.execute_batch(if copied.is_ok() { "COMMIT" } else { "ROLLBACK" });
        copied.and(ended)
    });
    let _ = conn.execute_batch("PRAGMA foreign_keys = ON");
    let detached = conn.execute_batch("DETACH DATABASE copy");
    result?;
    detached?;
    Ok(())
}

fn row_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    names
        .into_iter()
        .map(|name| {
            let n: i64 = conn.query_row(
                &format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\"")),
                [],
                |r| r.get(0),
            )?;
            Ok((name, n))
        })
        .collect()
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn remove_with_journal(path: &Path) {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(sibling(path, "-journal"));
}

fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// Files beside the journal whose names continue its own with one of `kinds` (".backup-"…),
/// not counting SQLite's -wal and -shm files.
pub(super) fn copies_beside(path: &Path, kinds: &[&str]) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let name = name.to_string_lossy();
    let prefixes: Vec<String> = kinds.iter().map(|k| format!("{name}{k}")).collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().map(|n| n.to_string_lossy()).is_some_and(|n| {
                prefixes.iter().any(|pre| n.starts_with(pre.as_str()))
                    && !n.ends_with("-wal")
                    && !n.ends_with("-shm")
            })
        })
        .collect();
    found.sort();
    found
}

/// Copies duet made beside the journal (`duet backup`, the copy kept before an upgrade, and
/// a copy left by an interrupted change of lock) that are still plain text.
pub fn plain_copies(path: &Path) -> Vec<PathBuf> {
    // `.relock` is a copy a crash interrupted: it can hold the whole journal in plain text.
    copies_beside(path, &[".backup-", ".bak-v", ".relock"])
        .into_iter()
        .filter(|p| file_kind(p) == FileKind::Plain)
        .collect()
}
