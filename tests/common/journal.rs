//! A journal file in a folder of its own that disappears with the test, and the real binary
//! run against it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::binary;

pub struct Journal {
    /// Held only so the folder lives as long as the journal.
    _dir: tempfile::TempDir,
    /// `duet.db` in the folder; nothing is there until something creates it.
    pub path: PathBuf,
}

impl Journal {
    pub fn new() -> Journal {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("duet.db");
        Journal { _dir: dir, path }
    }

    /// The journal's folder, for files that go beside it.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap()
    }

    pub fn duet(&self) -> Command {
        binary::duet(&self.path)
    }

    /// Runs a command, whatever its outcome, and hands back all it did.
    pub fn run(&self, args: &[&str]) -> Output {
        self.duet().args(args).output().unwrap()
    }

    /// Runs a command that must succeed, and returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail with one line on stderr and leave the file as it was.
    pub fn refused(&self, args: &[&str], code: i32, needle: &str) {
        let before = std::fs::read(&self.path).ok();
        let out = self.run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(
            err.contains(needle),
            "{args:?}: expected {needle:?} in {err:?}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{err}"
        );
        if code == 1 {
            assert_eq!(
                err.trim_end().lines().count(),
                1,
                "more than one line: {err}"
            );
        }
        assert_eq!(
            std::fs::read(&self.path).ok(),
            before,
            "{args:?} changed the journal"
        );
    }

    /// Alex and Sam, as in the README.
    pub fn setup(&self) {
        self.ok(&["setup", "--partner", "Alex", "--partner", "Sam"]);
    }

    /// A passphrase file beside the journal, private to its owner as duet asks.
    pub fn passphrase(&self, name: &str, text: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let p = self.dir().join(name);
        std::fs::write(&p, format!("{text}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        p.to_string_lossy().into_owned()
    }

    /// Whether the words can be read straight off the journal file.
    pub fn bytes_contain(&self, needle: &str) -> bool {
        file_contains(&self.path, needle)
    }
}

/// Whether the words can be read straight off a file's bytes.
pub fn file_contains(path: &Path, needle: &str) -> bool {
    std::fs::read(path)
        .unwrap()
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}
