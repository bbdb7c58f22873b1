//! Trying hard to break duet, with the real binary:
//!
//! 1. writers killed with SIGKILL at random moments never lose a confirmed win and never damage
//!    the journal;
//! 2. two writers and a reader at once all succeed, with no "busy"/"locked" errors;
//! 3. a table of bad input (every command, bad arguments, bad journal files) where each case must
//!    give the right exit status, one line on stderr, no panic, and leave the journal's folder
//!    byte-for-byte as it was.
//!
//! Every check collects its failures and panics once at the end with the whole list, so one
//! misbehaving case never hides another.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::binary;

/// The real binary against `db` (see `common::binary`), with a data folder that a stray default
/// path would create inside `home` (where a check sees it).
fn duet(db: impl AsRef<OsStr>, home: &Path) -> Command {
    let mut c = binary::duet(db);
    c.env("HOME", home)
        .env("XDG_DATA_HOME", home.join("xdg-data"))
        .stdin(Stdio::null());
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs a command that must succeed, and returns its standard output.
fn ok(mut c: Command) -> String {
    let out = c.output().expect("duet runs");
    assert!(
        out.status.success(),
        "{c:?} failed ({:?}): {}",
        out.status,
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn setup(db: &Path, home: &Path) {
    let mut c = duet(db, home);
    c.args(["setup", "--partner", "Alex", "--partner", "Sam"]);
    ok(c);
}

/// Win texts in `duet export`, in the order listed.
fn exported_wins(db: &Path, home: &Path) -> Vec<String> {
    let mut c = duet(db, home);
    c.arg("export");
    let json: serde_json::Value = serde_json::from_str(&ok(c)).expect("export is JSON");
    json["wins"]
        .as_array()
        .expect("export has wins")
        .iter()
        .map(|w| w["text"].as_str().expect("a win's text").to_string())
        .collect()
}

/// `PRAGMA integrity_check` straight through rusqlite, every row it returns.
fn integrity(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("rusqlite opens the journal");
    let mut st = conn.prepare("PRAGMA integrity_check").unwrap();
    let rows = st
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

fn foreign_key_problems(db: &Path) -> usize {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn.prepare("PRAGMA foreign_key_check").unwrap();
    let n = st.query_map([], |_| Ok(())).unwrap().count();
    n
}

fn seed() -> u64 {
    std::env::var("DUET_RELIABILITY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
}

fn fail_if_any(what: &str, failures: &[String]) {
    if !failures.is_empty() {
        panic!(
            "{what}: {} failure(s):\n  - {}",
            failures.len(),
            failures.join("\n  - ")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Crash safety
// ---------------------------------------------------------------------------------------------

/// One `duet win` in flight, to be killed at `kill_at` if it is still running then.
struct Shot {
    child: Child,
    text: String,
    kill_at: Instant,
}

/// What the writers came to, for the checks at the end.
#[derive(Default)]
struct Writes {
    /// Exited 0 and printed "Saved": these must be in the journal.
    confirmed: Vec<String>,
    /// Interrupted while running: may or may not be saved.
    killed: Vec<String>,
    spawned: usize,
    failures: Vec<String>,
}

#[test]
fn writers_killed_at_random_moments_lose_no_confirmed_win_and_leave_a_sound_journal() {
    const ROUNDS: usize = 40;
    const SHOTS_PER_ROUND: usize = 6;
    // Stop starting rounds after this long, so a slow machine still finishes in time.
    const TIME_CAP: Duration = Duration::from_secs(22);

    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let db = home.join("duet.db");
    setup(&db, home);

    let seed = seed();
    eprintln!("crash safety: seed {seed} (set DUET_RELIABILITY_SEED to replay)");
    let mut rng = fastrand::Rng::with_seed(seed);

    let mut writes = Writes::default();
    let max_budget_us = kill_budget_us(&db, home, &mut writes.confirmed);
    let mut rounds = 0usize;
    let started = Instant::now();
    for round in 0..ROUNDS {
        if started.elapsed() > TIME_CAP {
            eprintln!("crash safety: time cap reached after {round} rounds");
            break;
        }
        rounds += 1;
        for shot in 0..SHOTS_PER_ROUND {
            let names = format!("w-{round}-{shot}");
            shoot(&db, home, &mut rng, max_budget_us, &names, &mut writes);
        }
        // Right after the kills, the journal must take a plain write.
        let t = format!("check-{round}");
        let out = duet(&db, home).args(["win", &t]).output().unwrap();
        if out.status.success() && text(&out.stdout).contains("Saved") {
            writes.confirmed.push(t);
        } else {
            writes.failures.push(format!(
                "after round {round}'s kills, `duet win {t}` ended {:?}: {:?}",
                out.status,
                text(&out.stderr)
            ));
        }
    }

    let wins = exported_wins(&db, home);
    let killed_but_saved = check_wins_after_kills(&wins, &mut writes);
    let check = check_journal_is_sound(&db, home, wins.len(), &mut writes.failures);

    let Writes {
        confirmed,
        killed,
        spawned,
        failures,
    } = writes;
    eprintln!(
        "crash safety: {rounds} rounds, {spawned} writers started, {} killed while running \
         (kills survived), {} confirmed wins all checked, {killed_but_saved} of the killed \
         writers had already committed, {} wins in the journal, integrity {check:?}, {:?}",
        killed.len(),
        confirmed.len(),
        wins.len(),
        started.elapsed()
    );
    fail_if_any("crash safety", &failures);
    assert!(rounds >= 10, "only {rounds} rounds ran");
    assert!(
        killed.len() >= rounds,
        "only {} of {spawned} writers were interrupted: the kills are not landing",
        killed.len()
    );
}

/// How long after its start a writer may be killed: a little over what one `duet win` takes
/// here, so the kills land anywhere from exec to exit. The timed wins count as confirmed.
fn kill_budget_us(db: &Path, home: &Path, confirmed: &mut Vec<String>) -> u64 {
    let mut times = Vec::new();
    for i in 0..5 {
        let t = format!("calibrate-{i}");
        let start = Instant::now();
        let mut c = duet(db, home);
        c.args(["win", &t]);
        let out = ok(c);
        times.push(start.elapsed());
        assert!(out.contains("Saved"), "{out}");
        confirmed.push(t);
    }
    times.sort();
    let typical = times[times.len() / 2];
    let max_budget_us = (typical.as_micros() as u64 * 3 / 2).clamp(2_000, 300_000);
    eprintln!(
        "crash safety: one `duet win` takes about {typical:?}; kills land within 0..{}µs",
        max_budget_us
    );
    max_budget_us
}

/// One or two writers at once (wins `<names>-0`, `<names>-1`), each with its own moment to be
/// killed.
fn shoot(
    db: &Path,
    home: &Path,
    rng: &mut fastrand::Rng,
    max_budget_us: u64,
    names: &str,
    writes: &mut Writes,
) {
    let mut shots: Vec<Shot> = (0..1 + rng.usize(0..2))
        .map(|k| {
            let t = format!("{names}-{k}");
            let child = duet(db, home)
                .args(["win", &t])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn duet");
            writes.spawned += 1;
            Shot {
                child,
                text: t,
                kill_at: Instant::now() + Duration::from_micros(rng.u64(0..=max_budget_us)),
            }
        })
        .collect();
    shots.sort_by_key(|s| s.kill_at);
    for mut s in shots {
        // The random delay before the kill is the thing under test.
        std::thread::sleep(s.kill_at.saturating_duration_since(Instant::now()));
        if s.child.try_wait().expect("try_wait").is_none() {
            // SIGKILL on Unix. If it exited in between, this signals a zombie: harmless,
            // and the exit status below tells the two apart.
            let _ = s.child.kill();
        }
        let out = s.child.wait_with_output().expect("wait for duet");
        let stdout = text(&out.stdout);
        if out.status.signal() == Some(9) {
            writes.killed.push(s.text);
        } else if out.status.success() && stdout.contains(&format!("Saved: \"{}\"", s.text)) {
            writes.confirmed.push(s.text);
        } else {
            writes.failures.push(format!(
                "`duet win {}` (not killed) ended {:?}; stdout {:?}; stderr {:?}",
                s.text,
                out.status,
                stdout,
                text(&out.stderr)
            ));
        }
    }
}

/// Every confirmed win is there, nothing is doubled, nothing came from nowhere. Returns how many
/// of the killed writers had committed all the same.
fn check_wins_after_kills(wins: &[String], writes: &mut Writes) -> usize {
    let in_export: HashSet<&str> = wins.iter().map(String::as_str).collect();
    let mut seen = HashSet::new();
    for w in wins {
        if !seen.insert(w.as_str()) {
            writes
                .failures
                .push(format!("the win {w:?} is in the journal twice"));
        }
    }
    for c in &writes.confirmed {
        if !in_export.contains(c.as_str()) {
            writes.failures.push(format!(
                "confirmed win {c:?} (exit 0, printed Saved) is missing after the kills"
            ));
        }
    }
    let known: HashSet<&str> = writes
        .confirmed
        .iter()
        .chain(writes.killed.iter())
        .map(String::as_str)
        .collect();
    for w in wins {
        if !known.contains(w.as_str()) {
            writes
                .failures
                .push(format!("the journal holds a win nobody wrote: {w:?}"));
        }
    }
    writes
        .killed
        .iter()
        .filter(|k| in_export.contains(k.as_str()))
        .count()
}

/// The file itself is sound, by SQLite's own check, and duet still opens and reads it, all
/// `wins` of it. Returns what `PRAGMA integrity_check` said.
fn check_journal_is_sound(
    db: &Path,
    home: &Path,
    wins: usize,
    failures: &mut Vec<String>,
) -> Vec<String> {
    let check = integrity(db);
    if check != ["ok"] {
        failures.push(format!("PRAGMA integrity_check after the kills: {check:?}"));
    }
    let fk = foreign_key_problems(db);
    if fk != 0 {
        failures.push(format!("PRAGMA foreign_key_check found {fk} problem rows"));
    }
    match duet::store::Store::open(db) {
        Ok(store) => {
            match store.integrity_ok() {
                Ok(true) => {}
                other => failures.push(format!("Store::integrity_ok() = {other:?}")),
            }
            match store.wins(&Default::default(), 100_000) {
                Ok(list) if list.len() == wins => {}
                Ok(list) => failures.push(format!(
                    "Store::wins lists {} wins but export has {}",
                    list.len(),
                    wins
                )),
                Err(e) => failures.push(format!("Store::wins failed: {e}")),
            }
        }
        Err(e) => failures.push(format!("Store::open after the kills failed: {e}")),
    }
    let mut c = duet(db, home);
    c.args(["status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&ok(c)).unwrap();
    if status["counts"]["wins"].as_u64() != Some(wins as u64) {
        failures.push(format!(
            "status --json counts {} wins, export lists {}",
            status["counts"]["wins"], wins
        ));
    }
    check
}

// ---------------------------------------------------------------------------------------------
// 2. Two at once
// ---------------------------------------------------------------------------------------------

#[test]
fn two_writers_and_a_reader_at_once_all_succeed_without_busy_errors() {
    const PER_WRITER: usize = 150;

    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_path_buf();
    let db = home.join("duet.db");
    setup(&db, &home);
    let started = Instant::now();

    let writers_done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (db, home, done) = (db.clone(), home.clone(), writers_done.clone());
        std::thread::spawn(move || read_until(&db, &home, &done))
    };
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (db, home) = (db.clone(), home.clone());
            std::thread::spawn(move || write_wins(&db, &home, w, PER_WRITER))
        })
        .collect();

    let mut failures = Vec::new();
    let mut saved = Vec::new();
    for w in writers {
        let (s, f) = w.join().expect("writer thread");
        saved.extend(s);
        failures.extend(f);
    }
    writers_done.store(true, Ordering::SeqCst);
    let (reads, f) = reader.join().expect("reader thread");
    failures.extend(f);

    let wins = exported_wins(&db, &home);
    if wins.len() != saved.len() {
        failures.push(format!(
            "{} commands succeeded but the journal holds {} wins",
            saved.len(),
            wins.len()
        ));
    }
    let in_export: HashSet<&str> = wins.iter().map(String::as_str).collect();
    for s in &saved {
        if !in_export.contains(s.as_str()) {
            failures.push(format!("saved win {s:?} is missing"));
        }
    }
    let check = integrity(&db);
    if check != ["ok"] {
        failures.push(format!("PRAGMA integrity_check: {check:?}"));
    }
    eprintln!(
        "two at once: {} of {} concurrent writes succeeded, {reads} reads alongside, {} wins \
         in the journal, {:?}",
        saved.len(),
        2 * PER_WRITER,
        wins.len(),
        started.elapsed()
    );
    fail_if_any("two at once", &failures);
}

/// `duet status`, plain and `--json` in turn, until `done`: none may fail or say "busy" or
/// "locked", and the win count never goes backwards. Returns how many reads ran, and failures.
fn read_until(db: &Path, home: &Path, done: &AtomicBool) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut reads = 0usize;
    let mut last_count = 0u64;
    // At least one read even if the writers are very quick.
    while reads == 0 || !done.load(Ordering::SeqCst) {
        let json = reads.is_multiple_of(2);
        let mut c = duet(db, home);
        c.arg("status");
        if json {
            c.arg("--json");
        }
        let out = c.output().unwrap();
        reads += 1;
        let err = text(&out.stderr);
        let lower = err.to_lowercase();
        if !out.status.success() || lower.contains("locked") || lower.contains("busy") {
            failures.push(format!(
                "read {reads} (`duet status{}`) ended {:?}: {err:?}",
                if json { " --json" } else { "" },
                out.status
            ));
            continue;
        }
        if json {
            match serde_json::from_slice::<serde_json::Value>(&out.stdout)
                .ok()
                .and_then(|v| v["counts"]["wins"].as_u64())
            {
                Some(n) if n >= last_count => last_count = n,
                Some(n) => failures.push(format!(
                    "read {reads}: the win count went backwards ({last_count} then {n})"
                )),
                None => failures.push(format!(
                    "read {reads}: status --json gave no win count: {:?}",
                    text(&out.stdout)
                )),
            }
        }
    }
    (reads, failures)
}

/// Writer `w`'s `count` wins, one `duet win` each: every one must be saved, with no "busy" or
/// "locked" on the way. Returns the saved wins, and failures.
fn write_wins(db: &Path, home: &Path, w: usize, count: usize) -> (Vec<String>, Vec<String>) {
    let mut saved = Vec::new();
    let mut failures = Vec::new();
    for i in 0..count {
        let t = format!("c-{w}-{i}");
        let out: Output = duet(db, home).args(["win", &t]).output().unwrap();
        let err = text(&out.stderr);
        let lower = err.to_lowercase();
        let stdout = text(&out.stdout);
        if lower.contains("locked") || lower.contains("busy") {
            failures.push(format!("`duet win {t}`: stderr says {err:?}"));
        }
        if out.status.success() && stdout.contains("Saved") {
            saved.push(t);
        } else {
            failures.push(format!(
                "`duet win {t}` ended {:?}; stdout {stdout:?}; stderr {err:?}",
                out.status
            ));
        }
    }
    (saved, failures)
}

// ---------------------------------------------------------------------------------------------
// 3. Bad input
// ---------------------------------------------------------------------------------------------

/// What `--db` points at for a case; each case gets its own folder and copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A real journal with a year of a couple's evenings (`duet demo`).
    Journal,
    /// A journal file with the schema but no partners yet.
    NoPartners,
    /// Nothing there yet, in a folder that exists.
    Fresh,
    /// `missing/deeper/duet.db`.
    MissingFolder,
    /// A non-UTF-8 file name in a missing folder.
    NonUtf8Missing,
    /// `file.txt/duet.db`, where `file.txt` is a regular file.
    ParentIsFile,
    /// The path is a folder.
    Folder,
    ZeroBytes,
    /// The first 100 bytes of a journal.
    Truncated100,
    /// The first half of a journal's pages.
    TruncatedHalf,
    RandomBytes,
    /// A real journal with `PRAGMA user_version = 99`.
    Newer,
    /// An SQLite file made by some other program.
    Foreign,
    /// A real journal, chmod 0400.
    ReadOnly,
    /// `--db ""`.
    EmptyPath,
}

impl Target {
    /// The `--db` path inside `dir`.
    fn path(self, dir: &Path) -> PathBuf {
        match self {
            Target::MissingFolder => dir.join("missing").join("deeper").join("duet.db"),
            Target::NonUtf8Missing => dir
                .join(OsStr::from_bytes(b"missing-\xff\xfe"))
                .join(OsStr::from_bytes(b"duet-\xff.db")),
            Target::ParentIsFile => dir.join("file.txt").join("duet.db"),
            Target::EmptyPath => PathBuf::new(),
            _ => dir.join("duet.db"),
        }
    }
}

struct Fixtures {
    dir: tempfile::TempDir,
}

impl Fixtures {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn build() -> Fixtures {
        let f = Fixtures {
            dir: tempfile::tempdir().unwrap(),
        };
        let home = &f.dir.path().to_path_buf();
        let journal = f.path("journal.db");
        let mut c = duet(&journal, home);
        c.args(["demo", "--years", "1"]);
        ok(c);
        assert!(
            !home.join("journal.db-wal").exists(),
            "demo left a -wal file behind; the copies would miss rows"
        );
        let bytes = std::fs::read(&journal).unwrap();
        assert!(bytes.len() >= 8 * 4096, "the demo journal is small");

        // A journal with the schema and no partners.
        drop(duet::store::Store::open(&f.path("nopartners.db")).expect("Store::open"));

        // Damaged copies.
        std::fs::write(f.path("truncated100.db"), &bytes[..100]).unwrap();
        let page = 4096;
        let half = (bytes.len() / page / 2) * page;
        std::fs::write(f.path("truncatedhalf.db"), &bytes[..half]).unwrap();
        let mut rng = fastrand::Rng::with_seed(7);
        // Not whole 4096-byte pages: those could be a locked journal (tests/lock.rs).
        let random: Vec<u8> = (0..16_383).map(|_| rng.u8(..)).collect();
        std::fs::write(f.path("random.db"), &random).unwrap();

        // From a newer duet.
        std::fs::copy(&journal, f.path("newer.db")).unwrap();
        {
            let conn = rusqlite::Connection::open(f.path("newer.db")).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        assert!(!f.path("newer.db-wal").exists());

        // Some other program's SQLite file.
        {
            let conn = rusqlite::Connection::open(f.path("foreign.db")).unwrap();
            conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
                .unwrap();
        }

        f.write_import_files(&journal, &random);
        f
    }

    /// Import files: one good (an export of `journal`), many bad.
    fn write_import_files(&self, journal: &Path, random: &[u8]) {
        let mut c = duet(journal, self.dir.path());
        c.args(["export", "--out"]).arg(self.path("valid.json"));
        ok(c);
        let valid = std::fs::read_to_string(self.path("valid.json")).unwrap();
        let base: serde_json::Value = serde_json::from_str(&valid).unwrap();
        let edit = |name: &str, change: &dyn Fn(&mut serde_json::Value)| {
            let mut v = base.clone();
            change(&mut v);
            std::fs::write(self.path(name), serde_json::to_string_pretty(&v).unwrap()).unwrap();
        };
        edit("long-win.json", &|v| {
            v["wins"][0]["text"] = "x".repeat(10_000).into()
        });
        edit("empty-win.json", &|v| v["wins"][0]["text"] = "".into());
        edit("ctrl-win.json", &|v| {
            v["wins"][0]["text"] = "\u{1b}[31mred".into()
        });
        edit("bell-need.json", &|v| {
            v["checkins"][0]["need"] = "bell\u{7}".into()
        });
        edit("mood0.json", &|v| v["checkins"][0]["mood"] = 0.into());
        edit("mood6.json", &|v| v["checkins"][0]["mood"] = 6.into());
        edit("mood-neg.json", &|v| v["checkins"][0]["mood"] = (-1).into());
        edit("mood-huge.json", &|v| {
            v["checkins"][0]["mood"] = 99_999_999_999i64.into()
        });
        edit("mood-text.json", &|v| {
            v["checkins"][0]["mood"] = "three".into()
        });
        edit("feb30.json", &|v| {
            v["checkins"][0]["evening"] = "2026-02-30".into()
        });
        edit("month13.json", &|v| {
            v["wins"][0]["evening"] = "2026-13-01".into()
        });
        edit("bad-instant.json", &|v| {
            v["wins"][0]["created_at"] = "yesterday".into()
        });
        edit("version99.json", &|v| v["version"] = 99.into());
        edit("format.json", &|v| v["format"] = "something-else".into());
        edit("unknown-field.json", &|v| v["extra"] = 1.into());
        edit("not-uuid.json", &|v| v["wins"][0]["id"] = "1234".into());
        edit("twice.json", &|v| {
            let id = v["wins"][0]["id"].clone();
            v["wins"][1]["id"] = id;
        });
        edit("unknown-partner.json", &|v| {
            v["wins"][0]["logged_by"] = "00000000-0000-4000-8000-000000000000".into()
        });
        std::fs::write(self.path("half.json"), &valid.as_bytes()[..valid.len() / 2]).unwrap();
        std::fs::write(self.path("empty.json"), b"").unwrap();
        std::fs::write(self.path("not-json.json"), b"this is not json").unwrap();
        std::fs::write(self.path("non-utf8.json"), b"{\"format\": \"\xff\xfe\"}").unwrap();
        std::fs::write(self.path("random.json"), random).unwrap();
    }

    /// Puts the target in place inside `dir`, plus the things some arguments point at.
    fn prepare(&self, target: Target, dir: &Path) {
        std::fs::write(dir.join("file.txt"), b"just a file\n").unwrap();
        std::fs::create_dir(dir.join("empty-folder")).unwrap();
        let db = target.path(dir);
        let copy = |name: &str| {
            std::fs::copy(self.path(name), &db).unwrap();
        };
        match target {
            Target::Journal => copy("journal.db"),
            Target::NoPartners => copy("nopartners.db"),
            Target::Truncated100 => copy("truncated100.db"),
            Target::TruncatedHalf => copy("truncatedhalf.db"),
            Target::RandomBytes => copy("random.db"),
            Target::Newer => copy("newer.db"),
            Target::Foreign => copy("foreign.db"),
            Target::ZeroBytes => std::fs::write(&db, b"").unwrap(),
            Target::Folder => std::fs::create_dir(&db).unwrap(),
            Target::ReadOnly => {
                copy("journal.db");
                std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
            }
            Target::Fresh
            | Target::MissingFolder
            | Target::NonUtf8Missing
            | Target::ParentIsFile
            | Target::EmptyPath => {}
        }
    }
}

/// Every file and folder under `dir`, with file contents and modes: the whole state a failed
/// command must leave alone (the journal, any -wal/-shm, output files, temporary files).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Option<Vec<u8>>, u32)> {
    let mut all = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let mode = meta.permissions().mode();
            if meta.is_dir() {
                all.insert(rel, (None, mode));
                todo.push(e.path());
            } else {
                all.insert(rel, (Some(std::fs::read(e.path()).unwrap()), mode));
            }
        }
    }
    all
}

fn describe_changes(
    before: &BTreeMap<PathBuf, (Option<Vec<u8>>, u32)>,
    after: &BTreeMap<PathBuf, (Option<Vec<u8>>, u32)>,
) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&PathBuf> = before.keys().chain(after.keys()).collect();
    for n in names {
        match (before.get(n), after.get(n)) {
            (Some(_), None) => out.push(format!("removed {}", n.display())),
            (None, Some((bytes, _))) => out.push(format!(
                "created {}{}",
                n.display(),
                bytes
                    .as_ref()
                    .map(|b| format!(" ({} bytes)", b.len()))
                    .unwrap_or_else(|| " (folder)".into())
            )),
            (Some(a), Some(b)) if a.0 != b.0 => out.push(format!("changed {}", n.display())),
            (Some(a), Some(b)) if a.1 != b.1 => out.push(format!(
                "mode of {} went from {:o} to {:o}",
                n.display(),
                a.1,
                b.1
            )),
            _ => {}
        }
    }
    out
}

/// An argument: `@/x` is `x` in the case's folder, `@fix/x` a fixture file; anything else is
/// passed as it is.
fn expand(arg: &OsStr, dir: &Path, fix: &Fixtures) -> OsString {
    let b = arg.as_bytes();
    if let Some(rest) = b.strip_prefix(b"@fix/") {
        fix.dir
            .path()
            .join(OsStr::from_bytes(rest))
            .into_os_string()
    } else if let Some(rest) = b.strip_prefix(b"@/") {
        dir.join(OsStr::from_bytes(rest)).into_os_string()
    } else {
        arg.to_owned()
    }
}

/// An argument as it appears in a report: long ones shortened, the rest quoted and escaped.
fn show(arg: &OsStr) -> String {
    let s = arg.to_string_lossy();
    if arg.to_str().is_none() {
        return format!("{:?} (not UTF-8)", arg);
    }
    let n = s.chars().count();
    if n > 40 {
        let head: String = s.chars().take(12).collect();
        format!("{head:?}… ({n} chars)")
    } else if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        format!("{s:?}")
    } else {
        s.into_owned()
    }
}

struct Case {
    target: Target,
    args: Vec<OsString>,
    code: i32,
}

/// One command's cases, in the order they are listed.
#[derive(Default)]
struct Cases(Vec<Case>);

impl Cases {
    /// `duet <args>` against `target`, expected to exit with `code`.
    fn add(&mut self, target: Target, code: i32, args: &[&str]) {
        self.add_os(target, code, args.iter().map(|a| os(a)).collect());
    }

    /// The same, with arguments that need not be UTF-8.
    fn add_os(&mut self, target: Target, code: i32, args: Vec<OsString>) {
        self.0.push(Case { target, args, code });
    }

    /// `duet <args> <value>` for each value, each expected to exit with its own status.
    fn each(&mut self, target: Target, args: &[&str], values: Vec<Bad>) {
        for (value, code) in values {
            self.add_os(target, code, then(args, value));
        }
    }
}

fn os(s: &str) -> OsString {
    OsString::from(s)
}

/// `args`, then `value`.
fn then(args: &[&str], value: OsString) -> Vec<OsString> {
    args.iter().map(|a| os(a)).chain([value]).collect()
}

// ---- Bad values, shared by the commands below ----

/// A value and the exit status it must get: 1 when duet turns it down, 2 when the command-line
/// parser does, before duet sees it.
type Bad = (OsString, i32);

const BELL: &str = "bell\u{7}";
/// Eleven digits: out of range wherever a number is asked for, and past 32 bits.
const HUGE: &str = "99999999999";
/// Fine in itself, so only the journal it points at can be at fault.
const SETUP: [&str; 5] = ["setup", "--partner", "Alex", "--partner", "Sam"];

fn long() -> OsString {
    os(&"x".repeat(10_000))
}

/// Arguments arrive as bytes; the parser refuses these before duet sees them, except where it
/// takes a path.
fn non_utf8() -> OsString {
    OsStr::from_bytes(b"\xff\xfe").to_os_string()
}

/// `s` behind a colour escape, which would repaint the terminal of whoever reads it back.
fn coloured(s: &str) -> OsString {
    os(&format!("\u{1b}[31m{s}"))
}

/// Nothing left once trimmed.
fn blank() -> [OsString; 2] {
    [os(""), os("   ")]
}

/// Control characters in otherwise ordinary text: shown back, they would ring, repaint or
/// garble the terminal.
fn control_characters() -> [OsString; 3] {
    [coloured("red"), os(BELL), os("del\u{7f}")]
}

fn refused(values: impl IntoIterator<Item = OsString>) -> Vec<Bad> {
    values.into_iter().map(|v| (v, 1)).collect()
}

fn unparsable(values: impl IntoIterator<Item = OsString>) -> Vec<Bad> {
    values.into_iter().map(|v| (v, 2)).collect()
}

/// Values duet turns down, then one that isn't UTF-8, which never gets past the parser.
fn refused_then_non_utf8(values: impl IntoIterator<Item = OsString>) -> Vec<Bad> {
    [refused(values), unparsable([non_utf8()])].concat()
}

/// Text that no field takes.
fn bad_text() -> Vec<Bad> {
    refused_then_non_utf8(
        blank()
            .into_iter()
            .chain([long()])
            .chain(control_characters())
            // NEL inside (at the end it is whitespace, trimmed)
            .chain([os("ne\u{85}l")]),
    )
}

/// A tag is one word.
fn bad_tags() -> Vec<Bad> {
    refused_then_non_utf8(blank().into_iter().chain([
        long(),
        coloured("red"),
        os(BELL),
        os("two words"),
        os("two\nlines"),
    ]))
}

/// The same trouble in a name, which is shown on every screen.
fn control_in_a_name() -> [OsString; 2] {
    [coloured("Alex"), os("Al\u{7}ex")]
}

/// Names that match neither partner of the demo couple.
fn names_of_no_one() -> Vec<Bad> {
    refused_then_non_utf8(
        [long()]
            .into_iter()
            .chain(control_in_a_name())
            .chain(["Nobody", "Alex\nSam", "Alex\rSam"].map(os)),
    )
}

/// Ratings go from 1 to 5: duet turns down whole numbers outside that, the parser anything
/// that isn't a whole number.
fn bad_ratings() -> Vec<Bad> {
    [
        refused(["0", "6", "-1", HUGE, "-99999999999"].map(os)),
        unparsable(["three", "", "3.5", "99999999999999999999"].map(os)),
        unparsable([coloured("3"), non_utf8()]),
    ]
    .concat()
}

/// `duet checkin --by Alex --mood <mood> --closeness <closeness>`.
fn checkin(mood: impl Into<OsString>, closeness: impl Into<OsString>) -> Vec<OsString> {
    let mut args = ["checkin", "--by", "Alex", "--mood"].map(os).to_vec();
    args.extend([mood.into(), os("--closeness"), closeness.into()]);
    args
}

// ---- The cases, command by command ----

fn bad_input_cases() -> Vec<Case> {
    [
        win_cases(),
        checkin_cases(),
        setup_cases(),
        agreements_status_and_remind_cases(),
        output_cases(),
        import_cases(),
        demo_cases(),
        command_line_cases(),
        bad_journal_file_cases(),
        read_only_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn win_cases() -> Vec<Case> {
    use Target::*;
    let mut c = Cases::default();
    c.each(Journal, &["win"], bad_text());
    for (name, code) in names_of_no_one() {
        c.add_os(Journal, code, then(&["win", "a win", "--by"], name.clone()));
        c.add_os(Journal, code, then(&["win", "a win", "--about"], name));
    }
    c.add(Journal, 1, &["win", "a win", "--about", ""]);
    c.each(Journal, &["win", "a win", "--tag"], bad_tags());
    let mut eleven = vec![os("win"), os("a win")];
    for i in 0..11 {
        eleven.push(os("--tag"));
        eleven.push(os(&format!("t{i}")));
    }
    c.add_os(Journal, 1, eleven);
    c.add(Journal, 2, &["win"]);
    c.add(Journal, 2, &["win", "a win", "--bogus"]);
    c.add(Journal, 2, &["win", "a win", "--by"]);
    c.add(NoPartners, 1, &["win", "a win"]);
    c.0
}

fn checkin_cases() -> Vec<Case> {
    use Target::*;
    let mut c = Cases::default();
    for (rating, code) in bad_ratings() {
        c.add_os(Journal, code, checkin(rating.clone(), "3"));
        c.add_os(Journal, code, checkin("3", rating));
    }
    for (name, code) in [names_of_no_one(), refused(blank())].concat() {
        let mut args = checkin("3", "3");
        args[2] = name;
        c.add_os(Journal, code, args);
    }
    for field in ["--appreciation", "--need", "--note"] {
        let text = refused_then_non_utf8([long()].into_iter().chain(control_characters()));
        for (t, code) in text {
            let mut args = checkin("3", "3");
            args.extend([os(field), t]);
            c.add_os(Journal, code, args);
        }
    }
    c.add(Journal, 2, &["checkin", "--by", "Alex", "--closeness", "3"]);
    // Who: on a paired device, whose device it is; otherwise it must be said.
    c.add(Journal, 1, &["checkin", "--mood", "3", "--closeness", "3"]);
    c.add_os(NoPartners, 1, checkin("3", "3"));
    c.0
}

fn setup_cases() -> Vec<Case> {
    use Target::*;
    let mut c = Cases::default();
    c.add(Journal, 1, &["setup"]);
    c.add(Journal, 1, &["setup", "--partner", "Solo"]);
    c.add(
        Journal,
        1,
        &[
            "setup",
            "--partner",
            "A",
            "--partner",
            "B",
            "--partner",
            "C",
        ],
    );
    let names = refused_then_non_utf8(
        blank()
            .into_iter()
            .chain([long(), os(&"y".repeat(41))])
            .chain(control_in_a_name())
            .chain(["Alex\nSam", "us", "US"].map(os)),
    );
    // The same name twice, then the same name folded.
    let same = refused(["Sam", "sAM"].map(os));
    for (name, code) in [names, same].concat() {
        for target in [Journal, Fresh] {
            let mut args = then(&["setup", "--partner"], name.clone());
            args.extend(["--partner", "Sam"].map(os));
            c.add_os(target, code, args);
        }
    }
    let weekly = refused_then_non_utf8(
        [
            os(""),
            long(),
            coloured("sun 19:00"),
            os("sun\u{7} 19:00"),
            os("sun 19:00\nrm -rf"),
        ]
        .into_iter()
        .chain(
            [
                "xyz 19:00",
                "su 19:00",
                "sun 25:00",
                "sun 19:60",
                "sun 24:00",
                "sun -1:00",
                "sun 7pm",
                "sun",
                "19:00",
                "sun 19:00 extra",
                "feb 30",
                "2026-02-30 19:00",
            ]
            .map(os),
        ),
    );
    for (w, code) in weekly {
        for target in [Journal, Fresh] {
            c.add_os(target, code, then(&["setup", "--weekly"], w.clone()));
        }
    }
    // Nothing to attach the weekly time to in a new file: refused, and no file left behind.
    c.add(Fresh, 1, &["setup", "--weekly", "sun 19:00"]);
    c.add(Journal, 2, &["setup", "--partner"]);
    c.0
}

fn agreements_status_and_remind_cases() -> Vec<Case> {
    use Target::*;
    let mut c = Cases::default();
    let statuses = unparsable([os("maybe"), os(""), coloured("agreed"), non_utf8()]);
    c.each(Journal, &["agreements", "--status"], statuses);
    c.add(Journal, 2, &["status", "--json=yes"]);
    c.add(Journal, 2, &["status", "extra"]);
    c.add(Journal, 2, &["remind", "extra"]);
    c.0
}

/// `calendar` and `export`: where the output goes.
fn output_cases() -> Vec<Case> {
    use Target::*;
    let mut c = Cases::default();
    for cmd in ["calendar", "export"] {
        // An empty path is a usage error for clap (status 2).
        c.add(Journal, 2, &[cmd, "--out", ""]);
        let mut non_utf8_folder = os("@/");
        non_utf8_folder.push(OsStr::from_bytes(b"missing-\xff/out.txt"));
        let unwritable = [
            "@/missing/out.txt",
            "@/file.txt/out.txt",
            "@/empty-folder",
            "@/",
        ]
        .map(os)
        .into_iter()
        .chain([non_utf8_folder]);
        c.each(Journal, &[cmd, "--out"], refused(unwritable));
        c.add(Journal, 2, &[cmd, "--out"]);
    }
    c.0
}

fn import_cases() -> Vec<Case> {
    use Target::*;
    let mut c = Cases::default();
    c.add(Journal, 2, &["import", ""]);
    c.add(Fresh, 2, &["import", ""]);
    let nowhere = ["@/missing.json", "@/empty-folder", "@/file.txt/x.json"].map(os);
    let bad_files = [
        "empty.json",
        "not-json.json",
        "non-utf8.json",
        "random.json",
        "half.json",
        "long-win.json",
        "empty-win.json",
        "ctrl-win.json",
        "bell-need.json",
        "mood0.json",
        "mood6.json",
        "mood-neg.json",
        "mood-huge.json",
        "mood-text.json",
        "feb30.json",
        "month13.json",
        "bad-instant.json",
        "version99.json",
        "format.json",
        "unknown-field.json",
        "not-uuid.json",
        "twice.json",
        "unknown-partner.json",
        "random.db",
    ]
    .map(|f| os(&format!("@fix/{f}")));
    // A path may be any bytes: here the non-UTF-8 one gets past the parser, to a missing file.
    let files = nowhere.into_iter().chain([non_utf8()]).chain(bad_files);
    for (file, code) in refused(files) {
        for target in [Journal, Fresh] {
            c.add_os(target, code, then(&["import"], file.clone()));
        }
    }
    c.add(Journal, 2, &["import"]);
    c.0
}

fn demo_cases() -> Vec<Case> {
    use Target::*;
    let mut c = Cases::default();
    c.add(Journal, 1, &["demo"]);
    let years = ["0", "101", "-1", "", "two", HUGE].map(os);
    c.each(
        Fresh,
        &["demo", "--years"],
        unparsable(years.into_iter().chain([non_utf8()])),
    );
    c.add(Fresh, 2, &["demo", "--seed", "-1"]);
    c.add(Fresh, 2, &["demo", "--seed", "abc"]);
    c.0
}

/// The command line itself.
fn command_line_cases() -> Vec<Case> {
    use Target::*;
    let mut c = Cases::default();
    c.add(Journal, 2, &["frobnicate"]);
    c.add(Journal, 2, &["--bogus"]);
    c.add_os(Journal, 2, vec![non_utf8()]);
    // `--db ""` is a usage error, for every command.
    c.add(EmptyPath, 2, &["status"]);
    c.add(EmptyPath, 2, &["win", "a win"]);
    c.add(EmptyPath, 2, &SETUP);
    c.add(EmptyPath, 2, &["remind"]);
    c.0
}

/// Commands that need a journal to be there already.
const READERS: &[&[&str]] = &[
    &["status"],
    &["status", "--json"],
    &["agreements"],
    &["calendar"],
    &["calendar", "--out", "@/out.ics"],
    &["export"],
    &["export", "--out", "@/out.json"],
    &["win", "a win"],
    &["checkin", "--by", "Alex", "--mood", "3", "--closeness", "4"],
];

/// Commands that start a journal where there is none.
const CREATORS: &[&[&str]] = &[
    &SETUP,
    &["setup", "--weekly", "mon 20:00"],
    &["import", "@fix/valid.json"],
    &["demo"],
];

/// Bad journal files, under every command.
fn bad_journal_file_cases() -> Vec<Case> {
    use Target::*;
    let mut c = Cases::default();
    for target in [MissingFolder, NonUtf8Missing, Fresh] {
        for args in READERS {
            c.add(target, 1, args);
        }
    }
    for target in [
        ParentIsFile,
        Folder,
        ZeroBytes,
        Truncated100,
        TruncatedHalf,
        RandomBytes,
        Newer,
        Foreign,
    ] {
        for args in READERS.iter().chain(CREATORS) {
            c.add(target, 1, args);
        }
        if target != ParentIsFile {
            // (remind is silent by design when there is no file at all)
            c.add(target, 1, &["remind"]);
        }
    }
    c.0
}

/// A read-only journal: everything that writes is refused.
fn read_only_cases() -> Vec<Case> {
    let mut c = Cases::default();
    for args in [
        &["win", "a win"][..],
        &["checkin", "--by", "Alex", "--mood", "3", "--closeness", "4"],
        &["setup", "--partner", "Robin", "--partner", "Sam"],
        &["setup", "--weekly", "mon 20:00"],
        &["import", "@fix/valid.json"],
    ] {
        c.add(Target::ReadOnly, 1, args);
    }
    c.0
}

/// True when a file's permissions don't stop this process from writing (root).
fn permissions_are_ignored() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ro");
    std::fs::write(&f, b"x").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o400)).unwrap();
    std::fs::OpenOptions::new().write(true).open(&f).is_ok()
}

#[test]
fn bad_input_gets_the_right_status_one_line_and_changes_nothing() {
    let started = Instant::now();
    let fix = Fixtures::build();
    let fixtures_before = snapshot(fix.dir.path());
    let skip_read_only = permissions_are_ignored();
    let mut failures = Vec::new();
    let mut ran = 0usize;
    let mut skipped = 0usize;
    let mut by_code = BTreeMap::new();

    for c in bad_input_cases() {
        if c.target == Target::ReadOnly && skip_read_only {
            skipped += 1;
            continue;
        }
        failures.extend(run_case(&c, &fix));
        ran += 1;
        *by_code.entry(c.code).or_insert(0usize) += 1;
    }

    let fixtures_after = snapshot(fix.dir.path());
    let changed = describe_changes(&fixtures_before, &fixtures_after);
    if !changed.is_empty() {
        failures.push(format!(
            "the shared fixture files changed: {}",
            changed.join(", ")
        ));
    }
    if skip_read_only {
        eprintln!(
            "bad input: skipped {skipped} read-only-journal cases: this test runs as a user \
             (root?) whose writes file permissions don't stop"
        );
    }
    eprintln!(
        "bad-input cases: {ran} ({} expecting exit 1, {} expecting exit 2), {} failing, {:?}",
        by_code.get(&1).unwrap_or(&0),
        by_code.get(&2).unwrap_or(&0),
        failures.len(),
        started.elapsed()
    );
    fail_if_any("bad input", &failures);
}

/// Runs one case in a folder of its own; returns what went wrong, if anything did.
fn run_case(c: &Case, fix: &Fixtures) -> Option<String> {
    let case_dir = tempfile::tempdir().unwrap();
    let dir = case_dir.path();
    fix.prepare(c.target, dir);
    let db = c.target.path(dir);
    let args: Vec<OsString> = c.args.iter().map(|a| expand(a, dir, fix)).collect();
    let label = format!(
        "duet --db <{:?}> {}",
        c.target,
        c.args.iter().map(|a| show(a)).collect::<Vec<_>>().join(" ")
    );

    let main_before = std::fs::read(&db).ok();
    let before = snapshot(dir);
    // Run from inside the case's folder, so a relative path would land where it is seen.
    let out = duet(&db, dir)
        .current_dir(dir)
        .args(&args)
        .output()
        .expect("duet runs");
    let after = snapshot(dir);
    let main_after = std::fs::read(&db).ok();

    let mut problems = output_problems(c.code, &out);
    if main_before != main_after {
        problems.push(match (&main_before, &main_after) {
            (Some(a), Some(b)) => format!(
                "the journal file's bytes changed ({} -> {} bytes)",
                a.len(),
                b.len()
            ),
            (None, Some(b)) => format!("a journal file was created ({} bytes)", b.len()),
            (Some(_), None) => "the journal file was removed".into(),
            (None, None) => unreachable!(),
        });
    }
    let changes = describe_changes(&before, &after);
    if !changes.is_empty() {
        problems.push(format!("the folder changed: {}", changes.join(", ")));
    }
    if problems.is_empty() {
        return None;
    }
    let err = text(&out.stderr);
    let shown_err: String = if err.chars().count() > 300 {
        format!("{}…", err.chars().take(300).collect::<String>())
    } else {
        err
    };
    Some(format!(
        "{label}: {}; stderr was {shown_err:?}",
        problems.join("; ")
    ))
}

/// What is wrong with how a refused command ended: its status, and what it printed.
fn output_problems(code: i32, out: &Output) -> Vec<String> {
    let err = text(&out.stderr);
    let stdout = text(&out.stdout);
    let mut problems = Vec::new();
    if out.status.code() != Some(code) {
        problems.push(format!(
            "expected exit {}, got {:?}",
            code,
            out.status
                .code()
                .map_or_else(|| format!("{:?}", out.status), |code| code.to_string())
        ));
    }
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        if err.contains(bad) {
            problems.push(format!("stderr contains {bad:?}"));
        }
    }
    if code == 1 {
        let lines: Vec<&str> = err.trim_end_matches('\n').split('\n').collect();
        if err.trim().is_empty() {
            problems.push("stderr is empty".into());
        } else if lines.len() != 1 {
            problems.push(format!("stderr has {} lines, not 1", lines.len()));
        }
        if !stdout.is_empty() {
            problems.push(format!("a failed command printed to stdout: {stdout:?}"));
        }
    } else if err.trim().is_empty() {
        problems.push("stderr is empty".into());
    }
    problems
}
