//! The only place that touches the terminal and reads the clock: setup, restore, the loop.

mod background;
mod editor;
mod sync;

use std::io::{stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use std::time::Duration;

use chrono::{Local, Utc};
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::action::Action;
use crate::app::unlock::{Step, Unlock};
use crate::app::App;
use crate::domain::Passphrase;
use crate::error::{CliError, StoreError};
use crate::store::Store;
use crate::{keymap, ui};

use ratatui::crossterm;

static TERMINAL_ACTIVE: AtomicBool = AtomicBool::new(false);
/// Set by a SIGTSTP from outside; the loop suspends at its next turn.
static STOP_ASKED: AtomicBool = AtomicBool::new(false);

/// Ctrl-Z: the terminal goes back as it was, the process stops (the shell's `fg` brings it
/// back), and then takes the terminal again and draws everything anew.
fn suspend(term: &mut Term) -> std::io::Result<()> {
    restore();
    // SIGSTOP can't be caught, so the stop happens even though SIGTSTP is handled here.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
    // A new terminal has drawn nothing yet, so its first frame is drawn whole.
    *term = enter()?;
    Ok(())
}

/// Ctrl-L: the screen cleared and drawn whole. Not ratatui's clear, which asks the terminal
/// where its cursor is and waits for the answer.
fn repaint(term: &mut Term) -> std::io::Result<()> {
    execute!(stdout(), terminal::Clear(terminal::ClearType::All))?;
    *term = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok(())
}

pub(super) fn enter() -> std::io::Result<Terminal<CrosstermBackend<std::io::Stdout>>> {
    terminal::enable_raw_mode()?;
    TERMINAL_ACTIVE.store(true, Ordering::SeqCst);
    // Cleared here rather than by ratatui, whose clear asks the terminal where its cursor is
    // and waits for the answer.
    execute!(
        stdout(),
        EnterAlternateScreen,
        terminal::Clear(terminal::ClearType::All),
        EnableBracketedPaste,
        cursor::Hide
    )?;
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Puts the terminal back as we found it. Safe to call twice, and a no-op when we never took it.
pub fn restore() {
    if TERMINAL_ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = terminal::disable_raw_mode();
        let _ = execute!(
            stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = stdout().flush();
    }
}

fn panic_log_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "duet")
        .map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())
        .unwrap_or_else(std::env::temp_dir)
        .join("panic.log")
}

/// On a panic: the terminal first, then the details to a log file, then one calm line.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        restore();
        let path = panic_log_path();
        let details = format!(
            "duet {} panicked: {info}\n{}\n",
            env!("CARGO_PKG_VERSION"),
            std::backtrace::Backtrace::force_capture()
        );
        let written = write_private_log(&path, details.as_bytes()).is_ok();
        if written {
            eprintln!(
                "duet: something unexpected went wrong and duet closed; everything you had saved is safe. Details: {}",
                path.display()
            );
        } else {
            eprintln!("duet: something unexpected went wrong and duet closed; everything you had saved is safe.");
        }
    }));
}

/// The panic log, readable only by its owner whatever the umask: folders 0700, file 0600.
fn write_private_log(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // A log left by an older duet may have been made readable by others.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(bytes)
}

/// Standard input's terminal modes, when it is a terminal.
fn terminal_modes() -> Option<libc::termios> {
    // SAFETY: tcgetattr only writes the struct it is given; zeroed is a valid termios.
    unsafe {
        let mut modes: libc::termios = std::mem::zeroed();
        (libc::isatty(0) == 1 && libc::tcgetattr(0, &mut modes) == 0).then_some(modes)
    }
}

pub fn run(
    db: &Path,
    key: Option<Passphrase>,
    theme: Option<crate::cli::ThemeChoice>,
) -> Result<(), CliError> {
    let (theme, theme_note) = background::chosen(theme);
    // A closed terminal (SIGHUP) or SIGTERM ends duet from a thread of its own: the event loop
    // may never get control back, because reading a hung-up terminal can spin inside crossterm.
    // Every confirmed entry is already committed, so only an unconfirmed draft is lost.
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ])
    .map_err(|e| CliError::Terminal(e.to_string()))?;
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    let _ = unsafe {
        signal_hook::low_level::register(signal_hook::consts::SIGTSTP, || {
            STOP_ASKED.store(true, Ordering::SeqCst)
        })
    };
    // The terminal's modes as duet found them: a signal while the colour question has it raw
    // (before duet takes it) puts them back too.
    let modes_at_start = terminal_modes();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            editor::remove_open_file();
            if TERMINAL_ACTIVE.load(Ordering::SeqCst) {
                restore();
            } else if let Some(modes) = &modes_at_start {
                // SAFETY: a plain termios set on standard input, which is the terminal.
                unsafe {
                    libc::tcsetattr(0, libc::TCSANOW, modes);
                }
            }
            std::process::exit(0);
        }
    });
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    // Open before touching the terminal, so a bad journal is one plain line on a normal screen.
    // A locked journal opens with the passphrase file, or is asked for on the unlock screen; a
    // new journal's passphrase is chosen on the setup screen, after its warning.
    let key = key.filter(|_| crate::store::file_kind(db) == crate::store::FileKind::Locked);
    // The terminal is asked about its background while the journal opens, so its answer's
    // round trip costs the first frame nothing; the scope waits for it even when opening fails.
    let (store, background) = std::thread::scope(|s| {
        let asking = (!no_color).then(|| s.spawn(|| background::detect(theme)));
        let store = Store::open_with(db, key.as_ref());
        let background = asking.and_then(|a| a.join().ok()).unwrap_or_default();
        (store, background)
    });
    let store = match store {
        Err(StoreError::Locked { .. }) => None,
        other => Some(other?),
    };
    let look = ui::theme::Theme::new(!no_color, background);
    // The first screen's rows are read before the terminal is taken, too: a journal that
    // can't be read is then one plain line on a normal screen.
    let new_app = |store| {
        new_app(store, look).map(|mut app| {
            if let Some(note) = &theme_note {
                app.set_message(Some(crate::app::Message {
                    text: note.clone(),
                    tone: crate::app::Tone::Info,
                }));
            }
            app
        })
    };
    let app = store.map(new_app).transpose()?;
    let mut term = enter().map_err(|e| CliError::Terminal(e.to_string()))?;
    let result = match app {
        Some(app) => Ok(Some((app, key))),
        None => unlock_loop(&mut term, db, look).and_then(|opened| {
            opened
                .map(|(s, key)| new_app(s).map(|app| (app, Some(key))))
                .transpose()
        }),
    }
    .and_then(|app| match app {
        Some((mut app, key)) => event_loop(&mut term, &mut app, (db, key)),
        None => Ok(()),
    });
    restore();
    result
}

fn new_app(store: Store, look: ui::theme::Theme) -> Result<App<Local>, CliError> {
    #[allow(clippy::disallowed_methods)] // the loop is the one place that reads the clock
    let mut app = App::new(store, Local, Utc::now())?;
    app.set_no_color(!look.color);
    app.set_background(look.background);
    Ok(app)
}

/// Asks for the passphrase until it opens the journal (the store, and the passphrase that
/// opened it), three wrong tries, or a quit.
fn unlock_loop(
    term: &mut Term,
    db: &Path,
    look: ui::theme::Theme,
) -> Result<Option<(Store, Passphrase)>, CliError> {
    let fail = |e: std::io::Error| CliError::Terminal(e.to_string());
    let mut unlock = Unlock::new();
    // Which file this screen is asking about: `duet passphrase` elsewhere replaces it.
    let identity = |db: &Path| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(db).ok().map(|m| (m.dev(), m.ino()))
    };
    let mut asking_about = identity(db);
    loop {
        term.draw(|f| ui::render_unlock(f, &unlock, look))
            .map_err(fail)?;
        let action = match event::read().map_err(fail)? {
            Event::Key(k) => keymap::resolve(k, unlock.context()),
            Event::Paste(text) => Some(Action::Paste(text)),
            _ => None,
        };
        let Some(action) = action else { continue };
        // Typing blind while the window is too small to show the field would use up tries.
        let size = term.size().map_err(fail)?;
        let too_small = size.width < ui::MIN_WIDTH || size.height < ui::MIN_HEIGHT;
        if too_small && !matches!(action, Action::Quit | Action::ForceQuit) {
            continue;
        }
        match unlock.update(action) {
            Step::Stay => {}
            Step::Quit => return Ok(None),
            Step::Try(key) => {
                // Deriving the key takes a moment: say so before it starts.
                term.draw(|f| ui::render_unlock(f, &unlock, look))
                    .map_err(fail)?;
                match Store::open_with(db, Some(&key)) {
                    Ok(store) => return Ok(Some((store, key))),
                    Err(StoreError::WrongPassphrase) if identity(db) != asking_about => {
                        asking_about = identity(db);
                        unlock.replaced();
                    }
                    Err(StoreError::WrongPassphrase) => {
                        if unlock.failed() {
                            return Err(StoreError::WrongPassphrase.into());
                        }
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
}

pub(super) type Term = Terminal<CrosstermBackend<std::io::Stdout>>;

/// How many keys already waiting at once make a paste: far more than typing ever queues.
const PASTE_KEYS: usize = 8;

/// A key that types text: a character (with or without Shift), Enter or Tab.
fn typed(k: &event::KeyEvent) -> bool {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    k.kind != KeyEventKind::Release
        && (k.modifiers - KeyModifiers::SHIFT).is_empty()
        && matches!(k.code, KeyCode::Char(_) | KeyCode::Enter | KeyCode::Tab)
}

/// The keys already waiting behind `first`, as text when there are enough of them to be a
/// paste; otherwise they wait in `pending`, to be handled one by one as typed.
fn burst(
    first: event::KeyEvent,
    pending: &mut std::collections::VecDeque<Event>,
) -> std::io::Result<Option<String>> {
    use crossterm::event::KeyCode;
    let mut keys = vec![first];
    while pending.is_empty() && event::poll(Duration::ZERO)? {
        match event::read()? {
            Event::Key(k) if typed(&k) => keys.push(k),
            other => pending.push_back(other),
        }
    }
    // A held key repeats itself; a paste doesn't.
    let repeated = keys.iter().all(|k| k.code == first.code);
    if keys.len() < PASTE_KEYS || repeated {
        // Typed: the keys after the first go back in line, in order.
        for (i, k) in keys.into_iter().skip(1).enumerate() {
            pending.insert(i, Event::Key(k));
        }
        return Ok(None);
    }
    let text = keys
        .iter()
        .map(|k| match k.code {
            KeyCode::Char(c) => c,
            KeyCode::Tab => '\t',
            _ => '\n',
        })
        .collect();
    Ok(Some(text))
}

/// `journal`: where the journal is and what opened it, for syncing on a thread of its own.
fn event_loop(
    term: &mut Term,
    app: &mut App<Local>,
    journal: (&Path, Option<Passphrase>),
) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::Terminal(e.to_string());
    let mut first_frame = true;
    let mut journal = Some(journal);
    let mut syncing: Option<sync::Worker> = None;
    // The view last drawn: an idle duet draws (and writes) nothing.
    let mut drawn: Option<u64> = None;
    // How many layers stood over the panes at the last frame: when one closes, every cell is
    // written again, so a wide character half under its edge never leaves a stray glyph.
    let mut layers = 0;
    // Keys read ahead while telling a paste from typing, still to be handled one by one.
    let mut pending: std::collections::VecDeque<Event> = std::collections::VecDeque::new();
    loop {
        app.set_sync_word(syncing.as_ref().and_then(sync::Worker::word));
        let now_layers = app.layers().len();
        let closed = now_layers < layers;
        layers = now_layers;
        if closed || drawn != Some(app.view_version()) {
            // One frame at a time, never torn, where the terminal knows synchronized output.
            let _ = execute!(stdout(), terminal::BeginSynchronizedUpdate);
            if closed {
                repaint(term).map_err(fail)?;
            }
            term.draw(|f| ui::render(f, app)).map_err(fail)?;
            let _ = execute!(stdout(), terminal::EndSynchronizedUpdate);
            drawn = Some(app.view_version());
        }
        if std::mem::take(&mut first_frame) {
            // After the first frame, which waits for nothing that isn't on it.
            editor::remove_leftovers();
        }
        if let Some((db, key)) = journal.take_if(|_| app.me().is_some()) {
            syncing = sync::start(db.to_path_buf(), key, true);
        }
        // Test builds only: a way for the pty test to prove the panic hook restores the terminal.
        #[cfg(debug_assertions)]
        if std::env::var_os("DUET_TEST_PANIC").is_some() {
            panic!("DUET_TEST_PANIC was set");
        }
        if app.quit() {
            if let Some(w) = &syncing {
                w.stop();
            }
            return match app.take_fatal() {
                Some(why) => Err(CliError::Stopped(why)),
                None => Ok(()),
            };
        }
        if let Some(text) = app.take_editor_request() {
            let result = editor::edit(term, &text);
            app.editor_done(result);
            // The editor had the terminal: everything is drawn again.
            drawn = None;
            continue;
        }
        // A SIGTSTP from outside (`kill -TSTP`, a job-control shell) suspends the same way.
        if STOP_ASKED.swap(false, Ordering::SeqCst) {
            suspend(term).map_err(fail)?;
            drawn = None;
            continue;
        }
        let ready = !pending.is_empty() || event::poll(Duration::from_millis(500)).map_err(fail)?;
        #[allow(clippy::disallowed_methods)]
        app.set_now(Utc::now());
        if !ready {
            app.update(Action::Refresh);
            continue;
        }
        let event = match pending.pop_front() {
            Some(e) => e,
            None => event::read().map_err(fail)?,
        };
        // Many keys at once that no one could type: a paste the terminal didn't mark. It goes
        // in as text, so its line breaks never save a form or run a command.
        let event = match event {
            Event::Key(k) if typed(&k) => match burst(k, &mut pending).map_err(fail)? {
                Some(text) => Event::Paste(text),
                None => Event::Key(k),
            },
            other => other,
        };
        match event {
            Event::Key(k) => match keymap::resolve(k, app.context()) {
                Some(Action::Suspend) => {
                    suspend(term).map_err(fail)?;
                    drawn = None;
                }
                Some(Action::Repaint) => {
                    repaint(term).map_err(fail)?;
                    drawn = None;
                }
                Some(action) => {
                    app.update(action);
                    // Anything saved goes out now, not at the next look.
                    if let Some(w) = &syncing {
                        w.poke();
                    }
                }
                None => {}
            },
            Event::Paste(text) => app.update(Action::Paste(text)),
            // A new size: everything is drawn again.
            Event::Resize(..) => drawn = None,
            _ => {}
        }
    }
}
