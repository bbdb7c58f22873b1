//! duet over the sync programs couples already run: two real Syncthing instances on
//! 127.0.0.1 (discovery and relays off) cut apart while both devices write, and a git
//! repository with two clones, each device committing its own files. Both end with the same
//! journal, no conflict copies and no merge conflicts.
//!
//! `.ci/run` installs Syncthing (Debian's package) and sets DUET_REQUIRE_SYNCTHING, so there a
//! missing Syncthing fails; a plain `cargo test` without it says it skipped that part.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::journal::Journal;
use serde_json::Value;

/// Waits for `done` with a deadline, looking again every little while; the deadline is
/// generous, the wait as short as the sync program allows.
fn until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            if !p.ends_with(".git") {
                out.extend(walk(&p));
            }
        } else {
            out.push(p);
        }
    }
    out
}

/// The couple's rows as a journal exports them, without each device's own save counts.
fn rows(j: &Journal) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(o) => {
                o.remove("revision");
                o.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v: Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    let mut data = serde_json::Map::new();
    for t in [
        "partners",
        "settings",
        "checkins",
        "agreements",
        "agreement_events",
        "wins",
        "meetings",
    ] {
        data.insert(t.into(), v[t].take());
    }
    let mut data = Value::Object(data);
    strip(&mut data);
    data
}

fn bundle_in(folder: &Path) -> bool {
    walk(folder).iter().any(|p| p.ends_with("pairing.bundle"))
}

/// Alex pairs through `fa`; once the pairing has reached `fb`, Sam joins from there.
fn pair(a: &Journal, b: &Journal, fa: &Path, fb: &Path, carry: impl Fn()) {
    a.setup();
    a.ok(&["win", "Sam made coffee", "--by", "Sam"]);
    let code = a.dir().join("code");
    let code = code.to_str().unwrap();
    a.ok(&[
        "sync",
        "init",
        "--folder",
        fa.to_str().unwrap(),
        "--me",
        "Alex",
        "--code-file",
        code,
    ]);
    carry();
    until(
        "the pairing reaching the other device",
        Duration::from_secs(60),
        || {
            carry();
            bundle_in(fb)
        },
    );
    b.ok(&[
        "sync",
        "join",
        "--folder",
        fb.to_str().unwrap(),
        "--me",
        "Sam",
        "--code-file",
        code,
    ]);
}

/// Both write while apart: wins, each one's own check-in, and the same win's words changed
/// on both.
fn write_apart(a: &Journal, b: &Journal) -> String {
    let id: String = a.ok(&["wins"]).chars().take(8).collect();
    a.ok(&["win", "Alex: the walk in the rain"]);
    a.ok(&[
        "checkin",
        "--mood",
        "4",
        "--closeness",
        "4",
        "--appreciation",
        "You listened",
    ]);
    a.ok(&["win", "--edit", &id, "Sam made coffee, and toast"]);
    b.ok(&["win", "Sam: the quiet Sunday"]);
    b.ok(&[
        "checkin",
        "--mood",
        "5",
        "--closeness",
        "3",
        "--appreciation",
        "The soup",
    ]);
    b.ok(&["win", "--edit", &id, "Sam made coffee before dawn"]);
    a.ok(&["sync"]);
    b.ok(&["sync"]);
    id
}

fn assert_merged(a: &Journal, b: &Journal) {
    let wins = a.ok(&["wins"]);
    for w in [
        "the walk in the rain",
        "the quiet Sunday",
        "and toast",
        "before dawn",
    ] {
        assert!(wins.contains(w), "{w} was lost: {wins}");
    }
    assert_eq!(rows(a), rows(b), "the two journals differ");
}

struct Syncthing {
    child: Child,
    id: String,
    gui: u16,
    key: String,
}

impl Drop for Syncthing {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn syncthing_here() -> bool {
    Command::new("syncthing")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn device_id(home: &Path) -> String {
    let out = Command::new("syncthing")
        .args(["generate", "--no-default-folder"])
        .arg(format!("--home={}", home.display()))
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    text.lines()
        .find_map(|l| l.split("Device ID: ").nth(1))
        .expect("syncthing generate prints the device id")
        .trim()
        .to_string()
}

/// Two instances sharing one folder, each its own copy, talking only to each other.
fn two_syncthings(root: &Path) -> (Syncthing, Syncthing, PathBuf, PathBuf) {
    let homes = [root.join("st-a"), root.join("st-b")];
    let folders = [root.join("folder-a"), root.join("folder-b")];
    let ids: Vec<String> = homes.iter().map(|h| device_id(h)).collect();
    let listen = [free_port(), free_port()];
    let mut started = Vec::new();
    for i in 0..2 {
        std::fs::create_dir_all(folders[i].join(".stfolder")).unwrap();
        let gui = free_port();
        let key = format!("duet-test-{i}");
        let config = format!(
            r#"<configuration version="36">
  <folder id="duet" label="duet" path="{folder}" type="sendreceive" rescanIntervalS="2" fsWatcherEnabled="true" fsWatcherDelayS="1">
    <device id="{a}"></device>
    <device id="{b}"></device>
  </folder>
  <device id="{a}" name="a"><address>tcp://127.0.0.1:{pa}</address></device>
  <device id="{b}" name="b"><address>tcp://127.0.0.1:{pb}</address></device>
  <gui enabled="true" tls="false"><address>127.0.0.1:{gui}</address><apikey>{key}</apikey></gui>
  <options>
    <listenAddress>tcp://127.0.0.1:{listen}</listenAddress>
    <globalAnnounceEnabled>false</globalAnnounceEnabled>
    <localAnnounceEnabled>false</localAnnounceEnabled>
    <relaysEnabled>false</relaysEnabled>
    <natEnabled>false</natEnabled>
    <urAccepted>-1</urAccepted>
    <crashReportingEnabled>false</crashReportingEnabled>
    <startBrowser>false</startBrowser>
    <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
  </options>
</configuration>"#,
            folder = folders[i].display(),
            a = ids[0],
            b = ids[1],
            pa = listen[0],
            pb = listen[1],
            listen = listen[i],
        );
        std::fs::write(homes[i].join("config.xml"), config).unwrap();
        let child = Command::new("syncthing")
            .args(["serve", "--no-browser", "--no-restart", "--no-upgrade"])
            .arg(format!("--home={}", homes[i].display()))
            .env("STNOUPGRADE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        started.push(Syncthing {
            child,
            id: ids[i].clone(),
            gui,
            key,
        });
    }
    let b = started.pop().unwrap();
    let a = started.pop().unwrap();
    let [fa, fb] = folders;
    (a, b, fa, fb)
}

/// Cuts (or joins again) one instance from the other.
fn pause(on: &Syncthing, other: &Syncthing, paused: bool) {
    let status = Command::new("syncthing")
        .arg("cli")
        .arg(format!("--gui-address=127.0.0.1:{}", on.gui))
        .arg(format!("--gui-apikey={}", on.key))
        .args([
            "config",
            "devices",
            &other.id,
            "paused",
            "set",
            if paused { "true" } else { "false" },
        ])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "syncthing cli could not pause a device");
}

#[test]
fn two_devices_over_real_syncthing_converge_without_conflict_copies() {
    if !syncthing_here() {
        assert!(
            std::env::var_os("DUET_REQUIRE_SYNCTHING").is_none(),
            "Syncthing is required here but not installed"
        );
        eprintln!("skipped: Syncthing isn't installed (apt-get install syncthing)");
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let (sa, sb, fa, fb) = two_syncthings(root.path());
    let (a, b) = (Journal::new(), Journal::new());
    pair(&a, &b, &fa, &fb, || {});
    // The pairing's removal reaches the first device too.
    until(
        "the used pairing leaving both folders",
        Duration::from_secs(60),
        || !bundle_in(&fa),
    );
    // Cut apart (the API answers once the instance is up), both write, then together again.
    until("Syncthing's API", Duration::from_secs(30), || {
        Command::new("syncthing")
            .arg("cli")
            .arg(format!("--gui-address=127.0.0.1:{}", sa.gui))
            .arg(format!("--gui-apikey={}", sa.key))
            .args(["show", "version"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    pause(&sa, &sb, true);
    pause(&sb, &sa, true);
    write_apart(&a, &b);
    pause(&sa, &sb, false);
    pause(&sb, &sa, false);
    until("both journals the same", Duration::from_secs(90), || {
        a.ok(&["sync"]);
        b.ok(&["sync"]);
        rows(&a) == rows(&b)
    });
    assert_merged(&a, &b);
    for f in walk(&fa).into_iter().chain(walk(&fb)) {
        assert!(
            !f.to_string_lossy().contains(".sync-conflict-"),
            "a conflict copy: {}",
            f.display()
        );
    }
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "duet test")
        .env("GIT_AUTHOR_EMAIL", "duet@example.invalid")
        .env("GIT_COMMITTER_NAME", "duet test")
        .env("GIT_COMMITTER_EMAIL", "duet@example.invalid")
        .output()
        .unwrap()
}

fn git_ok(dir: &Path, args: &[&str]) {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What each device does with a git remote: commit what it wrote, take the other's, send.
fn exchange(clone: &Path) {
    git_ok(clone, &["add", "-A"]);
    let _ = git(clone, &["commit", "-q", "-m", "duet"]);
    git_ok(clone, &["pull", "-q", "--rebase"]);
    git_ok(clone, &["push", "-q"]);
}

#[test]
fn two_devices_over_git_converge_without_merge_conflicts() {
    let root = tempfile::tempdir().unwrap();
    let remote = root.path().join("remote.git");
    git_ok(
        root.path(),
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    );
    let (ga, gb) = (root.path().join("a"), root.path().join("b"));
    for c in [&ga, &gb] {
        git_ok(
            root.path(),
            &["clone", "-q", remote.to_str().unwrap(), c.to_str().unwrap()],
        );
    }
    // An empty first commit, so both clones share a branch.
    git_ok(&ga, &["commit", "-q", "--allow-empty", "-m", "start"]);
    git_ok(&ga, &["push", "-q", "-u", "origin", "main"]);
    git_ok(&gb, &["pull", "-q", "origin", "main"]);
    git_ok(&gb, &["branch", "-q", "--set-upstream-to=origin/main"]);
    let (a, b) = (Journal::new(), Journal::new());
    pair(&a, &b, &ga, &gb, || {
        exchange(&ga);
        git_ok(&gb, &["pull", "-q", "--rebase"]);
    });
    exchange(&gb);
    write_apart(&a, &b);
    // Sam's device sends first; Alex's must take it before sending: a rebase, never a conflict.
    exchange(&gb);
    exchange(&ga);
    for _ in 0..3 {
        exchange(&gb);
        exchange(&ga);
        a.ok(&["sync"]);
        b.ok(&["sync"]);
    }
    exchange(&ga);
    exchange(&gb);
    a.ok(&["sync"]);
    b.ok(&["sync"]);
    assert_merged(&a, &b);
    for c in [&ga, &gb] {
        let status = String::from_utf8(git(c, &["status", "--porcelain"]).stdout).unwrap();
        assert!(!status.contains("UU "), "a merge conflict: {status}");
    }
}
