//! The weekly check-in in the app: banner, the six steps, pausing, skipping, and the records.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use duet::action::Pane;
use duet::app::App;
use duet::domain::{AgreementDraft, AgreementStatus, CheckInDraft, WinDraft};
use duet::schedule::WeeklyStatus;
use duet::store::Store;
use ratatui::crossterm::event::KeyCode;

/// A couple who set up duet `days` days before `at`, with a week of check-ins, a win, and an
/// agreement due for review.
fn couple_since(at: DateTime<Utc>, days: i64) -> TestApp {
    let mut store = Store::open_in_memory().unwrap();
    let start = at - Duration::days(days);
    let [a, b] = store.set_partners(["Alex", "Sam"], start).unwrap();
    let first_evening = (start + Duration::hours(1))
        .with_timezone(&zone())
        .date_naive();
    for d in 0..days - 1 {
        let evening = first_evening + Duration::days(d);
        for (p, mood) in [(&a, 3 + (d % 2) as u8), (&b, 4)] {
            let draft = CheckInDraft {
                mood,
                closeness: 4,
                ..Default::default()
            };
            store.save_checkin(&p.id, evening, &draft, start).unwrap();
        }
    }
    let win = WinDraft {
        text: "Sam fixed the bike".into(),
        ..Default::default()
    };
    store
        .add_win(&a.id, &win, first_evening + Duration::days(days - 3), start)
        .unwrap();
    let draft = AgreementDraft {
        title: "No phones at dinner".into(),
        review_every_weeks: 1,
        ..Default::default()
    };
    let ag = store
        .propose_agreement(&a.id, &draft, first_evening, start)
        .unwrap();
    store
        .consent_agreement(&ag.id, &b.id, first_evening, start)
        .unwrap();
    let mut app = App::new(store, zone(), at).unwrap();
    app.set_no_color(true);
    app
}

/// Sunday 29 November 2026, 19:30 local: the meeting is due.
fn sunday_evening() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-29T18:30:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn next_step(app: &mut TestApp) {
    save(app);
}

#[test]
fn due_banner_and_eve_reminder() {
    let app = couple_since(sunday_evening(), 5);
    assert!(
        matches!(app.weekly(), Some(WeeklyStatus::Due { .. })),
        "{:?}",
        app.weekly()
    );
    insta::assert_snapshot!("meeting_banner_due", screen(&app));
    let app = couple_since(sunday_evening(), 10);
    assert!(
        matches!(app.weekly(), Some(WeeklyStatus::Overdue { missed: 2, .. })),
        "{:?}",
        app.weekly()
    );
    insta::assert_snapshot!("meeting_banner_overdue", screen(&app));
    let saturday = sunday_evening() - Duration::hours(22);
    let app = couple_since(saturday, 5);
    assert!(
        matches!(app.weekly(), Some(WeeklyStatus::Upcoming { .. })),
        "{:?}",
        app.weekly()
    );
    insta::assert_snapshot!("meeting_banner_eve", screen(&app));
}

#[test]
fn every_step_of_the_meeting_and_the_record_it_leaves() {
    let mut app = couple_since(sunday_evening(), 10);
    weekly_menu(&mut app);
    insta::assert_snapshot!("meeting_menu", screen(&app));
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("meeting_step1", screen(&app));
    // Both must name an appreciation.
    type_into(&mut app, "Alex appreciates Sam", "You fixed my bike");
    next_step(&mut app);
    assert!(screen(&app).contains("at least one appreciation"));
    type_into(&mut app, "Sam appreciates Alex", "You planned Saturday");
    next_step(&mut app);
    insta::assert_snapshot!("meeting_step2", screen(&app));
    next_step(&mut app);
    insta::assert_snapshot!("meeting_step3", screen(&app));
    next_step(&mut app);
    insta::assert_snapshot!("meeting_step4", screen(&app));
    choose(&mut app, "No phones at dinner", "honored");
    next_step(&mut app);
    insta::assert_snapshot!("meeting_step5", screen(&app));
    type_into(&mut app, "What's been hard", "Late replies");
    next_step(&mut app);
    assert!(
        screen(&app).contains("comes with a request"),
        "{}",
        screen(&app)
    );
    type_into(
        &mut app,
        "What I'd like instead",
        "A text when you'll be late",
    );
    next_step(&mut app);
    insta::assert_snapshot!("meeting_step6_trust", screen(&app));
    rate(&mut app, "Alex: how safe and trusting", 4);
    type_into(
        &mut app,
        "Alex: what helped",
        "The texts when you were late",
    );
    next_step(&mut app);
    // Sam's turn, on the same step, without Alex's answer on screen.
    let s = screen(&app);
    assert!(
        s.contains("step 6 of 8") && s.contains("Sam, on your own now"),
        "{s}"
    );
    assert!(
        !s.contains("The texts when") && !s.contains("mostly safe]"),
        "{s}"
    );
    rate(&mut app, "Sam: how safe and trusting", 3);
    next_step(&mut app);
    insta::assert_snapshot!("meeting_step7_good_time", screen(&app));
    assert!(
        screen(&app).contains("This week's trust: Alex 4 (mostly safe) · Sam 3 (steadier)"),
        "{}",
        screen(&app)
    );
    type_into(&mut app, "A good time together", "A walk by the river");
    type_into(&mut app, "When", "Saturday morning");
    next_step(&mut app);
    insta::assert_snapshot!("meeting_step8", screen(&app));
    type_into(&mut app, "Sam: what can Alex do", "Hold my hand");
    type_into(&mut app, "Alex: what can Sam do", "Coffee on Saturday");
    next_step(&mut app);
    assert!(screen(&app).contains("choose one intention"));
    type_into(&mut app, "Our intention", "Walk together twice");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_none());
    assert!(
        matches!(app.weekly(), Some(WeeklyStatus::DoneThisWeek { .. })),
        "{:?}",
        app.weekly()
    );
    insta::assert_snapshot!("meeting_done_tonight", screen(&app));

    let m = &app.store().recent_meetings(1).unwrap()[0];
    assert!(m.completed_at.is_some());
    assert_eq!(m.intentions[0], "Walk together twice");
    let [alex, sam] = app.store().couple().unwrap();
    let trust = m.answers.trust.as_ref().unwrap();
    assert_eq!((trust[&alex.id].rating, trust[&sam.id].rating), (4, 3));
    assert_eq!(trust[&alex.id].words, "The texts when you were late");
    assert_eq!(
        m.answers.good_time.as_ref().unwrap().what,
        "A walk by the river"
    );
    assert_eq!(
        m.answers.hard.as_ref().unwrap().request,
        "A text when you'll be late"
    );
    let ag = &app.store().agreements(None).unwrap()[0];
    let marks: Vec<_> = app
        .store()
        .agreement_events(&ag.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.as_str() == "reviewed")
        .map(|e| e.detail["mark"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        marks,
        ["honored"],
        "one mark, given together, recorded once"
    );
    let together = app
        .store()
        .agreement_events(&ag.id)
        .unwrap()
        .into_iter()
        .find(|e| e.kind.as_str() == "reviewed")
        .unwrap();
    assert_eq!(together.partner_id, None);
    assert_eq!(
        together.detail["note"], "",
        "no words put in anyone's mouth"
    );
    assert_eq!(ag.status, AgreementStatus::Agreed);
    // W again offers to read it or fix a word, not to start or skip another.
    leave_weekly(&mut app);
    assert!(app.overlay().is_none());
    assert!(app.message().unwrap().text.contains("done"));
    fixing_a_word_keeps_the_week_held(&mut app);
}

/// Reopened to fix a word: the fix is kept, and the week stays done as it was.
fn fixing_a_word_keeps_the_week_held(app: &mut TestApp) {
    let held = app.store().recent_meetings(1).unwrap()[0].clone();
    reopen_weekly(app);
    retype(app, "Alex appreciates Sam", "You fixed my bike, twice");
    for _ in 0..8 {
        next_step(app);
    }
    assert!(
        app.overlay().is_none(),
        "the reopened week ended where it began"
    );
    let m = &app.store().recent_meetings(1).unwrap()[0];
    assert_eq!(m.completed_at, held.completed_at);
    assert!(m.revision > held.revision);
    assert!(m
        .answers
        .appreciations
        .as_ref()
        .unwrap()
        .values()
        .any(|t| t.contains("twice")));
    // Left half way through, it is still the week's held check-in, not a paused one.
    reopen_weekly(app);
    press(app, KeyCode::Esc);
    let said = &app.message().unwrap().text;
    assert!(said.contains("stays held"), "{said}");
    let m = &app.store().recent_meetings(1).unwrap()[0];
    assert_eq!(m.completed_at, held.completed_at);
}

#[test]
fn leaving_half_way_keeps_the_answers_and_w_carries_on() {
    let mut app = couple_since(sunday_evening(), 10);
    start_weekly(&mut app);
    type_into(&mut app, "Alex appreciates Sam", "You fixed my bike");
    type_into(&mut app, "Sam appreciates Alex", "You planned Saturday");
    next_step(&mut app);
    type_into(&mut app, "Anything else that went right?", "The picnic");
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
    assert!(app
        .message()
        .as_ref()
        .unwrap()
        .text
        .contains("Paused at step 2"));
    let m = &app.store().recent_meetings(1).unwrap()[0];
    assert!(m.completed_at.is_none());
    assert_eq!(m.answers.went_right.as_deref(), Some("The picnic"));
    // Still due: a paused meeting is not a done one.
    assert!(app.weekly().unwrap().wants_meeting());

    start_weekly(&mut app);
    let s = screen(&app);
    assert!(s.contains("step 2 of 8"), "{s}");
    assert!(s.contains("The picnic"), "{s}");
}

#[test]
fn skipping_needs_a_reason_and_counts_as_this_weeks() {
    let mut app = couple_since(sunday_evening(), 10);
    skip_weekly(&mut app, "");
    assert!(screen(&app).contains("can't be empty"));
    type_into(&mut app, "Why skip", "Visiting family");
    press(&mut app, KeyCode::Enter);
    let m = &app.store().recent_meetings(1).unwrap()[0];
    assert_eq!(m.skip_reason.as_deref(), Some("Visiting family"));
    assert!(m.skipped_at.is_some());
    assert!(!app.weekly().unwrap().wants_meeting());
}

#[test]
fn settings_change_the_weekly_time_in_the_app() {
    let mut app = couple_since(sunday_evening(), 10);
    open_settings(&mut app);
    set_weekly(&mut app, "Monday", "20:15");
    save(&mut app);
    let s = app.store().settings().unwrap();
    assert_eq!(s.weekly_weekday, chrono::Weekday::Mon);
    assert_eq!(s.weekly_time.format("%H:%M").to_string(), "20:15");
    open_settings(&mut app);
    type_into(&mut app, "Weekly check-in time", "x");
    save(&mut app);
    assert!(screen(&app).contains("isn't a time"));
}

#[test]
fn a_finished_week_cannot_be_skipped_and_a_skipped_one_says_skipped() {
    let mut app = couple_since(sunday_evening(), 10);
    skip_weekly(&mut app, "Away");
    assert!(
        matches!(app.weekly(), Some(WeeklyStatus::SkippedThisWeek { .. })),
        "{:?}",
        app.weekly()
    );
    assert!(
        app.weekly_line().contains("skipped"),
        "{}",
        app.weekly_line()
    );
    // W on a week already settled offers to hold it after all, not to skip again.
    leave_weekly(&mut app);
    assert!(app.overlay().is_none());
    assert!(app.message().unwrap().text.contains("skipped"));
    reopen_weekly(&mut app);
    assert!(
        form(&app).title.contains("step 1 of 8"),
        "{}",
        form(&app).title
    );
    let m = &app.store().recent_meetings(1).unwrap()[0];
    assert!(m.skipped_at.is_none() && m.skip_reason.is_none(), "{m:?}");
}

#[test]
fn a_meeting_held_late_looks_back_on_its_own_week() {
    // Monday evening, the Sunday meeting not yet held.
    let monday = sunday_evening() + Duration::days(1);
    let mut app = couple_since(monday, 10);
    start_weekly(&mut app);
    type_into(&mut app, "Alex appreciates Sam", "a");
    type_into(&mut app, "Sam appreciates Alex", "b");
    next_step(&mut app);
    next_step(&mut app);
    let s = screen(&app);
    assert!(s.contains("step 3 of 8"), "{s}");
    assert!(s.contains("Sun 29 Nov") && s.contains("Mon 23 Nov"), "{s}");
    assert!(
        !s.contains("Mon 30 Nov"),
        "tonight is not part of last week: {s}"
    );
}

/// Two windows start the same week's check-in: they join one meeting, with nobody's answers
/// replaced (and no "UNIQUE constraint failed").
#[test]
fn two_windows_starting_the_same_weekly_check_in_join_one_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duet.db");
    let at = sunday_evening();
    Store::open(&path)
        .unwrap()
        .set_partners(["Alex", "Sam"], at - Duration::days(10))
        .unwrap();
    let window = || {
        let mut app = App::new(Store::open(&path).unwrap(), zone(), at).unwrap();
        app.set_no_color(true);
        app
    };
    let (mut a, mut b) = (window(), window());
    start_weekly(&mut a);
    start_weekly(&mut b);
    type_into(&mut a, "Alex appreciates Sam", "From window A");
    type_into(&mut a, "Sam appreciates Alex", "A, for Alex");
    next_step(&mut a);
    type_into(&mut b, "Alex appreciates Sam", "From window B");
    type_into(&mut b, "Sam appreciates Alex", "B, for Alex");
    next_step(&mut b);
    assert!(
        b.message().is_none_or(|m| !m.text.contains("UNIQUE")),
        "{:?}",
        b.message()
    );
    assert!(form(&b).title.contains("step 2 of 8"), "{}", form(&b).title);
    let meetings = b.store().recent_meetings(5).unwrap();
    assert_eq!(meetings.len(), 1, "one meeting for the week");
    let said: Vec<String> = meetings[0]
        .answers
        .appreciations
        .as_ref()
        .unwrap()
        .values()
        .cloned()
        .collect();
    let all = said.join(" | ");
    for words in [
        "From window A",
        "From window B",
        "A, for Alex",
        "B, for Alex",
    ] {
        assert!(all.contains(words), "{words} is missing: {all}");
    }
}

/// The week's good time shows on Tonight; `t` once it was had, and it can be a win too.
#[test]
fn the_good_time_planned_shows_all_week_and_becomes_a_win() {
    let mut app = couple_since(sunday_evening(), 10);
    weekly_menu(&mut app);
    press(&mut app, KeyCode::Enter);
    type_into(&mut app, "Alex appreciates Sam", "You fixed my bike");
    type_into(&mut app, "Sam appreciates Alex", "You planned Saturday");
    for _ in 0..6 {
        next_step(&mut app);
    }
    type_into(&mut app, "A good time together", "A walk by the river");
    type_into(&mut app, "When", "Saturday morning");
    next_step(&mut app);
    type_into(&mut app, "Our intention", "Walk together twice");
    next_step(&mut app);
    assert!(app.overlay().is_none(), "{:?}", app.overlay());
    go(&mut app, Pane::Tonight);
    let s = screen(&app);
    assert!(
        s.contains("A good time planned (t once had): A walk by the river · Saturday morning"),
        "{s}"
    );
    let before = app.store().win_count().unwrap();
    keys(&mut app, "t");
    assert!(app.confirm().unwrap().question.contains("Log it as a win"));
    yes(&mut app);
    choose_who(&mut app, "Sam");
    let wins = app.store().wins(&Default::default(), 5).unwrap();
    assert_eq!(wins[0].text, "We had our good time: A walk by the river");
    let m = &app.store().recent_meetings(1).unwrap()[0];
    assert!(m.answers.good_time.as_ref().unwrap().done_at.is_some());
    assert!(
        screen(&app).contains("✓ Your good time, had: A walk by the river"),
        "{}",
        screen(&app)
    );
    // Once is enough.
    keys(&mut app, "t");
    assert!(app.confirm().is_none());
    assert_eq!(app.store().win_count().unwrap(), before + 1);
}

/// On the journal's very first day, a weekly check-in counts for the coming week, not the one
/// before the journal existed; the header and W agree about it all week.
#[test]
fn a_check_in_on_the_first_day_counts_for_the_coming_week() {
    let tuesday: DateTime<Utc> = "2026-12-01T18:30:00Z".parse().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.set_partners(["Alex", "Sam"], tuesday).unwrap();
    let mut app = App::new(store, zone(), tuesday).unwrap();
    app.set_no_color(true);
    weekly_menu(&mut app);
    press(&mut app, KeyCode::Enter);
    type_into(&mut app, "Alex appreciates Sam", "You fixed my bike");
    type_into(&mut app, "Sam appreciates Alex", "You planned Saturday");
    for _ in 0..7 {
        next_step(&mut app);
    }
    type_into(&mut app, "Our intention", "Walk together twice");
    next_step(&mut app);
    assert!(app.overlay().is_none(), "{:?}", app.overlay());
    let m = &app.store().recent_meetings(1).unwrap()[0];
    assert_eq!(
        m.week,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
        "filed before the journal existed"
    );
    // That Sunday evening: done, in the header and in W alike.
    app.set_now("2026-12-06T19:30:00Z".parse().unwrap());
    assert!(
        matches!(app.weekly(), Some(WeeklyStatus::DoneThisWeek { .. })),
        "{:?}",
        app.weekly()
    );
    weekly_menu(&mut app);
    assert!(
        screen(&app).contains("This week's check-in is done."),
        "{}",
        screen(&app)
    );
}

/// After a skipped week, last week's intention no longer shows as this week's.
#[test]
fn a_skipped_week_leaves_no_old_intention_on_tonight() {
    let tuesday: DateTime<Utc> = "2026-12-01T18:30:00Z".parse().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store
        .set_partners(["Alex", "Sam"], tuesday - Duration::days(30))
        .unwrap();
    let week = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let mut held = duet::domain::Meeting::new(week(22), tuesday - Duration::days(9));
    held.intentions = vec!["Cook together".into()];
    held.completed_at = Some(tuesday - Duration::days(9));
    store
        .save_meeting_over(&duet::domain::Meeting::new(week(22), tuesday), &held)
        .unwrap();
    let mut app = App::new(store, zone(), tuesday).unwrap();
    app.set_no_color(true);
    assert!(screen(&app).contains("This week we said: “Cook together”"));
    let mut skipped = duet::domain::Meeting::new(week(29), tuesday - Duration::days(2));
    skipped.skipped_at = Some(tuesday - Duration::days(2));
    skipped.skip_reason = Some("Away".into());
    app.store()
        .save_meeting_over(&duet::domain::Meeting::new(week(29), tuesday), &skipped)
        .unwrap();
    app.reload().unwrap();
    assert!(!screen(&app).contains("Cook together"), "{}", screen(&app));
}
