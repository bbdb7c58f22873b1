//! A journal locked with a passphrase: what is on disk, opening it, and turning the lock on,
//! off and to a new passphrase without losing a row.

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use common::journal::{file_contains, Journal};
use duet::domain::{CheckInDraft, Passphrase, WinDraft};
use duet::error::StoreError;
use duet::store::{self, FileKind, Store};

const WORDS: &str = "Marmalade-on-the-balcony";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T20:15:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn pass(s: &str) -> Passphrase {
    Passphrase::chosen(s).unwrap()
}

/// A journal with a couple, a check-in and a win whose text is easy to look for.
fn fill(store: &mut Store) {
    let [a, b] = store.set_partners(["Alex", "Sam"], now()).unwrap();
    let evening = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let draft = CheckInDraft {
        mood: 4,
        closeness: 5,
        appreciation: format!("{WORDS} appreciation"),
        need: "a quiet evening".into(),
        ..CheckInDraft::default()
    };
    store.save_checkin(&a.id, evening, &draft, now()).unwrap();
    let win = WinDraft {
        text: format!("{WORDS} win"),
        about: None,
        tags: vec!["home".into()],
    };
    store.add_win(&b.id, &win, evening, now()).unwrap();
}

/// A journal filled, locked with "correct horse battery", and closed again.
fn filled_and_locked() -> Journal {
    let j = Journal::new();
    let mut s = Store::open_with(&j.path, Some(&pass("correct horse battery"))).unwrap();
    fill(&mut s);
    j
}

fn everything(store: &Store) -> String {
    duet::transfer::export_json(store).unwrap()
}

#[test]
fn a_locked_journal_shows_none_of_its_words_on_disk() {
    let j = Journal::new();
    let path = &j.path;
    let mut s = Store::open_with(path, Some(&pass("correct horse battery"))).unwrap();
    assert!(s.is_locked());
    fill(&mut s);
    // While open, the words may sit in the write-ahead log: it must be locked too.
    for side in ["", "-wal"] {
        let p = j.dir().join(format!("duet.db{side}"));
        if p.exists() {
            assert!(
                !file_contains(&p, "Marmalade"),
                "{} shows the words",
                p.display()
            );
            assert!(!file_contains(&p, "Alex"), "{} shows a name", p.display());
        }
    }
    drop(s);
    let head = std::fs::read(path).unwrap();
    assert!(!head.starts_with(b"SQLite format 3"));
    assert!(!file_contains(path, "Marmalade"));
    assert_eq!(store::file_kind(path), FileKind::Locked);
}

#[test]
fn the_right_passphrase_opens_it_and_a_wrong_one_or_none_fails_cleanly() {
    let j = filled_and_locked();
    let path = &j.path;
    let before = std::fs::read(path).unwrap();

    let wrong = Store::open_with(path, Some(&Passphrase::typed("correct horse batterY")));
    assert!(
        matches!(wrong, Err(StoreError::WrongPassphrase)),
        "{:?}",
        wrong.err()
    );
    assert_eq!(
        StoreError::WrongPassphrase.to_string(),
        "that passphrase doesn't open this journal"
    );
    let none = Store::open(path);
    assert!(
        matches!(none, Err(StoreError::Locked { .. })),
        "{:?}",
        none.err()
    );
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "a failed open changed the file"
    );

    let s = Store::open_with(path, Some(&Passphrase::typed("correct horse battery"))).unwrap();
    assert!(everything(&s).contains("Marmalade-on-the-balcony win"));
}

#[test]
fn encrypt_then_decrypt_keeps_every_row() {
    let j = Journal::new();
    let path = &j.path;
    let mut s = Store::open(path).unwrap();
    fill(&mut s);
    let original = everything(&s);
    drop(s);
    assert!(
        file_contains(path, "Marmalade"),
        "the plain journal should hold the words"
    );

    let key = pass("correct horse battery");
    let done = store::relock(path, None, Some(&key)).unwrap();
    assert!(done.rows > 3, "{done:?}");
    assert_eq!(store::file_kind(path), FileKind::Locked);
    assert!(!file_contains(path, "Marmalade"));
    for leftover in ["-wal", "-shm", ".relock", ".relock-journal"] {
        let p = j.dir().join(format!("duet.db{leftover}"));
        assert!(!p.exists(), "{} was left behind", p.display());
    }
    let mode = std::fs::metadata(path).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777,
        0o600
    );
    let s = Store::open_with(path, Some(&key)).unwrap();
    assert_eq!(everything(&s), original);
    drop(s);

    store::relock(path, Some(&key), None).unwrap();
    assert_eq!(store::file_kind(path), FileKind::Plain);
    let s = Store::open(path).unwrap();
    assert!(!s.is_locked());
    assert_eq!(everything(&s), original);
}

#[test]
fn a_new_passphrase_replaces_the_old_one() {
    let j = Journal::new();
    let path = &j.path;
    let old = pass("correct horse battery");
    let new = pass("staple paper clip river");
    let mut s = Store::open_with(path, Some(&old)).unwrap();
    fill(&mut s);
    let original = everything(&s);
    drop(s);
    store::relock(path, Some(&old), Some(&new)).unwrap();
    assert!(matches!(
        Store::open_with(path, Some(&old)),
        Err(StoreError::WrongPassphrase)
    ));
    let s = Store::open_with(path, Some(&new)).unwrap();
    assert_eq!(everything(&s), original);
}

#[test]
fn changing_the_lock_refuses_while_duet_is_open_elsewhere_and_changes_nothing() {
    let j = Journal::new();
    let path = &j.path;
    let mut open_elsewhere = Store::open(path).unwrap();
    fill(&mut open_elsewhere);
    let err = store::relock(path, None, Some(&pass("correct horse battery"))).unwrap_err();
    assert!(matches!(err, StoreError::InUse), "{err:?}");
    assert_eq!(store::file_kind(path), FileKind::Plain);
    assert!(!j.dir().join("duet.db.relock").exists());
    // The other duet goes on working with its journal.
    let evening = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let by = open_elsewhere.partners().unwrap()[0].id.clone();
    let win = WinDraft {
        text: "still here".into(),
        about: None,
        tags: vec![],
    };
    open_elsewhere.add_win(&by, &win, evening, now()).unwrap();
}

#[test]
fn a_wrong_passphrase_changes_no_lock() {
    let j = filled_and_locked();
    let path = &j.path;
    let before = std::fs::read(path).unwrap();
    let err = store::relock(path, Some(&pass("not the passphrase")), None).unwrap_err();
    assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
    assert_eq!(std::fs::read(path).unwrap(), before);
}

#[test]
fn backups_of_a_locked_journal_are_locked_with_the_same_passphrase() {
    let j = Journal::new();
    let path = &j.path;
    let key = pass("correct horse battery");
    let mut s = Store::open_with(path, Some(&key)).unwrap();
    fill(&mut s);
    let backup = j.dir().join("duet.db.backup-1");
    s.backup_to(&backup).unwrap();
    assert_eq!(store::file_kind(&backup), FileKind::Locked);
    assert!(!file_contains(&backup, "Marmalade"));
    let copy = Store::open_with(&backup, Some(&key)).unwrap();
    assert_eq!(everything(&copy), everything(&s));
}

#[test]
fn plain_copies_beside_the_journal_are_reported_after_locking_it() {
    let j = Journal::new();
    let path = &j.path;
    let mut s = Store::open(path).unwrap();
    fill(&mut s);
    let backup = j.dir().join("duet.db.backup-20261101-200000");
    s.backup_to(&backup).unwrap();
    std::fs::write(j.dir().join("duet.db.backup-notes.txt"), "not a journal").unwrap();
    drop(s);
    let done = store::relock(path, None, Some(&pass("correct horse battery"))).unwrap();
    assert_eq!(done.plain_copies, vec![backup]);
}

#[test]
fn upgrading_a_locked_journal_keeps_its_copy_locked() {
    let j = Journal::new();
    let path = &j.path;
    let key = pass("correct horse battery");
    {
        let mut conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch(&format!("PRAGMA key = '{}'", key.expose()))
            .unwrap();
        store::migrations().to_version(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO partners (id, seat, name, color, created_at) VALUES ('a', 1, 'Marmalade', 'blue', '2026-11-01T00:00:00Z')",
            [],
        )
        .unwrap();
    }
    let s = Store::open_with(path, Some(&key)).unwrap();
    assert_eq!(s.schema_version().unwrap(), store::supported_version());
    let copy = store::backup_path_for_migration(path, 1);
    assert_eq!(store::file_kind(&copy), FileKind::Locked);
    assert!(!file_contains(&copy, "Marmalade"));
}

#[test]
fn a_chosen_passphrase_must_be_worth_having_and_is_never_shown() {
    assert!(Passphrase::chosen("").is_err());
    assert!(Passphrase::chosen("short").is_err());
    assert!(Passphrase::chosen("tab\there ok").is_err());
    let p = pass("correct horse battery");
    assert_eq!(format!("{p:?}"), "Passphrase(hidden)");
    // The same words typed in another Unicode form open the same journal.
    assert_eq!(
        Passphrase::typed("cafe\u{301} au lait"),
        Passphrase::typed("caf\u{e9} au lait")
    );
}

#[test]
fn a_damaged_locked_journal_is_not_mistaken_for_a_wrong_passphrase() {
    let j = Journal::new();
    let path = &j.path;
    let key = pass("correct horse battery");
    let mut s = Store::open_with(path, Some(&key)).unwrap();
    fill(&mut s);
    for i in 0..200 {
        let by = s.partners().unwrap()[0].id.clone();
        let win = WinDraft {
            text: format!("win number {i} with some words to take up room"),
            about: None,
            tags: vec![],
        };
        s.add_win(
            &by,
            &win,
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            now(),
        )
        .unwrap();
    }
    drop(s);
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.len() > 4 * 4096, "{}", bytes.len());
    let cut = j.dir().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() - 4096]).unwrap();
    let err = Store::open_with(&cut, Some(&key)).err().unwrap();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    assert!(err.to_string().contains("damaged"), "{err}");
}

/// SQLCipher says the same for a wrong passphrase and for the right one on a damaged first
/// page; duet tells them apart, and says which.
#[test]
fn a_damaged_first_page_is_damage_with_the_right_passphrase_and_wrong_with_another() {
    let j = filled_and_locked();
    let path = j.path.clone();
    let key = pass("correct horse battery");
    drop(Store::open_with(&path, Some(&key)).expect("it opens before the damage"));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[100..300].fill(0x5a);
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open_with(&path, Some(&key)).err().unwrap();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    assert!(err.to_string().contains("looks damaged"), "{err}");
    let wrong = Store::open_with(&path, Some(&pass("not the passphrase at all")))
        .err()
        .unwrap();
    assert!(matches!(wrong, StoreError::WrongPassphrase), "{wrong:?}");
}

#[test]
fn a_passphrase_with_a_nul_is_wrong_and_never_echoed() {
    let j = Journal::new();
    let path = &j.path;
    drop(Store::open_with(path, Some(&pass("correct horse battery"))).unwrap());
    let err = Store::open_with(path, Some(&Passphrase::typed("secret\0words")))
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
    assert!(!err.to_string().contains("secret"));
}

#[test]
fn a_journal_behind_a_symbolic_link_is_locked_where_it_really_is() {
    let j = Journal::new();
    let real = j.dir().join("synced/duet.db");
    let mut s = Store::open(&real).unwrap();
    fill(&mut s);
    drop(s);
    let link = &j.path;
    std::os::unix::fs::symlink(&real, link).unwrap();
    store::relock(link, None, Some(&pass("correct horse battery"))).unwrap();
    assert!(std::fs::symlink_metadata(link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(store::file_kind(&real), FileKind::Locked);
    assert!(!file_contains(&real, "Marmalade"));
}

#[test]
fn a_copy_left_by_an_interrupted_change_is_reported_as_plain() {
    let j = Journal::new();
    let path = &j.path;
    let mut s = Store::open(path).unwrap();
    fill(&mut s);
    s.backup_to(&j.dir().join("duet.db.relock")).unwrap();
    drop(s);
    assert_eq!(
        store::plain_copies(path),
        vec![j.dir().join("duet.db.relock")]
    );
}
