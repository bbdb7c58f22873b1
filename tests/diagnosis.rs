//! What is really wrong is what duet says: a full disk or a read-only folder is not "damaged"
//! (someone told that may restore an old backup over a healthy journal), a plain journal with
//! a damaged start is not "locked", and a command that fails leaves nothing behind.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::journal::Journal;

/// A small filesystem of its own, so the disk can be filled and the folder made read-only
/// without touching the machine's. Needs the right to mount (root, as in CI); elsewhere the
/// tests that need it say so and pass over it.
struct Tmpfs {
    _dir: tempfile::TempDir,
    at: PathBuf,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let at = dir.path().to_owned();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&at)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("note: can't mount a tmpfs here (not root?); this check is passed over");
            return None;
        }
        Some(Tmpfs { _dir: dir, at })
    }

    fn remount_read_only(&self) {
        let done = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.at)
            .status()
            .unwrap();
        assert!(done.success());
    }

    /// Fills what room is left.
    fn fill(&self) {
        let _ = Command::new("dd")
            .args(["if=/dev/zero", "bs=64k"])
            .arg(format!("of={}", self.at.join("filler").display()))
            .output();
    }

    fn journal(&self) -> PathBuf {
        self.at.join("duet.db")
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).status();
    }
}

fn duet(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = common::binary::duet(db).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn setup(db: &Path) {
    let (code, err) = duet(db, &["setup", "--partner", "Alex", "--partner", "Sam"]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_journal_in_a_read_only_folder_is_not_called_damaged() {
    let Some(fs) = Tmpfs::mount("4m") else { return };
    setup(&fs.journal());
    fs.remount_read_only();
    for args in [&["status"][..], &["export"], &[]] {
        let (code, err) = duet(&fs.journal(), args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.contains("read-only here"), "{args:?}: {err}");
        assert!(
            !err.contains("damaged") && !err.contains("isn't a duet"),
            "{err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

#[test]
fn a_journal_on_a_full_disk_is_not_called_damaged() {
    let Some(fs) = Tmpfs::mount("4m") else { return };
    setup(&fs.journal());
    let before = std::fs::read(fs.journal()).unwrap();
    fs.fill();
    for args in [&["status"][..], &["win", "A walk"], &[]] {
        let (code, err) = duet(&fs.journal(), args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.contains("the disk is full"), "{args:?}: {err}");
        assert!(
            !err.contains("damaged") && !err.contains("isn't a duet"),
            "{err}"
        );
    }
    assert_eq!(std::fs::read(fs.journal()).unwrap(), before);
}

#[test]
fn setup_on_a_full_disk_leaves_no_journal_behind() {
    let Some(fs) = Tmpfs::mount("4m") else { return };
    fs.fill();
    let (code, err) = duet(
        &fs.journal(),
        &["setup", "--partner", "Alex", "--partner", "Sam"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("the disk is full"), "{err}");
    let left: Vec<_> = std::fs::read_dir(&fs.at)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "filler")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_plain_journal_with_a_damaged_start_is_damaged_not_locked() {
    let j = Journal::new();
    j.setup();
    let mut bytes = std::fs::read(&j.path).unwrap();
    bytes[..16].copy_from_slice(b"\x8f\x02garbage\x11\x93\xfe!!zz");
    std::fs::write(&j.path, &bytes).unwrap();
    // The app too: it must not ask for a passphrase the journal never had.
    for args in [&["status"][..], &[]] {
        j.refused(args, 1, "looks damaged");
        let err = String::from_utf8(j.run(args).stderr).unwrap();
        assert!(
            !err.contains("locked") && !err.contains("passphrase"),
            "{err}"
        );
    }
}
