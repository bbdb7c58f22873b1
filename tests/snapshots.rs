//! Every screen at 80×24 (and one at 120×40), drawn into a TestBackend and kept with insta.

mod common;

use common::*;
use duet::app::{Message, Tone};
use ratatui::crossterm::event::KeyCode;

fn snap(name: &str, app: &TestApp) {
    insta::assert_snapshot!(name, screen(app));
}

/// A couple with a little history: both checked in, an agreed and a proposed agreement, wins.
fn lived_in() -> TestApp {
    let mut app = app();
    check_in(&mut app, '1', '4', '4', "You made tea without asking ☕");
    check_in(&mut app, '2', '4', '4', "You noticed I was tired");
    keys(&mut app, "2a1");
    type_text(&mut app, "Phones away at dinner");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Both of us, every evening.");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "attention");
    save(&mut app);
    keys(&mut app, "yy");
    keys(&mut app, "a2");
    type_text(&mut app, "Say when we'll be late");
    save(&mut app);
    keys(&mut app, "3");
    for (text, about) in [
        ("Sam remembered my mum's appointment", 1),
        ("A calm talk about money 与你", 0),
    ] {
        keys(&mut app, "a");
        type_text(&mut app, text);
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Tab);
        for _ in 0..about {
            press(&mut app, KeyCode::Left);
        }
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "home");
        save(&mut app);
    }
    keys(&mut app, "1");
    app.set_message(None);
    app
}

#[test]
fn setup_screen() {
    snap("setup", &blank_app());
}

#[test]
fn setup_with_an_error() {
    let mut app = blank_app();
    save(&mut app);
    snap("setup_error", &app);
}

#[test]
fn setup_with_passphrases_that_differ() {
    let mut app = blank_app();
    type_names(&mut app);
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "tea by the window");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "tea by the door");
    save(&mut app);
    snap("setup_passphrases_differ", &app);
}

#[test]
fn the_unlock_screen_first_after_a_wrong_try_and_while_opening() {
    use duet::action::Action;
    use duet::app::unlock::Unlock;
    let unlock_screen = |u: &Unlock| draw(80, 24, |f| duet::ui::render_unlock(f, u, true));
    let mut u = Unlock::new();
    insta::assert_snapshot!("unlock", unlock_screen(&u));
    u.failed();
    insta::assert_snapshot!("unlock_wrong", unlock_screen(&u));
    for c in "tea by the window".chars() {
        u.update(key(c));
    }
    u.update(Action::Submit);
    insta::assert_snapshot!("unlock_opening", unlock_screen(&u));
    insta::assert_snapshot!(
        "unlock_tiny",
        draw(50, 12, |f| duet::ui::render_unlock(f, &u, true))
    );
}

#[test]
fn tonight_empty() {
    snap("tonight_empty", &app());
}

#[test]
fn tonight_one_checked_in_stays_hidden() {
    let mut app = app();
    check_in(&mut app, '1', '2', '3', "Secret words");
    snap("tonight_one_in", &app);
}

#[test]
fn tonight_both_in_before_and_after_reveal() {
    let mut app = lived_in();
    snap("tonight_both_in", &app);
    keys(&mut app, "r");
    snap("tonight_revealed", &app);
    insta::assert_snapshot!("tonight_revealed_120x40", render(&app, 120, 40));
}

#[test]
fn who_popup() {
    let mut app = app();
    keys(&mut app, "c");
    snap("who", &app);
}

#[test]
fn check_in_form() {
    let mut app = app();
    keys(&mut app, "c2");
    keys(&mut app, "3");
    type_text(&mut app, "Der Kaffee, café ☕, 一杯");
    snap("checkin_form", &app);
}

#[test]
fn agreements_empty_and_filtered_empty() {
    let mut app = app();
    keys(&mut app, "2");
    snap("agreements_empty", &app);
    keys(&mut app, "f");
    snap("agreements_filtered_empty", &app);
}

#[test]
fn agreements_list_form_history_confirm() {
    let mut app = lived_in();
    keys(&mut app, "2");
    snap("agreements", &app);
    keys(&mut app, "e1");
    snap("agreement_form", &app);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "G");
    press(&mut app, KeyCode::Enter);
    snap("agreement_history", &app);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "x");
    snap("retire_confirm", &app);
}

#[test]
fn review_together() {
    let mut app = lived_in();
    keys(&mut app, "2R1");
    keys(&mut app, "2n");
    type_text(&mut app, "Fridays are hard");
    press(&mut app, KeyCode::Enter);
    snap("review", &app);
}

#[test]
fn wins_empty_list_filtered_and_form() {
    let mut app = app();
    keys(&mut app, "3");
    snap("wins_empty", &app);
    let mut app = lived_in();
    keys(&mut app, "3");
    snap("wins", &app);
    keys(&mut app, "t");
    snap("wins_filtered", &app);
    keys(&mut app, "0a");
    type_text(&mut app, "We laughed at dinner");
    snap("win_form", &app);
}

#[test]
fn help_overlay() {
    let mut app = app();
    keys(&mut app, "?");
    snap("help_tonight", &app);
    keys(&mut app, "?2?");
    snap("help_agreements", &app);
}

#[test]
fn error_line_in_the_footer() {
    let mut app = app();
    app.set_message(Some(Message {
        text: "The journal is read-only here, so nothing was saved".into(),
        tone: Tone::Error,
    }));
    snap("error_line", &app);
}

#[test]
fn quit_with_a_draft_asks() {
    let mut app = app();
    keys(&mut app, "3a");
    type_text(&mut app, "half a thought");
    press(&mut app, KeyCode::Esc);
    snap("discard_confirm", &app);
}

#[test]
fn a_tiny_terminal_asks_for_more_room() {
    insta::assert_snapshot!("too_small", render(&app(), 50, 15));
}
