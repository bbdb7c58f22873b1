//! Repairs: taking responsibility in the app and from the shell, answered in the other
//! partner's own time ("not yet", then forgiveness later, both kept); and another prompt or a
//! starred one for the evening. Everything round-trips through export and import.

mod common;

use common::journal::Journal;
use common::*;
use duet::action::Pane;
use duet::domain::{RepairDraft, Response};
use duet::store::Store;
use ratatui::crossterm::event::KeyCode;

fn store_with_couple() -> (Store, String, String) {
    let mut s = Store::open_in_memory().unwrap();
    let [a, b] = s.set_partners(["Alex", "Sam"], now()).unwrap();
    (s, a.id, b.id)
}

fn draft(what: &str) -> RepairDraft {
    RepairDraft {
        what_happened: what.into(),
        how_it_affected: "You waited and worried".into(),
        do_differently: "Text as soon as I know".into(),
        agreement_id: None,
    }
}

#[test]
fn not_yet_then_forgiveness_later_both_stay_in_the_history() {
    let (mut s, alex, sam) = store_with_couple();
    let evening = now().date_naive();
    let r = s
        .add_repair(&alex, &draft("I forgot to text"), evening, now())
        .unwrap();
    s.respond_to_repair(
        &r.id,
        &sam,
        Response::NotYet,
        "I need a day",
        evening,
        now(),
    )
    .unwrap();
    let later = now() + chrono::Duration::days(3);
    s.respond_to_repair(&r.id, &sam, Response::Forgive, "", evening, later)
        .unwrap();
    let all = s.repairs().unwrap();
    assert_eq!(all.len(), 1);
    let answers: Vec<Response> = all[0].responses.iter().map(|a| a.response).collect();
    assert_eq!(answers, vec![Response::NotYet, Response::Forgive]);
    assert_eq!(all[0].current().unwrap().response, Response::Forgive);
    // The one who took responsibility doesn't answer their own.
    let err = s
        .respond_to_repair(&r.id, &alex, Response::Forgive, "", evening, now())
        .unwrap_err();
    assert!(err.to_string().contains("other partner"), "{err}");
    // An empty "what happened" is refused; nothing is written.
    assert!(s.add_repair(&alex, &draft("  "), evening, now()).is_err());
    assert_eq!(s.repairs().unwrap().len(), 1);
}

#[test]
fn repairs_prompts_and_stars_round_trip_through_export_and_import() {
    let (mut s, alex, sam) = store_with_couple();
    let evening = now().date_naive();
    let r = s
        .add_repair(&alex, &draft("I was short with you"), evening, now())
        .unwrap();
    s.respond_to_repair(
        &r.id,
        &sam,
        Response::Thanks,
        "Thank you for saying it",
        evening,
        now(),
    )
    .unwrap();
    s.choose_evening_prompt(evening, "patience-03", now())
        .unwrap();
    s.star_prompt(&sam, "forgiveness-02", true, now()).unwrap();
    s.share_repair_words(&alex, true, now()).unwrap();
    let json = duet::transfer::export_json(&s).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["version"], duet::transfer::VERSION);
    assert_eq!(v["repairs"][0]["what_happened"], "I was short with you");
    assert_eq!(v["repair_responses"][0]["response"], "thanks");
    assert_eq!(v["summary_choices"][0]["repair_words"], true);
    let mut other = Store::open_in_memory().unwrap();
    duet::transfer::import_json(&mut other, &json, now()).unwrap();
    assert_eq!(duet::transfer::export_json(&other).unwrap(), json);
    // Twice: nothing doubles.
    duet::transfer::import_json(&mut other, &json, now()).unwrap();
    assert_eq!(duet::transfer::export_json(&other).unwrap(), json);
}

#[test]
fn an_answer_by_the_one_who_wrote_it_in_a_file_is_refused() {
    let (mut s, alex, _) = store_with_couple();
    let evening = now().date_naive();
    s.add_repair(&alex, &draft("I forgot"), evening, now())
        .unwrap();
    let json = duet::transfer::export_json(&s).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["repair_responses"] = serde_json::json!([{
        "id": "0b5e7c0e-0000-4000-8000-000000000001",
        "repair_id": v["repairs"][0]["id"],
        "partner_id": alex,
        "response": "forgive",
        "note": "",
        "at": "2026-11-23T20:00:00Z",
        "evening": "2026-11-23"
    }]);
    let mut other = Store::open_in_memory().unwrap();
    let err = duet::transfer::import_json(&mut other, &v.to_string(), now()).unwrap_err();
    assert!(err.to_string().contains("other partner"), "{err}");
    assert!(other.partners().unwrap().is_empty(), "nothing was imported");
}

#[test]
fn from_the_shell_a_repair_is_taken_answered_not_yet_and_later_forgiven() {
    let j = Journal::new();
    j.setup();
    let out = j.ok(&[
        "repair",
        "I checked my phone while you talked, but work was busy",
        "--affected",
        "You may have felt unheard",
        "--differently",
        "Phone away when we talk",
        "--by",
        "Alex",
    ]);
    assert!(out.contains("Sam can answer when they're ready"), "{out}");
    assert!(out.contains("“but”"), "a gentle note on the excuse: {out}");
    let list = j.ok(&["repairs"]);
    assert!(list.contains("not answered yet"), "{list}");
    let id = list.split_whitespace().next().unwrap().to_string();
    let out = j.ok(&["respond", &id, "not-yet", "--note", "I need a day"]);
    assert!(out.contains("not yet"), "{out}");
    j.ok(&["respond", &id, "forgive"]);
    let list = j.ok(&["repairs"]);
    assert!(list.contains("Sam: I forgive you"), "{list}");
    // Refusals: one line each, nothing changed.
    j.refused(
        &["respond", &id, "maybe"],
        1,
        "heard, thanks, forgive or not-yet",
    );
    j.refused(&["respond", "zzzz", "thanks"], 1, "isn't a repair's id");
    j.refused(
        &["respond", &id, "thanks", "--by", "Alex"],
        1,
        "other partner",
    );
    j.refused(&["repair", "I was late"], 1, "--by Alex");
    j.refused(&["repair", "", "--by", "Alex"], 1, "can't be empty");
    let export: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    assert_eq!(export["repair_responses"].as_array().unwrap().len(), 2);
    // The summary counts them and keeps their words out.
    let md = j.ok(&["export", "--format", "markdown"]);
    assert!(md.contains("## Repairs"), "{md}");
    assert!(md.contains("Responsibility taken: 1 time"), "{md}");
    assert!(md.contains("Answered so far: 1 (forgiven 1"), "{md}");
    assert!(
        !md.contains("not yet"),
        "a 'not yet' later answered isn't counted: {md}"
    );
    assert!(
        !md.contains("checked my phone") && !md.contains("need a day"),
        "{md}"
    );
    // The words go in only once both chose so, each for themselves.
    let said = j.ok(&["repairs", "--share-words", "--by", "Alex"]);
    assert!(said.contains("once you both said yes"), "{said}");
    let md = j.ok(&["export", "--format", "markdown"]);
    assert!(!md.contains("checked my phone"), "{md}");
    j.ok(&["repairs", "--share-words", "--by", "Sam"]);
    let md = j.ok(&["export", "--format", "markdown"]);
    assert!(
        md.contains("checked my phone") && md.contains("You both chose"),
        "{md}"
    );
    j.ok(&["repairs", "--keep-words", "--by", "Sam"]);
    let md = j.ok(&["export", "--format", "markdown"]);
    assert!(!md.contains("checked my phone"), "{md}");
    // The evening reads back with it.
    let shown = j.ok(&["show", "today"]);
    assert!(
        shown.contains("Repair: Alex took responsibility"),
        "{shown}"
    );
}

#[test]
fn in_the_app_a_repair_is_written_then_answered_and_its_do_differently_proposed() {
    let mut app = app();
    go(&mut app, Pane::Repairs);
    assert!(screen(&app).contains("No repairs yet"));
    keys(&mut app, "t");
    choose_who(&mut app, "Alex");
    type_into(
        &mut app,
        "What happened",
        "I forgot to text that I'd be late",
    );
    type_into(
        &mut app,
        "What I'll do differently",
        "Text as soon as I know",
    );
    save(&mut app);
    assert!(app.overlay().is_none(), "{:?}", app.overlay());
    assert!(screen(&app).contains("no answer yet"), "{}", screen(&app));
    // Sam answers: not yet, then later thank you.
    keys(&mut app, "a");
    assert!(screen(&app).contains("Sam's answer"), "{}", screen(&app));
    choose(&mut app, "Your answer", "Not yet");
    save(&mut app);
    keys(&mut app, "a");
    choose(&mut app, "Your answer", "Thank you");
    save(&mut app);
    let all = app.store().repairs().unwrap();
    let said: Vec<Response> = all[0].responses.iter().map(|a| a.response).collect();
    assert_eq!(said, vec![Response::NotYet, Response::Thanks]);
    // i: each partner's own choice about the summary.
    keys(&mut app, "i");
    choose_who(&mut app, "Sam");
    assert!(app
        .message()
        .unwrap()
        .text
        .contains("once you both said yes"));
    let sam = app.store().couple().unwrap()[1].id.clone();
    assert!(app.store().shares_repair_words(&sam).unwrap());
    assert!(!app.store().both_share_repair_words().unwrap());
    // Enter reads it all, with both answers.
    press(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("Not yet") && s.contains("Thank you"), "{s}");
    press(&mut app, KeyCode::Esc);
    // p: "do differently" becomes Alex's proposal in one step.
    keys(&mut app, "p");
    assert_eq!(form(&app).text("title"), "Text as soon as I know");
    save(&mut app);
    let proposed = app.store().agreements(None).unwrap();
    assert_eq!(proposed[0].title, "Text as soon as I know");
    assert_eq!(proposed[0].proposed_by, all[0].repair.by);
}

#[test]
fn another_prompt_stays_for_the_evening_and_a_star_is_remembered() {
    let mut app = app();
    let evening = app.evening();
    let first = app.tonight().prompt.unwrap().id.clone();
    keys(&mut app, "n");
    let second = app.tonight().prompt.unwrap().id.clone();
    assert_ne!(first, second);
    assert_eq!(
        app.store().evening_prompt(evening).unwrap().as_deref(),
        Some(second.as_str())
    );
    // Read again (as after a restart): the same prompt.
    app.update(duet::action::Action::GoPane(Pane::Wins));
    go(&mut app, Pane::Tonight);
    assert_eq!(app.tonight().prompt.unwrap().id, second);
    keys(&mut app, "*");
    choose_who(&mut app, "Sam");
    assert!(screen(&app).contains("★ starred"), "{}", screen(&app));
    assert_eq!(app.store().starred_prompts().unwrap(), vec![second.clone()]);
    // Once someone answered tonight's prompt, it stays.
    open_check_in(&mut app, "Alex");
    rate(&mut app, "How did today feel?", 4);
    rate(&mut app, "How close do you feel", 4);
    type_into(&mut app, "Tonight's prompt", "My patience with mornings");
    save(&mut app);
    keys(&mut app, "n");
    assert_eq!(app.tonight().prompt.unwrap().id, second);
}
