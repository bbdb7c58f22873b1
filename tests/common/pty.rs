//! The real `duet` binary in a pseudo-terminal, driven key by key and read back through a
//! vt100 screen.
//!
//! Nothing here sleeps to synchronise. A reader thread feeds everything the app writes into a
//! shared vt100 parser and wakes waiters through a condvar; every step waits for the screen
//! change that proves the keys were handled before sending the next ones.
//!
//! The parser only ever sees whole frames. A frame can reach the pty in several reads, and a
//! wait that matched on half a frame would then look at the other half still showing the
//! screen before. ratatui ends every draw by hiding the cursor (duet never places it) and
//! flushing, so bytes are held back until the next `ESC [ ? 25 l` and fed up to it.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, ChildKiller, CommandBuilder, MasterPty, PtySize};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;
/// Generous: a slow, busy 2-core machine still redraws within this.
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const CTRL_C: &str = "\x03";
pub const CTRL_S: &str = "\x13";
pub const LEFT: &str = "\x1b[D";
pub const BACKSPACE: &str = "\x7f";

/// How every ratatui draw ends while the app shows no cursor: the end of a frame.
pub const FRAME_END: &[u8] = b"\x1b[?25l";

/// What the reader thread has seen so far.
pub struct Output {
    /// The screen as of the last whole frame.
    pub parser: vt100::Parser,
    /// Every byte, as written.
    pub raw: Vec<u8>,
    /// Bytes read after the last frame end, not yet on `parser`.
    pub pending: Vec<u8>,
    /// The pty reported end of file: every holder of the terminal side has gone.
    pub eof: bool,
}

pub type Shared = Arc<(Mutex<Output>, Condvar)>;

/// One running `duet`, in its own pseudo-terminal.
pub struct Duet {
    pub master: Box<dyn MasterPty + Send>,
    writer: Option<Box<dyn Write + Send>>,
    pub child: Option<Box<dyn Child + Send + Sync>>,
    killer: Box<dyn ChildKiller + Send + Sync>,
    shared: Shared,
    reader: Option<JoinHandle<()>>,
    /// The terminal's modes before duet started, from `termios()`.
    pub termios_before: String,
}

impl Duet {
    pub fn start(db: &Path) -> Duet {
        Duet::start_with(db, &[])
    }

    pub fn start_with(db: &Path, env: &[(&str, &str)]) -> Duet {
        Duet::spawn(command(db, env))
    }

    /// Runs `cmd` (usually `command(…)`, perhaps changed) in a new pseudo-terminal.
    pub fn spawn(cmd: CommandBuilder) -> Duet {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        // Read before the child exists, so it can't already be in raw mode.
        let termios_before = termios(&*pty.master);
        let child = pty.slave.spawn_command(cmd).expect("spawn duet");
        // Only the child holds the terminal side now, so its exit is our end of file.
        drop(pty.slave);
        let killer = child.clone_killer();
        let master = pty.master;
        let mut reader = master.try_clone_reader().expect("pty reader");
        let writer = master.take_writer().expect("pty writer");
        let shared: Shared = Arc::new((
            Mutex::new(Output {
                parser: vt100::Parser::new(ROWS, COLS, 0),
                raw: Vec::new(),
                pending: Vec::new(),
                eof: false,
            }),
            Condvar::new(),
        ));
        let feed = Arc::clone(&shared);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) => 0,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    // Linux reports EIO on the master once the child side is closed.
                    Err(_) => 0,
                };
                let (lock, cv) = &*feed;
                let mut out = lock.lock().unwrap_or_else(|e| e.into_inner());
                if n == 0 {
                    // What comes after the last frame (restoring the terminal) goes in as is.
                    let rest = std::mem::take(&mut out.pending);
                    out.parser.process(&rest);
                    out.eof = true;
                    cv.notify_all();
                    return;
                }
                out.raw.extend_from_slice(&buf[..n]);
                out.pending.extend_from_slice(&buf[..n]);
                if let Some(at) = rfind(&out.pending, FRAME_END) {
                    let frame: Vec<u8> = out.pending.drain(..at + FRAME_END.len()).collect();
                    out.parser.process(&frame);
                }
                // Every read, not only whole frames: a wait may be for raw bytes (what a
                // program run from duet writes, say).
                cv.notify_all();
            }
        });
        Duet {
            master,
            writer: Some(writer),
            child: Some(child),
            killer,
            shared,
            reader: Some(reader),
            termios_before,
        }
    }

    /// The process id of the duet running in the terminal.
    pub fn pid(&self) -> u32 {
        self.child
            .as_ref()
            .and_then(|c| c.process_id())
            .expect("duet is running")
    }

    pub fn output(&self) -> MutexGuard<'_, Output> {
        self.shared.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn screen(&self) -> String {
        self.output().parser.screen().contents()
    }

    pub fn send(&mut self, keys: &str) {
        let w = self.writer.as_mut().expect("duet is still running");
        w.write_all(keys.as_bytes()).expect("write keys to the pty");
        w.flush().expect("flush keys");
    }

    /// Waits until `done` holds for what has been read, or fails showing the screen.
    pub fn wait_until(&self, what: &str, done: impl Fn(&Output) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        let (lock, cv) = &*self.shared;
        let mut out = lock.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if done(&out) {
                return;
            }
            let now = Instant::now();
            if now >= deadline || out.eof {
                let why = if out.eof { "duet exited" } else { "timed out" };
                panic!(
                    "{why} waiting for {what} (after {:?}). The screen:\n{}\n\
                     ({} bytes after the last frame end not shown)",
                    TIMEOUT,
                    frame(&out.parser.screen().contents()),
                    out.pending.len()
                );
            }
            out = cv
                .wait_timeout(out, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?} on screen"), |o| {
            o.parser.screen().contents().contains(text)
        });
    }

    /// Sends keys and waits for the text that proves they were handled. The text must not be
    /// on screen beforehand, so the wait can't pass on what was already there.
    pub fn step(&mut self, keys: &str, expect: &str) {
        let before = self.screen();
        assert!(
            !before.contains(expect),
            "before sending {keys:?}, {expect:?} was already on screen:\n{}",
            frame(&before)
        );
        self.send(keys);
        self.wait_for(expect);
    }

    pub fn assert_on_screen(&self, texts: &[&str]) {
        let s = self.screen();
        for t in texts {
            assert!(s.contains(t), "{t:?} is not on screen:\n{}", frame(&s));
        }
    }

    pub fn assert_not_on_screen(&self, texts: &[&str]) {
        let s = self.screen();
        for t in texts {
            assert!(
                !s.contains(t),
                "{t:?} should not be on screen:\n{}",
                frame(&s)
            );
        }
    }

    /// Waits for the process to end and for the last of its output; returns its exit status.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let mut child = self.child.take().expect("waited twice");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait());
        });
        let status = match rx.recv_timeout(TIMEOUT) {
            Ok(s) => s.expect("wait for duet"),
            Err(_) => {
                let _ = self.killer.kill();
                panic!(
                    "duet did not exit within {TIMEOUT:?}. The screen:\n{}",
                    frame(&self.screen())
                );
            }
        };
        self.wait_until("the end of duet's output", |o| o.eof);
        if let Some(r) = self.reader.take() {
            r.join().expect("reader thread");
        }
        // Dropped only now: dropping the writer may type an end-of-file into a cooked terminal.
        self.writer = None;
        status
    }

    pub fn raw(&self) -> Vec<u8> {
        self.output().raw.clone()
    }
}

impl Drop for Duet {
    fn drop(&mut self) {
        // A failed test must not leave its own duet running; this handle only reaches that one.
        if let Some(mut child) = self.child.take() {
            if let Ok(None) = child.try_wait() {
                let _ = self.killer.kill();
            }
            let _ = child.wait();
        }
    }
}

/// `duet --db <db>` with a clean environment: home beside the journal, UTC, no colour.
pub fn command(db: &Path, env: &[(&str, &str)]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_duet"));
    cmd.arg("--db");
    cmd.arg(db);
    cmd.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    let home = db.parent().expect("db in a folder");
    cmd.env("HOME", home);
    cmd.env("TZ", "UTC");
    cmd.env("NO_COLOR", "1");
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.cwd(home);
    cmd
}

/// The terminal's modes (raw or cooked, echo, ...) as text, so they can be compared.
pub fn termios(master: &dyn MasterPty) -> String {
    let t = master.get_termios().expect("the pty's termios");
    format!("{t:?}")
}

/// The screen in a box, so trailing spaces and empty rows are visible in failure messages.
pub fn frame(contents: &str) -> String {
    contents
        .lines()
        .map(|l| format!("|{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where the last occurrence of `needle` starts.
pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}
