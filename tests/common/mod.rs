//! Helpers shared by the app's flow and snapshot tests: a fixed clock, a couple, typing.
#![allow(dead_code)]
pub mod binary;
pub mod journal;

use chrono::{DateTime, FixedOffset, Utc};
use duet::action::Action;
use duet::app::App;
use duet::store::Store;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

pub type TestApp = App<FixedOffset>;

/// Monday 23 November 2026, 21:30 local (UTC+1).
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T20:30:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn zone() -> FixedOffset {
    FixedOffset::east_opt(3600).unwrap()
}

pub fn blank_app() -> TestApp {
    let mut app = App::new(Store::open_in_memory().unwrap(), zone(), now()).unwrap();
    app.set_no_color(true);
    app
}

/// A couple set up and on the Tonight pane, as after the first run.
pub fn app() -> TestApp {
    let mut store = Store::open_in_memory().unwrap();
    store.set_partners(["Alex", "Sam"], now()).unwrap();
    let mut app = App::new(store, zone(), now()).unwrap();
    app.set_no_color(true);
    app
}

pub fn key(c: char) -> Action {
    Action::Type(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// Presses keys through the real keymap, as the event loop would.
pub fn press(app: &mut TestApp, code: KeyCode) {
    press_mod(app, code, KeyModifiers::NONE);
}

pub fn press_mod(app: &mut TestApp, code: KeyCode, mods: KeyModifiers) {
    let k = KeyEvent::new(code, mods);
    if let Some(a) = duet::keymap::resolve(k, app.context()) {
        app.update(a);
    }
}

pub fn keys(app: &mut TestApp, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Types text into the focused field one key at a time, as a person would.
pub fn type_text(app: &mut TestApp, s: &str) {
    keys(app, s);
}

/// On the setup screen: both names typed, the focus left on the partner's name.
pub fn type_names(app: &mut TestApp) {
    type_text(app, "Alex");
    press(app, KeyCode::Tab);
    type_text(app, "Sam");
}

pub fn save(app: &mut TestApp) {
    press_mod(app, KeyCode::Char('s'), KeyModifiers::CONTROL);
}

pub fn check_in(app: &mut TestApp, seat: char, mood: char, closeness: char, appreciation: &str) {
    keys(app, "1");
    keys(app, "c");
    keys(app, &seat.to_string());
    keys(app, &format!("{mood}{closeness}"));
    type_text(app, appreciation);
    save(app);
}

pub fn render(app: &TestApp, w: u16, h: u16) -> String {
    draw(w, h, |f| duet::ui::render(f, app))
}

/// Whatever `paint` draws, as text: one line per row, trailing spaces trimmed.
pub fn draw(w: u16, h: u16, paint: impl FnOnce(&mut ratatui::Frame)) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(paint).unwrap();
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn screen(app: &TestApp) -> String {
    render(app, 80, 24)
}
