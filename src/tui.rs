//! The only place that touches the terminal and reads the clock: setup, restore, the loop.

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

/// The private file handed to $EDITOR while it is open, so an exit on SIGHUP can remove it
/// rather than leave someone's words in the temporary folder.
static EDITOR_FILE: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

fn remove_editor_file() {
    if let Ok(mut f) = EDITOR_FILE.lock() {
        if let Some(path) = f.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn enter() -> std::io::Result<Terminal<CrosstermBackend<std::io::Stdout>>> {
    terminal::enable_raw_mode()?;
    TERMINAL_ACTIVE.store(true, Ordering::SeqCst);
    execute!(
        stdout(),
        EnterAlternateScreen,
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
        let written = path
            .parent()
            .map(|d| std::fs::create_dir_all(d).is_ok())
            .unwrap_or(false)
            && std::fs::write(&path, details).is_ok();
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

pub fn run(db: &Path, key: Option<Passphrase>) -> Result<(), CliError> {
    // Open before touching the terminal, so a bad journal is one plain line on a normal screen.
    // A locked journal opens with the passphrase file, or is asked for on the unlock screen; a
    // new journal's passphrase is chosen on the setup screen, after its warning.
    let key = key.filter(|_| crate::store::file_kind(db) == crate::store::FileKind::Locked);
    let store = match Store::open_with(db, key.as_ref()) {
        Err(StoreError::Locked { .. }) => None,
        other => Some(other?),
    };
    // A closed terminal (SIGHUP) or SIGTERM ends duet from a thread of its own: the event loop
    // may never get control back, because reading a hung-up terminal can spin inside crossterm.
    // Every confirmed entry is already committed, so only an unconfirmed draft is lost.
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ])
    .map_err(|e| CliError::Terminal(e.to_string()))?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            remove_editor_file();
            restore();
            std::process::exit(0);
        }
    });
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    // The first screen's rows are read before the terminal is taken, too: a journal that
    // can't be read is then one plain line on a normal screen.
    let app = store.map(|store| new_app(store, no_color)).transpose()?;
    let mut term = enter().map_err(|e| CliError::Terminal(e.to_string()))?;
    let result = match app {
        Some(app) => Ok(Some(app)),
        None => unlock_loop(&mut term, db, no_color)
            .and_then(|store| store.map(|s| new_app(s, no_color)).transpose()),
    }
    .and_then(|app| match app {
        Some(mut app) => event_loop(&mut term, &mut app),
        None => Ok(()),
    });
    restore();
    result
}

fn new_app(store: Store, no_color: bool) -> Result<App<Local>, CliError> {
    #[allow(clippy::disallowed_methods)] // the loop is the one place that reads the clock
    let mut app = App::new(store, Local, Utc::now())?;
    app.set_no_color(no_color);
    Ok(app)
}

/// Asks for the passphrase until it opens the journal (the store), three wrong tries, or a quit.
fn unlock_loop(term: &mut Term, db: &Path, no_color: bool) -> Result<Option<Store>, CliError> {
    let fail = |e: std::io::Error| CliError::Terminal(e.to_string());
    let mut unlock = Unlock::new();
    // Which file this screen is asking about: `duet passphrase` elsewhere replaces it.
    let identity = |db: &Path| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(db).ok().map(|m| (m.dev(), m.ino()))
    };
    let mut asking_about = identity(db);
    loop {
        term.draw(|f| ui::render_unlock(f, &unlock, no_color))
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
                term.draw(|f| ui::render_unlock(f, &unlock, no_color))
                    .map_err(fail)?;
                match Store::open_with(db, Some(&key)) {
                    Ok(store) => return Ok(Some(store)),
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

type Term = Terminal<CrosstermBackend<std::io::Stdout>>;

fn event_loop(term: &mut Term, app: &mut App<Local>) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::Terminal(e.to_string());
    loop {
        term.draw(|f| ui::render(f, app)).map_err(fail)?;
        // Test builds only: a way for the pty test to prove the panic hook restores the terminal.
        #[cfg(debug_assertions)]
        if std::env::var_os("DUET_TEST_PANIC").is_some() {
            panic!("DUET_TEST_PANIC was set");
        }
        if app.quit() {
            return match app.take_fatal() {
                Some(why) => Err(CliError::Stopped(why)),
                None => Ok(()),
            };
        }
        if let Some(text) = app.take_editor_request() {
            let result = edit_externally(term, &text);
            app.editor_done(result);
            continue;
        }
        let ready = event::poll(Duration::from_millis(500)).map_err(fail)?;
        #[allow(clippy::disallowed_methods)]
        app.set_now(Utc::now());
        if !ready {
            app.update(Action::Refresh);
            continue;
        }
        match event::read().map_err(fail)? {
            Event::Key(k) => {
                if let Some(action) = keymap::resolve(k, app.context()) {
                    app.update(action);
                }
            }
            Event::Paste(text) => app.update(Action::Paste(text)),
            _ => {}
        }
    }
}

/// Ctrl-E: the focused text goes to $VISUAL or $EDITOR in a private temporary file, and back.
fn edit_externally(term: &mut Term, text: &str) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|e| !e.trim().is_empty())
        })
        .ok_or("Set $EDITOR (for example EDITOR=nano) to write long texts in your editor.")?;
    // A private file (mode 0600) of its own in the temporary folder; it is removed as soon as
    // the text is back, and by the hang-up handler if duet is closed meanwhile.
    let mut file = tempfile::Builder::new()
        .prefix("duet-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("Couldn't make a private file for the editor: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("Couldn't write for the editor: {e}"))?;
    let path = file.into_temp_path();
    if let Ok(mut f) = EDITOR_FILE.lock() {
        *f = Some(path.to_path_buf());
    }
    restore();
    // Through the shell, so an $EDITOR with arguments ("code -w") works too.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("duet")
        .arg(&*path)
        .status();
    let back = std::fs::read_to_string(&path);
    remove_editor_file();
    *term = enter().map_err(|e| e.to_string())?;
    term.clear().map_err(|e| e.to_string())?;
    match status {
        Ok(s) if s.success() => {
            back.map_err(|e| format!("Couldn't read what the editor wrote: {e}"))
        }
        Ok(_) => Err("The editor exited with an error; the text was left as it was.".into()),
        Err(e) => Err(format!("Couldn't start the editor \"{editor}\": {e}")),
    }
}
