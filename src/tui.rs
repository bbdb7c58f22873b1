//! The only place that touches the terminal and reads the clock: setup, restore, the loop.

use std::io::{stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode, KeyEventKind, KeyModifiers,
};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::error::CliError;
use crate::store::Store;

use ratatui::crossterm;

static TERMINAL_ACTIVE: AtomicBool = AtomicBool::new(false);

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

pub fn run(db: &Path) -> Result<(), CliError> {
    // Open before touching the terminal, so a bad journal is one plain line on a normal screen.
    let store = Store::open(db)?;
    let mut term = enter().map_err(|e| CliError::Terminal(e.to_string()))?;
    let result = event_loop(&mut term, &store);
    restore();
    result
}

fn event_loop(
    term: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
    store: &Store,
) -> Result<(), CliError> {
    let names = store
        .partners()?
        .into_iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(" & ");
    loop {
        term.draw(|f| {
            let text = format!("duet — {names}\n\nThe evening app is on its way. Press q to quit.");
            f.render_widget(ratatui::widgets::Paragraph::new(text), f.area());
        })
        .map_err(|e| CliError::Terminal(e.to_string()))?;
        if let Event::Key(k) = event::read().map_err(|e| CliError::Terminal(e.to_string()))? {
            let ctrl_c =
                k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
            if k.kind == KeyEventKind::Press && (k.code == KeyCode::Char('q') || ctrl_c) {
                return Ok(());
            }
        }
    }
}
