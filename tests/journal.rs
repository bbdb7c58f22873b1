//! The Journal pane: the past read back, with the reveal's privacy kept, a jump to a date, a
//! search; snapshots at 80×24.

mod common;

use common::*;
use duet::action::{Action, Pane};
use duet::app::App;
use duet::store::Store;

/// A year of a made-up couple, up to tonight (Monday 23 November 2026).
fn lived_in() -> TestApp {
    let mut store = Store::open_in_memory().unwrap();
    let today = now().with_timezone(&zone()).date_naive();
    store
        .import_snapshot(&duet::demo::generate(1, 3, today), now())
        .unwrap();
    let mut app = App::new(store, zone(), now()).unwrap();
    app.set_no_color(true);
    app
}

fn snap(name: &str, app: &TestApp) {
    insta::assert_snapshot!(name, screen(app));
}

fn go_to(app: &mut TestApp, day: &str) {
    go(app, Pane::Journal);
    keys(app, ":");
    type_into(app, "Which evening?", day);
    press(app, ratatui::crossterm::event::KeyCode::Enter);
}

fn search(app: &mut TestApp, words: &str) {
    go(app, Pane::Journal);
    keys(app, "/");
    type_into(app, "Words", words);
    press(app, ratatui::crossterm::event::KeyCode::Enter);
}

#[test]
fn an_empty_journal_says_what_will_come_here() {
    let mut app = app();
    go(&mut app, Pane::Journal);
    snap("journal_empty", &app);
}

#[test]
fn an_evening_only_one_checked_in_keeps_its_words_private() {
    let mut app = app();
    check_in(&mut app, "Alex", 4, 3, "Only for the reveal");
    go(&mut app, Pane::Journal);
    let s = screen(&app);
    assert!(!s.contains("Only for the reveal"), "{s}");
    snap("journal_one_partner", &app);
    search(&mut app, "reveal");
    assert!(
        app.journal().evenings.is_empty(),
        "a private word was found"
    );
}

#[test]
fn tonight_s_words_wait_for_the_reveal_then_read_side_by_side() {
    let mut app = app();
    check_in(&mut app, "Alex", 4, 3, "You listened");
    check_in(&mut app, "Sam", 5, 4, "The soup");
    go(&mut app, Pane::Journal);
    assert!(
        !screen(&app).contains("The soup"),
        "shown before the reveal"
    );
    reveal(&mut app);
    go(&mut app, Pane::Journal);
    let s = screen(&app);
    assert!(s.contains("You listened") && s.contains("The soup"), "{s}");
    snap("journal_revealed", &app);
}

#[test]
fn a_weekly_check_in_opens_step_by_step() {
    let mut app = lived_in();
    go_to(&mut app, "last sunday");
    let r = app.journal().selected().unwrap();
    assert_eq!(r.evening.to_string(), "2026-11-22");
    assert!(
        r.meeting.is_some(),
        "the demo holds a check-in most Sundays"
    );
    app.update(Action::ShowHistory);
    let s = screen(&app);
    assert!(
        s.contains("Weekly check-in, week of Sun 22 Nov 2026"),
        "{s}"
    );
    snap("journal_weekly", &app);
}

#[test]
fn a_jump_lands_on_the_day_or_the_evening_before_it() {
    let mut app = lived_in();
    go_to(&mut app, "2026-06-15");
    let first = app.journal().selected().unwrap().evening.to_string();
    assert!(first.as_str() <= "2026-06-15", "{first}");
    snap("journal_jump", &app);
    // A month back, and on again.
    app.update(Action::Left);
    assert!(
        app.journal()
            .selected()
            .unwrap()
            .evening
            .to_string()
            .as_str()
            < "2026-06-01"
    );
    // Before the first evening there is nothing: the list stays as it was, and says so.
    let shown = app.journal().evenings.len();
    go_to(&mut app, "2020-01-01");
    assert_eq!(app.journal().evenings.len(), shown, "the list emptied");
    let said = app.message().unwrap().text.clone();
    assert!(said.contains("Nothing was written on or before"), "{said}");
    go_to(&mut app, "2025-11-24");
    for _ in 0..3 {
        app.update(Action::Left);
    }
    assert!(
        !app.journal().evenings.is_empty(),
        "a month jump emptied the list"
    );
}

#[test]
fn an_evening_s_reviews_name_their_agreements() {
    let mut app = app();
    propose(&mut app, "Alex", "Phones away at dinner");
    consent(&mut app);
    propose(&mut app, "Sam", "A walk on Saturdays");
    consent(&mut app);
    start_review(&mut app);
    for _ in 0..2 {
        mark(&mut app, "Alex", duet::domain::ReviewMark::Honored);
        mark(&mut app, "Sam", duet::domain::ReviewMark::Struggled);
        save_marks(&mut app);
    }
    go(&mut app, Pane::Journal);
    app.update(Action::ShowHistory);
    let s = screen(&app);
    for title in ["Phones away at dinner", "A walk on Saturdays"] {
        // Both partners' marks on one line, not two lines that read as the same.
        let line = format!("Review of \"{title}\"");
        assert_eq!(s.matches(&line).count(), 1, "{s}");
    }
}

#[test]
fn a_search_shows_the_evenings_holding_the_words_and_marks_them() {
    let mut app = lived_in();
    search(&mut app, "coffee");
    let j = app.journal();
    assert!(!j.evenings.is_empty());
    assert!(j.evenings.len() < 365, "every evening matched");
    snap("journal_search", &app);
    // A search half typed, or a jump, closes with Esc: nothing to keep, nothing to ask.
    for k in ["/", ":"] {
        keys(&mut app, k);
        type_text(&mut app, "half");
        app.update(Action::Close);
        assert!(app.overlay().is_none() && app.confirm().is_none(), "{k}");
    }
    app.update(Action::ClearFilters);
    assert!(app.journal().search.is_none());
}

#[test]
fn years_of_evenings_page_in_as_the_list_is_read() {
    let mut app = lived_in();
    go(&mut app, Pane::Journal);
    let page = duet::app::EVENING_PAGE;
    assert_eq!(app.journal().evenings.len(), page, "a page at first");
    move_down(&mut app, page - 5);
    assert!(app.journal().evenings.len() > page, "the next page came in");
}

/// Yesterday's own check-in can be put right until both have checked in tonight; it then reads
/// as edited.
#[test]
fn yesterday_s_check_in_can_be_put_right_until_tonight_s() {
    let mut app = app();
    let [a, b] = app.store().couple().unwrap();
    let yesterday = app.evening() - chrono::Duration::days(1);
    for (p, words) in [(&a, "You listned"), (&b, "The soup")] {
        let draft = duet::domain::CheckInDraft {
            mood: 4,
            closeness: 4,
            appreciation: words.into(),
            ..Default::default()
        };
        app.store()
            .save_checkin(&p.id, yesterday, &draft, now())
            .unwrap();
    }
    app.reload().unwrap();
    edit_evening(&mut app, "Alex");
    retype(&mut app, "One thing you appreciated", "You listened");
    save(&mut app);
    let s = screen(&app);
    assert!(s.contains("You listened") && s.contains("(edited)"), "{s}");
    let c = app.store().checkin(&a.id, yesterday).unwrap().unwrap();
    assert_eq!(c.appreciation, "You listened");

    check_in(&mut app, "Alex", 3, 3, "Tonight");
    check_in(&mut app, "Sam", 3, 3, "Tonight too");
    go(&mut app, Pane::Journal);
    select_next(&mut app);
    edit_evening(&mut app, "Alex");
    assert!(app.overlay().is_none(), "edited after tonight's check-ins");
    assert!(app.message().unwrap().text.contains("Only yesterday's"));
}
