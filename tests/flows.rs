//! Actions fed through the keymap into `App::update`, then the rows in the database.

mod common;

use common::*;
use duet::action::{Action, Pane};
use duet::app::App;
use duet::domain::{AgreementStatus, ReviewMark};
use duet::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

#[test]
fn first_run_setup_creates_the_couple_and_the_weekly_time() {
    let mut app = blank_app();
    assert!(app.setup().is_some());
    type_text(&mut app, "Alex");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "Sam");
    press(&mut app, KeyCode::Enter);
    set_weekly(&mut app, "Saturday", "20:30");
    // Enter passes the two optional passphrase fields, then saves.
    enter_to(&mut app, "The same passphrase again");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.setup().is_none(),
        "{:?}",
        app.setup().and_then(|f| f.error.clone())
    );
    let [a, b] = app.store().couple().unwrap();
    assert_eq!((a.name.as_str(), b.name.as_str()), ("Alex", "Sam"));
    let s = app.store().settings().unwrap();
    assert_eq!(s.weekly_weekday, chrono::Weekday::Sat);
    assert_eq!(s.weekly_time.format("%H:%M").to_string(), "20:30");
}

#[test]
fn setup_refuses_a_missing_name_and_a_bad_time() {
    let mut app = blank_app();
    save(&mut app);
    assert!(app
        .setup()
        .as_ref()
        .unwrap()
        .error
        .as_deref()
        .unwrap()
        .contains("can't be empty"));
    type_names(&mut app);
    type_into(&mut app, "Weekly check-in time", "x");
    save(&mut app);
    assert!(app
        .setup()
        .as_ref()
        .unwrap()
        .error
        .as_deref()
        .unwrap()
        .contains("isn't a time"));
    assert!(
        app.store().partners().unwrap().is_empty(),
        "nothing saved on error"
    );
}

#[test]
fn both_check_in_privately_then_reveal() {
    let mut app = app();
    check_in(&mut app, "Alex", 4, 3, "You made tea");
    let evening = app.evening();
    let [a, b] = app.store().couple().unwrap();
    let alex = app.store().checkin(&a.id, evening).unwrap().unwrap();
    assert_eq!(
        (alex.mood, alex.closeness, alex.appreciation.as_str()),
        (4, 3, "You made tea")
    );
    assert!(alex.prompt_id.is_some(), "tonight's prompt is recorded");
    assert!(
        !screen(&app).contains("You made tea"),
        "one partner's answers showed early"
    );
    reveal(&mut app);
    assert!(!app.tonight().revealed);

    check_in(&mut app, "Sam", 4, 3, "You listened");
    assert!(app.store().checkin(&b.id, evening).unwrap().is_some());
    assert!(!screen(&app).contains("You listened"), "revealed before r");
    reveal(&mut app);
    let s = screen(&app);
    assert!(
        s.contains("You made tea") && s.contains("You listened"),
        "{s}"
    );
    assert!(s.contains("in sync"), "{s}");
    // A word put right after the reveal: nothing is left to reveal.
    open_check_in(&mut app, "Sam");
    retype(
        &mut app,
        "One thing you appreciated",
        "You listened, really",
    );
    save(&mut app);
    let said = &app.message().unwrap().text;
    assert!(!said.contains("Press r"), "{said}");
    assert!(screen(&app).contains("You listened, really"));
}

#[test]
fn editing_your_own_check_in_keeps_the_entry() {
    let mut app = app();
    check_in(&mut app, "Alex", 2, 2, "First");
    let [a, _] = app.store().couple().unwrap();
    let evening = app.evening();
    let before = app.store().checkin(&a.id, evening).unwrap().unwrap();
    open_check_in(&mut app, "Alex");
    yes(&mut app); // Sam hasn't checked in, so opening it asks first
    rate(&mut app, "How did today feel?", 5);
    save(&mut app);
    let after = app.store().checkin(&a.id, evening).unwrap().unwrap();
    assert_eq!(after.id, before.id);
    assert_eq!(after.mood, 5);
    assert_eq!(after.appreciation, "First", "the edit kept the text");
    assert_eq!(app.store().checkin_count().unwrap(), 1);
}

#[test]
fn a_check_in_needs_both_ratings() {
    let mut app = app();
    open_check_in(&mut app, "Alex");
    save(&mut app);
    assert_eq!(app.store().checkin_count().unwrap(), 0);
    let s = screen(&app);
    assert!(s.contains("Choose how today felt"), "{s}");
}

#[test]
fn an_agreement_needs_the_other_partner_and_edits_ask_again() {
    let mut app = app();
    open_proposal(&mut app, "Alex");
    type_into(&mut app, "Agreement", "Phones away at dinner");
    type_into(&mut app, "Details", "Every evening.");
    save(&mut app);
    let list = app.store().agreements(None).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].status, AgreementStatus::Proposed);
    let [a, b] = app.store().couple().unwrap();
    assert!(list[0].has_consented(&a.id) && !list[0].has_consented(&b.id));

    consent(&mut app);
    let ag = &app.store().agreements(None).unwrap()[0];
    assert_eq!(ag.status, AgreementStatus::Agreed);
    // Consenting again changes nothing.
    consent(&mut app);
    assert_eq!(app.store().agreement_events(&ag.id).unwrap().len(), 3);

    edit_agreement(&mut app, "Sam");
    type_into(&mut app, "Agreement", " and breakfast");
    save(&mut app);
    let ag = &app.store().agreements(None).unwrap()[0];
    assert_eq!(ag.title, "Phones away at dinner and breakfast");
    assert_eq!(ag.status, AgreementStatus::Proposed);
    assert!(ag.has_consented(&b.id) && !ag.has_consented(&a.id));
    let events = app.store().agreement_events(&ag.id).unwrap();
    assert_eq!(events.last().unwrap().kind.as_str(), "edited");
    consent(&mut app);
    assert_eq!(
        app.store().agreements(None).unwrap()[0].status,
        AgreementStatus::Agreed
    );
}

#[test]
fn retiring_asks_first() {
    let mut app = app();
    propose(&mut app, "Alex", "No shouting");
    retire(&mut app);
    assert!(app.confirm().is_some());
    no(&mut app);
    assert_eq!(
        app.store().agreements(None).unwrap()[0].status,
        AgreementStatus::Proposed
    );
    retire(&mut app);
    yes(&mut app);
    assert_eq!(
        app.store().agreements(None).unwrap()[0].status,
        AgreementStatus::Retired
    );
}

#[test]
fn reviewing_together_records_each_mark_and_moves_the_date() {
    let mut app = app();
    propose(&mut app, "Alex", "Weekly date night");
    consent(&mut app);
    let before = app.store().agreements(None).unwrap()[0].next_review;
    start_review(&mut app);
    mark(&mut app, "Alex", ReviewMark::Honored);
    mark(&mut app, "Sam", ReviewMark::Revisit);
    note(&mut app, "Sam", "Let's pick a new night");
    save_marks(&mut app);
    assert!(app.overlay().is_none(), "review finished");
    let ag = &app.store().agreements(None).unwrap()[0];
    let reviews: Vec<_> = app
        .store()
        .agreement_events(&ag.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.as_str() == "reviewed")
        .collect();
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[0].detail["mark"], "honored");
    assert_eq!(reviews[1].detail["mark"], "revisit");
    assert_eq!(reviews[1].detail["note"], "Let's pick a new night");
    assert_eq!(ag.status, AgreementStatus::Revisit);
    assert!(ag.next_review.is_some() && ag.next_review >= before);
}

#[test]
fn wins_quick_add_celebrate_once_and_milestones() {
    let mut app = app();
    go(&mut app, Pane::Wins);
    assert_eq!(app.pane(), Pane::Wins);
    for i in 1..=10 {
        log_win(&mut app, &format!("Win number {i}"), "us", "");
    }
    assert_eq!(app.store().win_count().unwrap(), 10);
    let m = app.message().cloned().unwrap();
    assert!(m.text.contains("10 wins"), "{m:?}");
    celebrate(&mut app);
    let w = app.wins().list[0].clone();
    let [_, b] = app.store().couple().unwrap();
    assert_eq!(w.celebrated_by.as_deref(), Some(b.id.as_str()));
    // A second celebration is not a second heart: it asks whether to take the first back.
    celebrate(&mut app);
    assert!(app.confirm().unwrap().question.contains("Take back the ♥"));
    no(&mut app);
    assert!(
        app.wins().list[0].celebrated_by.is_some(),
        "celebrated once, still"
    );

    search_wins(&mut app, "number 1");
    assert_eq!(app.wins().list.len(), 2, "1 and 10");
    clear_filters(&mut app);
    assert_eq!(app.wins().list.len(), 10);
}

#[test]
fn an_empty_win_is_refused_and_nothing_is_saved() {
    let mut app = app();
    log_win(&mut app, "", "us", "");
    assert_eq!(app.store().win_count().unwrap(), 0);
    assert!(screen(&app).contains("can't be empty"));
}

#[test]
fn quitting_with_a_draft_asks_and_ctrl_c_twice_leaves() {
    let mut app = app();
    open_check_in(&mut app, "Alex");
    rate(&mut app, "How did today feel?", 4);
    press_mod(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!app.quit());
    assert!(app.confirm().is_some());
    no(&mut app);
    assert!(app.overlay().is_some(), "the draft is still there");
    press_mod(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    press_mod(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.quit());
    assert_eq!(app.store().checkin_count().unwrap(), 0);
}

#[test]
fn q_quits_from_a_pane_and_esc_closes_an_empty_form() {
    let mut app = app();
    open_win_form(&mut app);
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
    // Esc once more, on the pane: it closes things, it never quits the app.
    press(&mut app, KeyCode::Esc);
    assert!(!app.quit());
    assert!(app.message().unwrap().text.contains("Press q to quit"));
    keys(&mut app, "q");
    assert!(app.quit());
}

#[test]
fn pasted_text_arrives_whole_and_one_line_fields_fold_it() {
    let mut app = app();
    open_win_form(&mut app);
    app.update(Action::Paste("Two\nlines 🌸 与你".into()));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.wins().list[0].text, "Two lines 🌸 与你");
}

#[test]
fn another_process_writing_shows_up_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duet.db");
    let mut other = duet::store::Store::open(&path).unwrap();
    let [a, _] = other.set_partners(["Alex", "Sam"], now()).unwrap();
    let mut app =
        duet::app::App::new(duet::store::Store::open(&path).unwrap(), zone(), now()).unwrap();
    go(&mut app, Pane::Wins);
    assert_eq!(app.wins().total, 0);
    let draft = duet::domain::WinDraft {
        text: "From the other terminal".into(),
        ..Default::default()
    };
    other.add_win(&a.id, &draft, app.evening(), now()).unwrap();
    app.update(Action::Refresh);
    assert_eq!(app.wins().total, 1);
    assert_eq!(app.wins().list[0].text, "From the other terminal");
}

#[test]
fn esc_on_setup_with_typed_names_asks_before_leaving() {
    let mut app = blank_app();
    type_text(&mut app, "Alex");
    press(&mut app, KeyCode::Esc);
    assert!(!app.quit(), "left setup without asking");
    assert!(app.confirm().is_some());
    no(&mut app);
    assert!(!app.quit());
    assert_eq!(app.setup().unwrap().text("name"), "Alex", "typed name kept");
    press(&mut app, KeyCode::Esc);
    yes(&mut app);
    assert!(app.quit());
    // An untouched setup screen just closes.
    let mut app = blank_app();
    press(&mut app, KeyCode::Esc);
    assert!(app.quit());
}

#[test]
fn consent_is_asked_of_the_other_partner_by_name_and_can_be_declined() {
    let mut app = app();
    propose(&mut app, "Alex", "Screens off by 11");
    ask_consent(&mut app);
    let q = app
        .confirm()
        .as_ref()
        .map(|c| c.question.clone())
        .unwrap_or_default();
    assert!(q.starts_with("Sam, do you agree"), "{q}");
    no(&mut app);
    assert_eq!(
        app.store().agreements(None).unwrap()[0].status,
        AgreementStatus::Proposed
    );
}

#[test]
fn review_together_needs_both_marks_and_keeps_each_note() {
    let mut app = app();
    propose(&mut app, "Alex", "Weekly date night");
    consent(&mut app);
    start_review(&mut app);
    mark(&mut app, "Alex", ReviewMark::Struggled);
    note(&mut app, "Sam", "Hard on Fridays");
    save_marks(&mut app); // Sam has a note but no mark yet
    assert!(app.overlay().is_some(), "moved on with a mark missing");
    assert!(app
        .message()
        .as_ref()
        .unwrap()
        .text
        .contains("Sam hasn't marked it yet"));
    mark(&mut app, "Sam", ReviewMark::Revisit);
    save_marks(&mut app);
    let ag = &app.store().agreements(None).unwrap()[0];
    let reviews: Vec<_> = app
        .store()
        .agreement_events(&ag.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.as_str() == "reviewed")
        .collect();
    assert_eq!(reviews.len(), 2);
    assert_eq!(
        reviews[0].detail["mark"], "struggled",
        "marking didn't jump to the other partner"
    );
    assert_eq!(reviews[1].detail["note"], "Hard on Fridays");
}

#[test]
fn enter_moves_on_from_a_multi_line_field_and_alt_enter_breaks_the_line() {
    let mut app = app();
    open_check_in(&mut app, "Alex");
    rate(&mut app, "How did today feel?", 4);
    rate(&mut app, "How close do you feel", 4);
    type_into(&mut app, "One thing you appreciated", "First");
    press_mod(&mut app, KeyCode::Enter, KeyModifiers::ALT);
    type_text(&mut app, "second");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "A need");
    save(&mut app);
    let [a, _] = app.store().couple().unwrap();
    let evening = app.evening();
    let c = app.store().checkin(&a.id, evening).unwrap().unwrap();
    assert_eq!(c.appreciation, "First\nsecond");
    assert_eq!(c.need, "A need");
}

#[test]
fn opening_someone_else_s_entry_before_the_reveal_asks_first() {
    let mut app = app();
    check_in(&mut app, "Alex", 3, 3, "Private words");
    open_check_in(&mut app, "Alex");
    assert!(app.overlay().is_none(), "opened without asking");
    let q = app.confirm().unwrap().question.clone();
    assert!(q.contains("Only Alex should see them"), "{q}");
    no(&mut app);
    assert!(app.overlay().is_none());
    open_check_in(&mut app, "Alex");
    yes(&mut app);
    assert!(screen(&app).contains("Private words"));
}

#[test]
fn win_search_folds_case_and_accents_and_finds_tags() {
    let mut app = app();
    for (text, tag) in [("Zoë made soup", "kindness"), ("Fixed the bike", "home")] {
        log_win(&mut app, text, "us", tag);
    }
    for (query, expect) in [
        ("ZOË", 1),
        ("zoe\u{308}", 1),
        ("kindness", 1),
        ("BIKE", 1),
        ("nothing", 0),
    ] {
        search_wins(&mut app, query);
        assert_eq!(app.wins().list.len(), expect, "{query}");
        clear_filters(&mut app);
    }
}

#[test]
fn win_search_needs_every_word_and_reads_hash_tags() {
    let mut app = app();
    for (text, tags) in [
        ("Called mum together", "family kindness"),
        ("Fixed the bike", "home"),
    ] {
        log_win(&mut app, text, "us", tags);
    }
    for (query, expect) in [
        ("#home", 1),
        ("mum kindness", 1),
        ("family bike", 0),
        ("  ", 2),
    ] {
        search_wins(&mut app, query);
        assert_eq!(app.wins().list.len(), expect, "{query:?}");
        clear_filters(&mut app);
    }
}

#[test]
fn enter_on_a_rating_not_yet_chosen_stays_and_says_so() {
    let mut app = app();
    open_check_in(&mut app, "Alex");
    rate(&mut app, "How did today feel?", 4);
    press(&mut app, KeyCode::Enter); // on to closeness
    press(&mut app, KeyCode::Enter); // closeness not chosen
    let s = screen(&app);
    assert!(s.contains("Choose 1 to 5 first"), "{s}");
    assert!(s.contains("› How close"), "{s}");
    save(&mut app);
    assert!(
        screen(&app).contains("Choose how close you feel"),
        "{}",
        screen(&app)
    );
}

#[test]
fn the_wins_list_scrolls_to_keep_the_selection_on_screen() {
    let mut app = app();
    let [a, _] = app.store().couple().unwrap();
    for i in 0..60 {
        let d = duet::domain::WinDraft {
            text: format!("win number {i:02}"),
            ..Default::default()
        };
        let evening = app.evening() - chrono::Duration::days(i);
        app.store().add_win(&a.id, &d, evening, now()).unwrap();
    }
    go(&mut app, Pane::Wins);
    app.reload().unwrap();
    assert!(screen(&app).contains("win number 00"));
    select_last(&mut app);
    let s = screen(&app);
    assert!(s.contains("win number 59"), "{s}");
    assert!(!s.contains("win number 00"), "{s}");
    select_first(&mut app);
    assert!(screen(&app).contains("win number 00"));
}

#[test]
fn every_win_can_be_reached_however_many_there_are() {
    let mut app = app();
    let [a, _] = app.store().couple().unwrap();
    let first = app.evening() - chrono::Duration::days(399);
    for i in 0..400 {
        let d = duet::domain::WinDraft {
            text: format!("win {i:03}"),
            ..Default::default()
        };
        app.store()
            .add_win(&a.id, &d, first + chrono::Duration::days(i), now())
            .unwrap();
    }
    go(&mut app, Pane::Wins);
    app.reload().unwrap();
    assert_eq!(
        app.wins().list.len(),
        duet::app::WIN_PAGE,
        "a page at first"
    );
    // Scrolling near the end of the page brings in the next one.
    move_down(&mut app, 290);
    assert!(
        app.wins().list.len() > duet::app::WIN_PAGE,
        "the next page came in"
    );
    // G reaches the very first win.
    select_last(&mut app);
    let s = screen(&app);
    assert!(s.contains("win 000"), "{s}");
    assert!(
        !s.contains("+ win"),
        "no week claims more than it shows once all are loaded: {s}"
    );
}

/// G on a long list reads the oldest page, not every win: the far end pages like the near one.
#[test]
fn the_end_of_a_long_list_is_read_a_page_at_a_time() {
    let mut app = app();
    let [a, _] = app.store().couple().unwrap();
    let first = app.evening() - chrono::Duration::days(999);
    for i in 0..1000 {
        let d = duet::domain::WinDraft {
            text: format!("win {i:04}"),
            ..Default::default()
        };
        app.store()
            .add_win(&a.id, &d, first + chrono::Duration::days(i), now())
            .unwrap();
    }
    go(&mut app, Pane::Wins);
    app.reload().unwrap();
    select_last(&mut app);
    let page = duet::app::WIN_PAGE;
    assert_eq!(app.wins().list.len(), page, "G read more than a page");
    let selected = |app: &TestApp| app.wins().list[app.wins().selected].text.clone();
    assert_eq!(selected(&app), "win 0000");
    assert!(screen(&app).contains("win 0000"));
    // Going back up toward the newest brings in the next page, and the highlight stays put.
    for _ in 0..(page - 10) {
        app.update(Action::Up);
    }
    assert!(app.wins().list.len() > page, "no newer page came in");
    assert_eq!(selected(&app), format!("win {:04}", page - 10));
    // g is the newest again, a page of them.
    select_first(&mut app);
    assert_eq!(app.wins().list.len(), page);
    assert_eq!(selected(&app), "win 0999");
}

/// A win is put right in place, deleted with one key and brought back with another; the ♥ can
/// be taken back.
#[test]
fn a_win_can_be_edited_deleted_brought_back_and_uncelebrated() {
    let mut app = app();
    go(&mut app, Pane::Wins);
    log_win(&mut app, "Walk in the rian", "us", "");
    edit_win(&mut app);
    retype(&mut app, "What went well?", "Walk in the rain");
    type_into(&mut app, "Tags", "outside");
    save(&mut app);
    let w = app.wins().list[0].clone();
    assert_eq!(
        (w.text.as_str(), w.tags.as_slice()),
        ("Walk in the rain", &["outside".to_string()][..])
    );
    assert!(w.edited_at.is_some() && w.revision == 2, "{w:?}");

    delete_win(&mut app);
    assert!(app.wins().list.is_empty());
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("u brings it back, until you quit"),
        "{:?}",
        app.message()
    );
    assert_eq!(app.store().win_count().unwrap(), 0);
    undo_delete(&mut app);
    assert_eq!(app.wins().list[0].text, "Walk in the rain");

    celebrate(&mut app);
    celebrate(&mut app);
    yes(&mut app);
    assert!(app.wins().list[0].celebrated_by.is_none());
}

/// Two windows editing one win: what the other saved meanwhile is never thrown away unseen.
#[test]
fn editing_a_win_another_window_changed_keeps_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duet.db");
    let mut store = duet::store::Store::open(&path).unwrap();
    store.set_partners(["Alex", "Sam"], now()).unwrap();
    let window = || {
        let mut a =
            duet::app::App::new(duet::store::Store::open(&path).unwrap(), zone(), now()).unwrap();
        a.set_no_color(true);
        a
    };
    let mut a = window();
    go(&mut a, Pane::Wins);
    log_win(&mut a, "Coffee", "us", "");
    let mut b = window();
    go(&mut b, Pane::Wins);
    edit_win(&mut a);
    retype(&mut a, "What went well?", "Coffee in bed");
    edit_win(&mut b);
    retype(&mut b, "What went well?", "Coffee and a note");
    save(&mut b);
    save(&mut a);
    let both = form(&a).text("text");
    assert!(
        both.contains("Coffee in bed") && both.contains("Coffee and a note"),
        "{both}"
    );
    save(&mut a);
    let kept = &a.wins().list[0].text;
    assert!(
        kept.contains("Coffee in bed") && kept.contains("Coffee and a note"),
        "{kept}"
    );
}

#[test]
fn the_selection_stays_on_its_win_when_another_terminal_adds_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duet.db");
    let mut other = duet::store::Store::open(&path).unwrap();
    let [a, b] = other.set_partners(["Alex", "Sam"], now()).unwrap();
    let mut app =
        duet::app::App::new(duet::store::Store::open(&path).unwrap(), zone(), now()).unwrap();
    for text in ["oldest", "middle", "newest"] {
        let d = duet::domain::WinDraft {
            text: text.into(),
            ..Default::default()
        };
        other.add_win(&a.id, &d, app.evening(), now()).unwrap();
    }
    go(&mut app, Pane::Wins);
    app.update(Action::Refresh);
    select_next(&mut app); // "middle"
    assert_eq!(app.wins().list[app.wins().selected].text, "middle");
    let d = duet::domain::WinDraft {
        text: "from the other terminal".into(),
        ..Default::default()
    };
    other.add_win(&b.id, &d, app.evening(), now()).unwrap();
    app.update(Action::Refresh);
    assert_eq!(
        app.wins().list[app.wins().selected].text,
        "middle",
        "the highlight moved to another win"
    );
    celebrate(&mut app);
    let celebrated: Vec<_> = app
        .wins()
        .list
        .iter()
        .filter(|w| w.celebrated_by.is_some())
        .map(|w| w.text.clone())
        .collect();
    assert_eq!(celebrated, ["middle"]);
}

#[test]
fn a_passphrase_at_setup_locks_the_journal_before_any_name_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duet.db");
    let mut app = App::new(Store::open(&path).unwrap(), zone(), now()).unwrap();
    type_names(&mut app);
    type_into(&mut app, "Passphrase", "tea by the window");
    // The passphrase can't be sent to $EDITOR, which would write it to a file.
    press_mod(&mut app, KeyCode::Char('e'), KeyModifiers::CONTROL);
    assert!(app.editor_request().is_none());
    type_into(&mut app, "The same passphrase again", "tea by the window");
    save(&mut app);
    assert!(app.setup().is_none(), "{:?}", app.setup().map(|f| &f.error));
    assert!(app.store().is_locked());
    // The app goes on with the locked journal.
    check_in(&mut app, "Alex", 4, 4, "Marmalade");
    assert_eq!(app.store().checkin_count().unwrap(), 1);
    drop(app);
    let bytes = std::fs::read(&path).unwrap();
    for word in ["Alex", "Marmalade"] {
        assert!(
            !bytes.windows(word.len()).any(|w| w == word.as_bytes()),
            "{word}"
        );
    }
    let key = duet::domain::Passphrase::typed("tea by the window");
    let store = Store::open_with(&path, Some(&key)).unwrap();
    assert_eq!(store.partners().unwrap().len(), 2);
}

#[test]
fn setup_without_a_passphrase_leaves_the_journal_plain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duet.db");
    let mut app = App::new(Store::open(&path).unwrap(), zone(), now()).unwrap();
    type_names(&mut app);
    save(&mut app);
    assert!(app.setup().is_none());
    assert!(!app.store().is_locked());
    assert_eq!(duet::store::file_kind(&path), duet::store::FileKind::Plain);
}

#[test]
fn a_journal_locked_before_setup_is_not_offered_a_passphrase_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duet.db");
    drop(Store::open(&path).unwrap());
    let key = duet::domain::Passphrase::chosen("correct horse battery").unwrap();
    duet::store::relock(&path, None, Some(&key)).unwrap();
    let app = App::new(Store::open_with(&path, Some(&key)).unwrap(), zone(), now()).unwrap();
    let form = app.setup().expect("setup first");
    assert_eq!(form.fields.len(), 4);
    assert!(form.fields.iter().all(|f| !f.label.contains("Passphrase")));
}

/// Marking to revisit asks first and can be undone; both marking a revisit item honored offers
/// to set it back to agreed; consent after an edit says who agreed to the new words.
#[test]
fn revisiting_asks_first_can_be_undone_and_honored_brings_it_back() {
    let mut app = app();
    propose(&mut app, "Alex", "Phones away at dinner");
    consent(&mut app);
    mark_to_revisit(&mut app);
    assert!(app
        .confirm()
        .unwrap()
        .question
        .contains("revisit together?"));
    yes(&mut app);
    let status = |app: &mut TestApp| app.store().agreements(None).unwrap()[0].status;
    assert_eq!(status(&mut app), AgreementStatus::Revisit);
    assert!(app.message().unwrap().text.contains("u undoes it"));
    undo_revisit(&mut app);
    assert_eq!(status(&mut app), AgreementStatus::Agreed);

    mark_to_revisit(&mut app);
    yes(&mut app);
    start_review(&mut app);
    mark(&mut app, "Alex", ReviewMark::Honored);
    mark(&mut app, "Sam", ReviewMark::Honored);
    save_marks(&mut app);
    assert!(app
        .confirm()
        .unwrap()
        .question
        .contains("Set it back to agreed?"));
    yes(&mut app);
    assert_eq!(status(&mut app), AgreementStatus::Agreed);

    edit_agreement(&mut app, "Alex");
    retype(&mut app, "Agreement", "Phones away at every meal");
    save(&mut app);
    consent(&mut app);
    show_history(&mut app);
    let history = screen(&app);
    assert!(history.contains("Alex edited"), "{history}");
    assert!(history.contains("Sam consented"), "{history}");
}

/// Alex's own device, paired with Sam's: nobody is asked who they are.
fn alexs_device() -> TestApp {
    let mut store = Store::open_in_memory().unwrap();
    let [alex, _] = store.set_partners(["Alex", "Sam"], now()).unwrap();
    store
        .start_pairing(&duet::store::Pairing {
            journal_id: "j".into(),
            device_id: "d".into(),
            me: Some(alex.id),
            folder: std::env::temp_dir(),
            key: vec![7; 32],
            next_seq: 1,
            sent_heads: vec![],
            last_sync: None,
            last_error: None,
            doc_version: 0,
        })
        .unwrap();
    let mut app = App::new(store, zone(), now()).unwrap();
    app.set_no_color(true);
    app
}

#[test]
fn on_one_partner_s_device_what_is_done_is_theirs() {
    let mut app = alexs_device();
    start_check_in(&mut app);
    assert!(
        form(&app).title.contains("Alex"),
        "asked who, or opened someone else's: {}",
        form(&app).title
    );
    app.update(Action::Close);
    check_in_on_own_device(&mut app);
    // Alex proposes; Sam's yes is Sam's to give, on Sam's device.
    go(&mut app, Pane::Agreements);
    keys(&mut app, "a");
    type_into(&mut app, "Agreement", "Phones away at dinner");
    save(&mut app);
    ask_consent(&mut app);
    assert!(app.confirm().is_none(), "Alex was asked to agree for Sam");
    let said = &app.message().unwrap().text;
    assert!(said.contains("Waiting for Sam"), "{said}");
}

#[test]
fn on_one_partner_s_device_wins_and_hearts_and_consent_are_theirs() {
    let mut app = alexs_device();
    // No "logged by": a win logged here is Alex's.
    go(&mut app, Pane::Wins);
    keys(&mut app, "a");
    assert!(!screen(&app).contains("Logged by"), "{}", screen(&app));
    type_into(&mut app, "What went well?", "Sam made pancakes");
    save(&mut app);
    let [alex, sam] = app.store().couple().unwrap();
    let w = app.store().wins(&Default::default(), 5).unwrap().remove(0);
    assert_eq!(w.logged_by, alex.id);
    // Alex can't heart Alex's own win; Sam does that on Sam's device.
    keys(&mut app, "c");
    assert!(app.confirm().is_none());
    assert!(app.message().unwrap().text.contains("Sam can ♥ it"));
    assert!(app.store().win(&w.id).unwrap().celebrated_by.is_none());
    // Sam's proposal: Alex is asked for Alex's own yes, not told to wait for Sam.
    let evening = app.evening();
    app.store()
        .propose_agreement(
            &sam.id,
            &duet::domain::AgreementDraft {
                title: "Walk on Sundays".into(),
                review_every_weeks: 4,
                ..Default::default()
            },
            evening,
            now(),
        )
        .unwrap();
    app.update(Action::GoPane(Pane::Wins));
    go(&mut app, Pane::Agreements);
    ask_consent(&mut app);
    let q = app
        .confirm()
        .map(|c| c.question.clone())
        .unwrap_or_default();
    assert!(
        q.starts_with("Alex, do you agree"),
        "{q} / {:?}",
        app.message()
    );
}

fn check_in_on_own_device(app: &mut TestApp) {
    start_check_in(app);
    rate(app, "How did today feel?", 4);
    rate(app, "How close do you feel", 4);
    type_into(app, "One thing you appreciated", "Soup on a cold day");
    save(app);
    // Alex's own words, on Alex's own device, before the reveal.
    let s = screen(app);
    assert!(
        s.contains("Soup on a cold day") && s.contains("✓ Yours"),
        "{s}"
    );
    let [alex, _] = app.store().couple().unwrap();
    let evening = app.evening();
    assert!(app.store().checkin(&alex.id, evening).unwrap().is_some());
}

/// A review of one agreement says "1 agreement", an agreement reviewed every week "1 week".
#[test]
fn counts_of_one_read_as_one() {
    let mut app = app();
    propose(&mut app, "Alex", "Phones away at dinner");
    consent(&mut app);
    edit_agreement(&mut app, "Alex");
    choose(&mut app, "Review it together every", "1");
    save(&mut app);
    consent(&mut app);
    start_review(&mut app);
    assert!(
        screen(&app).contains("review every 1 week "),
        "{}",
        screen(&app)
    );
    mark(&mut app, "Alex", duet::domain::ReviewMark::Honored);
    mark(&mut app, "Sam", duet::domain::ReviewMark::Honored);
    press(&mut app, KeyCode::Enter);
    let said = app.message().map(|m| m.text.clone()).unwrap_or_default();
    assert!(said.contains("1 agreement talked through"), "{said}");
}

/// At 80 columns a long win gives way with "…", and who logged it and about whom still show.
#[test]
fn a_long_win_is_cut_with_an_ellipsis_and_keeps_who_and_whom() {
    let mut app = app();
    let long = "Sam made pancakes, cleaned the kitchen, walked the dog in the rain and still \
                had time to call my mother back before dinner";
    log_win(&mut app, long, "Sam", "home");
    go(&mut app, Pane::Wins);
    let s = screen(&app);
    let row = s
        .lines()
        .find(|l| l.contains("Sam made pancakes"))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(row.contains('…'), "{row}");
    assert!(row.contains("→ Sam #home"), "{row}");
}

/// An agreement past its review date says so; a retired one has no review ahead.
#[test]
fn an_overdue_review_says_overdue_and_a_retired_agreement_has_none() {
    let mut app = app();
    propose(&mut app, "Alex", "Phones away at dinner");
    consent(&mut app);
    go(&mut app, Pane::Agreements);
    assert!(screen(&app).contains("next review"), "{}", screen(&app));
    app.set_now(now() + chrono::Duration::days(60));
    go(&mut app, Pane::Tonight);
    go(&mut app, Pane::Agreements);
    assert!(
        screen(&app).contains("review overdue since"),
        "{}",
        screen(&app)
    );
    retire(&mut app);
    yes(&mut app);
    select_first(&mut app);
    let s = screen(&app);
    assert!(s.contains("Retired. Its history is kept"), "{s}");
    assert!(
        !s.contains("next review") && !s.contains("review overdue") && !s.contains("review every"),
        "{s}"
    );
}

/// A digit chooses and Enter moves on: "4 Enter 3 Enter" then words land where they read.
#[test]
fn a_rating_then_enter_lands_on_the_next_question() {
    let mut app = app();
    open_check_in(&mut app, "Alex");
    keys(&mut app, "4");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "The soup");
    let f = form(&app);
    assert_eq!(
        (f.rating("mood"), f.rating("closeness")),
        (Some(4), Some(3))
    );
    assert_eq!(f.text("appreciation"), "The soup");
    assert_eq!(f.text("need"), "");
}

/// A heart on a win about the one giving it says what it is: what the other noticed in them.
#[test]
fn a_heart_on_a_win_about_yourself_reads_as_being_noticed() {
    let mut app = app();
    log_win(&mut app, "Sam made coffee before I woke up", "Sam", "");
    celebrate(&mut app);
    let said = app.message().map(|m| m.text.clone()).unwrap_or_default();
    assert_eq!(said, "♥ Sam celebrated what Alex noticed in them.");
}

/// A search asks for words to find, not words to keep: its footer says so.
#[test]
fn a_search_offers_to_find_not_to_save() {
    let mut app = app();
    for pane in [Pane::Journal, Pane::Wins] {
        go(&mut app, pane);
        keys(&mut app, "/");
        assert_eq!(app.context(), duet::keymap::Context::Lookup);
        let footer = screen(&app).lines().last().unwrap_or_default().to_string();
        assert!(
            footer.contains("Enter find") && !footer.contains("save"),
            "{footer}"
        );
        type_text(&mut app, "tea");
        press(&mut app, KeyCode::Esc);
        assert!(app.overlay().is_none());
    }
}
