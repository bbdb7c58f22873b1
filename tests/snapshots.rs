//! Every screen at 80×24 (and one at 120×40), drawn into a TestBackend and kept with insta.

mod common;

use common::*;
use duet::action::Pane;
use duet::app::{Message, Tone};
use duet::domain::ReviewMark;
use ratatui::crossterm::event::KeyCode;

const NO_COLOR: duet::ui::theme::Theme = duet::ui::theme::Theme {
    color: false,
    background: duet::domain::Background::Dark,
};

fn snap(name: &str, app: &TestApp) {
    insta::assert_snapshot!(name, screen(app));
}

/// A couple with a little history: both checked in, an agreed and a proposed agreement, wins.
fn lived_in() -> TestApp {
    let mut app = app();
    check_in(&mut app, "Alex", 4, 4, "You made tea without asking ☕");
    check_in(&mut app, "Sam", 4, 4, "You noticed I was tired");
    open_proposal(&mut app, "Alex");
    type_into(&mut app, "Agreement", "Phones away at dinner");
    type_into(&mut app, "Details", "Both of us, every evening.");
    type_into(&mut app, "Category", "attention");
    save(&mut app);
    consent(&mut app);
    propose(&mut app, "Sam", "Say when we'll be late");
    log_win(
        &mut app,
        "Sam remembered my mum's appointment",
        "Sam",
        "home",
    );
    log_win(&mut app, "A calm talk about money 与你", "us", "home");
    go(&mut app, Pane::Tonight);
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
    type_into(&mut app, "Passphrase", "tea by the window");
    type_into(&mut app, "The same passphrase again", "tea by the door");
    save(&mut app);
    snap("setup_passphrases_differ", &app);
}

#[test]
fn the_unlock_screen_first_after_a_wrong_try_and_while_opening() {
    use duet::action::Action;
    use duet::app::unlock::Unlock;
    let unlock_screen = |u: &Unlock| draw(80, 24, |f| duet::ui::render_unlock(f, u, NO_COLOR));
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
        draw(50, 12, |f| duet::ui::render_unlock(f, &u, NO_COLOR))
    );
}

#[test]
fn tonight_empty() {
    snap("tonight_empty", &app());
}

/// On a paired device the header says how syncing stands; a problem stands out in a word.
#[test]
fn tonight_on_a_paired_device() {
    let mut app = app();
    app.set_sync_word(Some("synced"));
    let s = screen(&app);
    assert!(s.lines().next().unwrap().contains("synced · Weekly"), "{s}");
    app.set_sync_word(Some("folder missing"));
    snap("tonight_sync_folder_missing", &app);
}

#[test]
fn tonight_one_checked_in_stays_hidden() {
    let mut app = app();
    check_in(&mut app, "Alex", 2, 3, "Secret words");
    snap("tonight_one_in", &app);
}

#[test]
fn tonight_both_in_before_and_after_reveal() {
    let mut app = lived_in();
    snap("tonight_both_in", &app);
    reveal(&mut app);
    snap("tonight_revealed", &app);
    insta::assert_snapshot!("tonight_revealed_120x40", render(&app, 120, 40));
}

#[test]
fn who_popup() {
    let mut app = app();
    start_check_in(&mut app);
    snap("who", &app);
}

#[test]
fn check_in_form() {
    let mut app = app();
    open_check_in(&mut app, "Sam");
    rate(&mut app, "How did today feel?", 3);
    type_into(
        &mut app,
        "One thing you appreciated",
        "Der Kaffee, café ☕, 一杯",
    );
    snap("checkin_form", &app);
}

#[test]
fn agreements_empty_and_filtered_empty() {
    let mut app = app();
    go(&mut app, Pane::Agreements);
    snap("agreements_empty", &app);
    filter_by_status(&mut app);
    snap("agreements_filtered_empty", &app);
}

#[test]
fn agreements_list_form_history_confirm() {
    let mut app = lived_in();
    go(&mut app, Pane::Agreements);
    snap("agreements", &app);
    edit_agreement(&mut app, "Alex");
    snap("agreement_form", &app);
    press(&mut app, KeyCode::Esc);
    select_last(&mut app);
    show_history(&mut app);
    snap("agreement_history", &app);
    press(&mut app, KeyCode::Esc);
    retire(&mut app);
    snap("retire_confirm", &app);
}

#[test]
fn review_together() {
    let mut app = lived_in();
    start_review(&mut app);
    mark(&mut app, "Alex", ReviewMark::Struggled);
    note(&mut app, "Alex", "Fridays are hard");
    snap("review", &app);
}

#[test]
fn wins_empty_list_filtered_and_form() {
    let mut app = app();
    go(&mut app, Pane::Wins);
    snap("wins_empty", &app);
    let mut app = lived_in();
    go(&mut app, Pane::Wins);
    snap("wins", &app);
    filter_by_tag(&mut app);
    snap("wins_filtered", &app);
    clear_filters(&mut app);
    open_win_form(&mut app);
    type_text(&mut app, "We laughed at dinner");
    snap("win_form", &app);
}

#[test]
fn help_overlay() {
    let mut app = app();
    toggle_help(&mut app);
    snap("help_tonight", &app);
    toggle_help(&mut app);
    go(&mut app, Pane::Agreements);
    toggle_help(&mut app);
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
    open_win_form(&mut app);
    type_text(&mut app, "half a thought");
    press(&mut app, KeyCode::Esc);
    snap("discard_confirm", &app);
}

#[test]
fn a_tiny_terminal_asks_for_more_room() {
    insta::assert_snapshot!("too_small", render(&app(), 50, 15));
}

#[test]
fn repairs_empty_form_answer_and_list() {
    let mut app = lived_in();
    go(&mut app, Pane::Repairs);
    snap("repairs_empty", &app);
    keys(&mut app, "t");
    choose_who(&mut app, "Alex");
    type_into(
        &mut app,
        "What happened",
        "I checked my phone while you told me about your day",
    );
    type_into(
        &mut app,
        "How it may have affected Sam",
        "You may have felt it didn't matter to me",
    );
    type_into(
        &mut app,
        "What I'll do differently",
        "Phone face down when we talk",
    );
    snap("repair_form", &app);
    save(&mut app);
    app.set_message(None);
    snap("repairs_waiting", &app);
    keys(&mut app, "a");
    choose(&mut app, "Your answer", "Not yet");
    type_into(&mut app, "A few words with it", "I need a day or two");
    snap("repair_answer_form", &app);
    save(&mut app);
    keys(&mut app, "a");
    choose(&mut app, "Your answer", "I forgive you");
    save(&mut app);
    app.set_message(None);
    snap("repairs_answered", &app);
}

/// Every pane's help at 80×24 shows each key's whole description (none cut at the border).
#[test]
fn help_shows_every_description_whole_at_80_columns() {
    let mut app = lived_in();
    for pane in Pane::ALL {
        go(&mut app, pane);
        toggle_help(&mut app);
        let s = screen(&app);
        for b in duet::keymap::bindings(duet::keymap::Context::Pane(pane)) {
            assert!(
                s.contains(b.help),
                "{pane:?}: \"{}\" not whole in\n{s}",
                b.help
            );
        }
        toggle_help(&mut app);
    }
}
