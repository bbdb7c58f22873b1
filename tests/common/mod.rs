//! Helpers shared by the app's flow and snapshot tests: a fixed clock, a couple, typing, and
//! the steps the README describes (`propose`, `consent`, `log_win`, …). Every step presses the
//! real keys through `duet::keymap::resolve`, because these tests are there to show the keys
//! work; a step moves between form fields by the field's label, never by counting Tabs.
#![allow(dead_code)]
pub mod binary;
pub mod journal;
pub mod pty;

use chrono::{DateTime, FixedOffset, Utc};
use duet::action::{Action, Pane};
use duet::app::form::{Form, Input};
use duet::app::{App, Overlay, Review};
use duet::domain::{ReviewMark, Seat};
use duet::keymap::Context;
use duet::store::Store;
use duet::trends::{Metric, Span};
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

/// Presses a letter or digit that means something where the keyboard is.
fn tap(app: &mut TestApp, c: char) {
    press(app, KeyCode::Char(c));
}

pub fn save(app: &mut TestApp) {
    press_mod(app, KeyCode::Char('s'), KeyModifiers::CONTROL);
}

// Forms: fields are found by their label, as a person finds them on screen.

/// The form taking the keyboard: the first-run screen, or the form open over a pane.
pub fn form(app: &TestApp) -> &Form {
    if let Some(f) = app.setup() {
        return f;
    }
    match app.overlay() {
        Some(Overlay::Form { form, .. }) => form,
        _ => panic!("no form is open; the keyboard is at {:?}", app.context()),
    }
}

fn focused_label(app: &TestApp) -> String {
    let f = form(app);
    f.fields
        .get(f.focus)
        .map(|field| field.label.clone())
        .unwrap_or_default()
}

/// Presses `key` until the focused field's label starts with `label`, going at most once
/// round the form.
fn move_focus_with(app: &mut TestApp, key: KeyCode, label: &str) {
    for _ in 0..form(app).fields.len() {
        if focused_label(app).starts_with(label) {
            return;
        }
        press(app, key);
    }
    if !focused_label(app).starts_with(label) {
        let f = form(app);
        let labels: Vec<&str> = f.fields.iter().map(|x| x.label.as_str()).collect();
        panic!(
            "{key:?} never reached a field labelled {label:?} in {:?}: the focus is on {:?}, \
             the fields are {labels:?}",
            f.title,
            focused_label(app)
        );
    }
}

/// Tab to the field whose label starts with `label`.
pub fn focus(app: &mut TestApp, label: &str) {
    move_focus_with(app, KeyCode::Tab, label);
}

/// Enter to the field whose label starts with `label`, the way Enter walks a form.
pub fn enter_to(app: &mut TestApp, label: &str) {
    move_focus_with(app, KeyCode::Enter, label);
}

/// Types after whatever the field already holds.
pub fn type_into(app: &mut TestApp, label: &str, text: &str) {
    focus(app, label);
    type_text(app, text);
}

/// Empties the field with Backspace, then types `text`.
pub fn retype(app: &mut TestApp, label: &str, text: &str) {
    focus(app, label);
    let focused_text = |app: &TestApp| {
        let f = form(app);
        f.text(&f.fields[f.focus].key)
    };
    for _ in 0..focused_text(app).chars().count() {
        press(app, KeyCode::Backspace);
    }
    assert_eq!(focused_text(app), "", "Backspace didn't empty {label:?}");
    type_text(app, text);
}

/// The options of the choice labelled `label`, and which one is chosen.
fn choice(app: &TestApp, label: &str) -> (Vec<String>, usize) {
    let f = form(app);
    match f.fields.iter().find(|x| x.label.starts_with(label)) {
        Some(field) => match &field.input {
            Input::Choice { options, selected } => (options.clone(), *selected),
            other => panic!("{label:?} isn't a choice: {other:?}"),
        },
        None => panic!("{:?} has no field labelled {label:?}", f.title),
    }
}

/// → on the choice labelled `label` until it reads `option`; nothing when it already does.
pub fn choose(app: &mut TestApp, label: &str, option: &str) {
    let (options, _) = choice(app, label);
    let chosen = |app: &TestApp| {
        let (options, selected) = choice(app, label);
        options[selected] == option
    };
    if chosen(app) {
        return;
    }
    focus(app, label);
    for _ in 0..options.len() {
        if chosen(app) {
            return;
        }
        press(app, KeyCode::Right);
    }
    assert!(chosen(app), "{label:?} offers {options:?}, not {option:?}");
}

/// Chooses 1 to 5 on the rating labelled `label` (the form then moves on by itself).
pub fn rate(app: &mut TestApp, label: &str, n: u8) {
    assert!((1..=5).contains(&n), "a rating is 1 to 5, not {n}");
    focus(app, label);
    tap(app, char::from(b'0' + n));
}

// Questions: yes or no, and who.

pub fn yes(app: &mut TestApp) {
    assert!(app.confirm().is_some(), "nothing was asked");
    tap(app, 'y');
}

pub fn no(app: &mut TestApp) {
    assert!(app.confirm().is_some(), "nothing was asked");
    tap(app, 'n');
}

fn seat_of(app: &TestApp, name: &str) -> Seat {
    app.couple()
        .into_iter()
        .flatten()
        .find(|p| p.name == name)
        .map(|p| p.seat)
        .unwrap_or_else(|| panic!("{name} isn't one of the couple"))
}

/// Answers "who's …?" with a name: the number of their seat.
pub fn choose_who(app: &mut TestApp, name: &str) {
    assert!(
        matches!(app.overlay(), Some(Overlay::Who { .. })),
        "no one asked who; the keyboard is at {:?}",
        app.context()
    );
    let seat = seat_of(app, name);
    tap(app, char::from(b'0' + seat.number()));
}

// Moving around.

/// Switches to a pane with its number key, unless it is on screen already.
pub fn go(app: &mut TestApp, pane: Pane) {
    assert!(
        matches!(app.context(), Context::Pane(_)),
        "going to {pane:?} with {:?} open",
        app.context()
    );
    if app.pane() != pane {
        tap(app, char::from(b'1' + pane.index() as u8));
    }
    assert_eq!(app.pane(), pane);
}

pub fn toggle_help(app: &mut TestApp) {
    tap(app, '?');
}

pub fn select_next(app: &mut TestApp) {
    tap(app, 'j');
}

pub fn move_down(app: &mut TestApp, rows: usize) {
    for _ in 0..rows {
        select_next(app);
    }
}

pub fn select_first(app: &mut TestApp) {
    tap(app, 'g');
}

pub fn select_last(app: &mut TestApp) {
    tap(app, 'G');
}

// The first-run screen and settings.

/// On the setup screen: both names typed, the focus left on the partner's name.
pub fn type_names(app: &mut TestApp) {
    type_into(app, "Your name", "Alex");
    type_into(app, "Your partner's name", "Sam");
}

/// The weekly check-in's day and time, on the setup screen or in settings.
pub fn set_weekly(app: &mut TestApp, day: &str, time: &str) {
    choose(app, "Weekly check-in day", day);
    retype(app, "Weekly check-in time", time);
}

pub fn open_settings(app: &mut TestApp) {
    tap(app, 's');
}

// Tonight.

/// `c`: "who's checking in?"
pub fn start_check_in(app: &mut TestApp) {
    go(app, Pane::Tonight);
    tap(app, 'c');
}

/// `c`, then who: their form opens, or first a question when it would show the other's answers.
pub fn open_check_in(app: &mut TestApp, who: &str) {
    start_check_in(app);
    choose_who(app, who);
}

pub fn check_in(app: &mut TestApp, who: &str, mood: u8, closeness: u8, appreciation: &str) {
    open_check_in(app, who);
    rate(app, "How did today feel?", mood);
    rate(app, "How close do you feel", closeness);
    type_into(app, "One thing you appreciated", appreciation);
    save(app);
}

pub fn reveal(app: &mut TestApp) {
    go(app, Pane::Tonight);
    tap(app, 'r');
}

// Agreements.

pub fn open_proposal(app: &mut TestApp, who: &str) {
    go(app, Pane::Agreements);
    tap(app, 'a');
    choose_who(app, who);
}

pub fn propose(app: &mut TestApp, who: &str, title: &str) {
    open_proposal(app, who);
    type_into(app, "Agreement", title);
    save(app);
}

/// `y` on the selected agreement: the other partner is asked by name.
pub fn ask_consent(app: &mut TestApp) {
    go(app, Pane::Agreements);
    tap(app, 'y');
}

/// `y`, and yes to the question when there is one (there is none once both agreed).
pub fn consent(app: &mut TestApp) {
    ask_consent(app);
    if app.confirm().is_some() {
        yes(app);
    }
}

pub fn edit_agreement(app: &mut TestApp, who: &str) {
    go(app, Pane::Agreements);
    tap(app, 'e');
    choose_who(app, who);
}

/// `e` on the selected evening in the Journal, then who.
pub fn edit_evening(app: &mut TestApp, who: &str) {
    go(app, Pane::Journal);
    tap(app, 'e');
    if app.overlay().is_some() {
        choose_who(app, who);
    }
}

/// `v`: asks before marking the selected agreement to revisit.
pub fn mark_to_revisit(app: &mut TestApp) {
    go(app, Pane::Agreements);
    tap(app, 'v');
}

/// `u` on Agreements: sets the agreement last marked to revisit back to agreed.
pub fn undo_revisit(app: &mut TestApp) {
    go(app, Pane::Agreements);
    tap(app, 'u');
}

/// `x`: asks before retiring the selected agreement.
pub fn retire(app: &mut TestApp) {
    go(app, Pane::Agreements);
    tap(app, 'x');
}

pub fn show_history(app: &mut TestApp) {
    go(app, Pane::Agreements);
    press(app, KeyCode::Enter);
}

pub fn filter_by_status(app: &mut TestApp) {
    go(app, Pane::Agreements);
    tap(app, 'f');
}

/// `R`: the agreements to review, one at a time.
pub fn start_review(app: &mut TestApp) {
    go(app, Pane::Agreements);
    tap(app, 'R');
}

fn review(app: &TestApp) -> &Review {
    match app.overlay() {
        Some(Overlay::Review(r)) => r,
        _ => panic!("no review is open; the keyboard is at {:?}", app.context()),
    }
}

/// Tab to `who`'s side of the review.
fn review_as(app: &mut TestApp, who: &str) {
    let seat = seat_of(app, who);
    for _ in 0..2 {
        if review(app).active == seat {
            return;
        }
        press(app, KeyCode::Tab);
    }
    assert_eq!(review(app).active, seat, "Tab never reached {who}");
}

/// `who` marks the agreement under review: 1 honored, 2 struggled, 3 revisit.
pub fn mark(app: &mut TestApp, who: &str, m: ReviewMark) {
    review_as(app, who);
    let key = match m {
        ReviewMark::Honored => '1',
        ReviewMark::Struggled => '2',
        ReviewMark::Revisit => '3',
    };
    tap(app, key);
}

/// `n`, a few words, Enter.
pub fn note(app: &mut TestApp, who: &str, text: &str) {
    review_as(app, who);
    tap(app, 'n');
    type_text(app, text);
    press(app, KeyCode::Enter);
}

/// Enter: both marks saved, on to the next agreement (or done).
pub fn save_marks(app: &mut TestApp) {
    review(app);
    press(app, KeyCode::Enter);
}

// Wins.

pub fn open_win_form(app: &mut TestApp) {
    go(app, Pane::Wins);
    tap(app, 'a');
}

/// `a`, the words, whom it is about ("us" unless changed) and its tags; Enter saves.
pub fn log_win(app: &mut TestApp, text: &str, about: &str, tags: &str) {
    open_win_form(app);
    type_into(app, "What went well?", text);
    choose(app, "About", about);
    if !tags.is_empty() {
        type_into(app, "Tags", tags);
    }
    press(app, KeyCode::Enter);
}

/// The other partner celebrates the selected win.
pub fn celebrate(app: &mut TestApp) {
    go(app, Pane::Wins);
    tap(app, 'c');
}

/// `e` on the selected win: its form, filled in.
pub fn edit_win(app: &mut TestApp) {
    go(app, Pane::Wins);
    tap(app, 'e');
}

pub fn delete_win(app: &mut TestApp) {
    go(app, Pane::Wins);
    tap(app, 'd');
}

pub fn undo_delete(app: &mut TestApp) {
    go(app, Pane::Wins);
    tap(app, 'u');
}

pub fn search_wins(app: &mut TestApp, words: &str) {
    go(app, Pane::Wins);
    tap(app, '/');
    type_into(app, "Words", words);
    press(app, KeyCode::Enter);
}

pub fn filter_by_tag(app: &mut TestApp) {
    go(app, Pane::Wins);
    tap(app, 't');
}

pub fn clear_filters(app: &mut TestApp) {
    go(app, Pane::Wins);
    tap(app, '0');
}

// The weekly check-in.

/// `W`: start or skip, or a word that this week's is settled.
pub fn weekly_menu(app: &mut TestApp) {
    tap(app, 'W');
}

/// `W`, then 1: step one, or the step it was paused at.
pub fn start_weekly(app: &mut TestApp) {
    weekly_menu(app);
    tap(app, '1');
}

/// `W` on a week already done or skipped, then 1: reopen it (or hold it after all).
pub fn reopen_weekly(app: &mut TestApp) {
    weekly_menu(app);
    tap(app, '1');
}

/// `W` on a week already done or skipped, then 2: leave it as it is.
pub fn leave_weekly(app: &mut TestApp) {
    weekly_menu(app);
    tap(app, '2');
}

/// `W`, then 2, the reason, Enter.
pub fn skip_weekly(app: &mut TestApp, reason: &str) {
    weekly_menu(app);
    tap(app, '2');
    type_into(app, "Why skip", reason);
    press(app, KeyCode::Enter);
}

// Trends.

/// ← → until the charts cover `span`.
pub fn show_span(app: &mut TestApp, span: Span) {
    go(app, Pane::Trends);
    for _ in 0..Span::ALL.len() {
        if app.trends().span == span {
            return;
        }
        press(app, KeyCode::Right);
    }
    assert_eq!(app.trends().span, span);
}

/// `m` switches between mood and closeness.
pub fn show_metric(app: &mut TestApp, metric: Metric) {
    go(app, Pane::Trends);
    if app.trends().metric != metric {
        tap(app, 'm');
    }
    assert_eq!(app.trends().metric, metric);
}

/// Enter: why the note suggests a counsellor.
pub fn why_counsellor(app: &mut TestApp) {
    go(app, Pane::Trends);
    press(app, KeyCode::Enter);
}

pub fn set_note_aside(app: &mut TestApp) {
    go(app, Pane::Trends);
    tap(app, 'd');
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
