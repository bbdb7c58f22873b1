//! The real `duet` binary, run the way a script or cron job would run it.

use std::ffi::OsStr;
use std::process::Command;

/// `duet --db <db>` with nothing from the tester's own setup leaking in: no `DUET_DB`,
/// `DUET_PARTNER`, `DUET_PASSPHRASE_FILE` or `DUET_THEME` from the environment, and UTC whatever the
/// machine's zone, so "tonight" means the same everywhere.
pub fn duet(db: impl AsRef<OsStr>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_duet"));
    c.env_remove("DUET_DB")
        .env_remove("DUET_PARTNER")
        .env_remove("DUET_PASSPHRASE_FILE")
        .env_remove("DUET_THEME")
        .env("TZ", "UTC")
        .arg("--db")
        .arg(db);
    no_terminal(&mut c);
    c
}

/// Runs the command in a session of its own, without a controlling terminal, as under cron:
/// a question for a passphrase then fails at once instead of waiting on the tester's terminal.
fn no_terminal(c: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setsid is async-signal-safe, and nothing else runs between fork and exec.
    unsafe {
        c.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
}
