//! Private words stay private on disk: no core dumps of a process holding a locked journal's
//! words, no editor file outside a private folder or after it is done with, no plain copy left
//! by an interrupted change of lock, no log others can read whatever the umask. And a closed
//! pipe ends a command quietly.

mod common;

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use common::journal::Journal;
use common::pty::{command, Duet, CTRL_C, CTRL_S, ENTER};
use portable_pty::CommandBuilder;

const SECRET: &str = "tea by the window";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `duet` started through a shell that first runs `setup` (a umask, a core size limit).
fn through_shell(db: &Path, env: &[(&str, &str)], setup: &str) -> CommandBuilder {
    let direct = command(db, env);
    let mut cmd = CommandBuilder::new("sh");
    cmd.arg("-c");
    cmd.arg(format!("{setup}; exec \"$0\" --db \"$1\""));
    cmd.arg(env!("CARGO_BIN_EXE_duet"));
    cmd.arg(db);
    for (k, v) in direct.iter_full_env_as_str() {
        cmd.env(k, v);
    }
    cmd.cwd(db.parent().unwrap());
    cmd
}

fn limits_core(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/limits"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap()
        .to_string()
}

#[test]
fn no_core_dump_can_hold_a_locked_journal_s_words() {
    // Plain: the limit the shell set is left alone, so the check below can tell.
    let plain = Journal::new();
    plain.setup();
    let mut duet = Duet::spawn(through_shell(&plain.path, &[], "ulimit -c unlimited"));
    duet.wait_for("Tonight");
    assert!(
        limits_core(duet.pid()).contains("unlimited"),
        "{}",
        limits_core(duet.pid())
    );
    duet.send("q");
    assert!(duet.wait_exit().success());

    let locked = Journal::new();
    locked.setup();
    let key = locked.passphrase("key", SECRET);
    locked.ok(&["encrypt", "--passphrase-file", &key]);
    let env = [("DUET_PASSPHRASE_FILE", key.as_str())];
    let mut duet = Duet::spawn(through_shell(&locked.path, &env, "ulimit -c unlimited"));
    duet.wait_for("Tonight");
    let limit = limits_core(duet.pid());
    assert!(
        limit.split_whitespace().filter(|w| *w == "0").count() == 2,
        "{limit}"
    );
    duet.send("q");
    assert!(duet.wait_exit().success());
}

#[test]
fn the_panic_log_is_private_whatever_the_umask() {
    let j = Journal::new();
    j.setup();
    let env = [("DUET_TEST_PANIC", "1")];
    let mut duet = Duet::spawn(through_shell(&j.path, &env, "umask 000"));
    assert!(!duet.wait_exit().success());
    let state = j.dir().join(".local/state");
    let log = state.join("duet/panic.log");
    assert_eq!(mode(&log), 0o600);
    assert_eq!(mode(&state.join("duet")), 0o700);
    assert_eq!(mode(&state), 0o700);
}

/// An editor that shows where it was asked to write, then writes.
fn recording_editor(dir: &Path) -> String {
    let script = dir.join("editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nstat -c '%a %n' \"$(dirname \"$1\")\" \"$1\" > \"$HOME/seen\"\necho 'From the editor' > \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    script.to_string_lossy().into_owned()
}

#[test]
fn the_editor_s_file_is_private_and_gone_when_the_text_is_back() {
    let j = Journal::new();
    j.setup();
    let runtime = j.dir().join("run");
    std::fs::create_dir(&runtime).unwrap();
    let editor = recording_editor(j.dir());
    let env = [
        ("EDITOR", editor.as_str()),
        ("XDG_RUNTIME_DIR", runtime.to_str().unwrap()),
    ];
    let mut duet = Duet::start_with(&j.path, &env);
    duet.wait_for("Tonight");
    duet.step("c", "Who's checking in?");
    duet.step(ENTER, "How did today feel?");
    duet.step("4\r5\r", "› One thing you appreciated");
    duet.step("\x05", "From the editor");
    let seen = std::fs::read_to_string(j.dir().join("seen")).unwrap();
    let folder = runtime.join("duet");
    assert!(
        seen.starts_with(&format!("700 {}", folder.display())),
        "{seen}"
    );
    assert!(seen.lines().nth(1).unwrap().starts_with("600 "), "{seen}");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    duet.step(CTRL_S, "Saved, Alex");
    duet.send("q");
    assert!(duet.wait_exit().success());
}

#[test]
fn ctrl_c_while_the_editor_waits_ends_the_editor_not_duet() {
    let j = Journal::new();
    j.setup();
    let runtime = j.dir().join("run");
    std::fs::create_dir(&runtime).unwrap();
    let script = j.dir().join("waits.sh");
    std::fs::write(&script, "#!/bin/sh\necho EDITOR-WAITING\nread line\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    let env = [
        ("EDITOR", script.to_str().unwrap()),
        ("XDG_RUNTIME_DIR", runtime.to_str().unwrap()),
    ];
    let mut duet = Duet::start_with(&j.path, &env);
    duet.wait_for("Tonight");
    duet.step("c", "Who's checking in?");
    duet.step(ENTER, "How did today feel?");
    duet.step("4\r5\r", "› One thing you appreciated");
    duet.send("\x05");
    duet.wait_until("the editor to start", |o| {
        common::pty::rfind(&o.raw, b"EDITOR-WAITING").is_some()
    });
    duet.send(CTRL_C);
    duet.wait_for("The editor exited with an error");
    assert_eq!(std::fs::read_dir(runtime.join("duet")).unwrap().count(), 0);
    duet.step("\x1b", "Discard this draft?");
    duet.step("y", "Draft discarded");
    duet.send("q");
    assert!(duet.wait_exit().success(), "duet went on after the editor");
}

#[test]
fn an_editor_file_left_by_a_killed_duet_goes_at_the_next_start() {
    let j = Journal::new();
    j.setup();
    let folder = j.dir().join("run/duet");
    std::fs::create_dir_all(&folder).unwrap();
    // A process that has certainly ended.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let pid = gone.id();
    gone.wait().unwrap();
    let leftover = folder.join(format!("duet-{pid}-x1y2z3.txt"));
    std::fs::write(&leftover, "words from a killed duet").unwrap();
    let runtime = j.dir().join("run");
    let mut duet = Duet::start_with(&j.path, &[("XDG_RUNTIME_DIR", runtime.to_str().unwrap())]);
    duet.wait_for("Tonight");
    // A key handled proves the loop went past the first frame, where leftovers are removed.
    duet.step("?", "Keys ·");
    assert!(!leftover.exists(), "the leftover is still there");
    duet.send("q");
    duet.send("q");
    assert!(duet.wait_exit().success());
}

#[test]
fn a_plain_copy_left_by_an_interrupted_decrypt_goes_at_the_next_open() {
    let j = Journal::new();
    j.setup();
    let copy = j.dir().join("duet.db.relock");
    std::fs::write(&copy, "SQLite format 3\0 and every word in plain text").unwrap();
    j.ok(&["status"]);
    assert!(!copy.exists(), "the plain copy is still beside the journal");
}

#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    let j = Journal::new();
    j.ok(&["demo", "--years", "1"]);
    let home = j.dir().join("home");
    for args in [
        &["export"][..],
        &["agreements"],
        &["export", "--format", "markdown"],
    ] {
        let mut child = j
            .duet()
            .args(args)
            .env("HOME", &home)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // As `| head -c 0` does: the reader is gone before duet writes a byte.
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert!(
            status.success() || status.signal() == Some(libc::SIGPIPE),
            "{args:?}: {status:?} {err}"
        );
        assert!(err.is_empty(), "{args:?}: {err}");
        assert!(!home.join(".local/state/duet/panic.log").exists());
    }
}
