//! An import never crashes, poisons, drops or doubles: every file is checked whole, and what it
//! can't keep it refuses by name, changing nothing.

mod common;

use common::journal::Journal;
use serde_json::{json, Value};

/// A year of a made-up couple, exported: every kind of row there is.
fn exported() -> (Journal, Value) {
    let j = Journal::new();
    j.ok(&["demo", "--years", "1"]);
    let text = j.ok(&["export"]);
    (j, serde_json::from_str(&text).unwrap())
}

/// The export, changed by `edit`, written beside the journal.
fn file_with(j: &Journal, export: &Value, edit: impl FnOnce(&mut Value)) -> String {
    let mut v = export.clone();
    edit(&mut v);
    let path = j.dir().join("edited.json");
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

fn a_held_meeting(v: &Value) -> usize {
    v["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .position(|m| m["completed_at"].is_string())
        .unwrap()
}

#[test]
fn meeting_answers_of_another_shape_are_refused_by_place() {
    let (j, export) = exported();
    let fresh = Journal::new();
    for bad in [json!([]), json!("x"), json!(7), json!({"hard": "x"})] {
        let file = file_with(&j, &export, |v| v["meetings"][0]["answers"] = bad.clone());
        fresh.refused(&["import", &file], 1, "$.meetings[0].answers");
        assert!(!fresh.path.exists(), "a refused file created a journal");
    }
}

#[test]
fn a_journal_with_answers_of_another_shape_is_one_calm_line_never_a_panic() {
    let (j, _) = exported();
    let conn = rusqlite::Connection::open(&j.path).unwrap();
    conn.execute("UPDATE meetings SET answers = '[]'", [])
        .unwrap();
    drop(conn);
    for args in [&["export"][..], &["export", "--format", "markdown"], &[]] {
        j.refused(args, 1, "part of the journal can't be read (answers)");
    }
}

#[test]
fn dates_outside_the_years_0000_to_9999_are_refused() {
    let (j, export) = exported();
    let fresh = Journal::new();
    let cases = [
        (
            "/wins/0/created_at",
            "-0001-12-31T23:00:00Z",
            "$.wins[0].created_at",
        ),
        (
            "/checkins/0/evening",
            "+10000-01-01",
            "$.checkins[0].evening",
        ),
        (
            "/settings/weekly_from",
            "+20000-01-01T00:00:00Z",
            "$.settings.weekly_from",
        ),
    ];
    for (pointer, bad, at) in cases {
        let file = file_with(&j, &export, |v| {
            match v.pointer_mut(pointer) {
                Some(place) => *place = json!(bad),
                // A setting the export leaves out while it is unset.
                None => {
                    let (parent, key) = pointer.rsplit_once('/').unwrap();
                    v.pointer_mut(parent).unwrap()[key] = json!(bad);
                }
            }
        });
        let out = fresh.run(&["import", &file]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(at), "{at}: {err}");
        assert!(!fresh.path.exists());
    }
}

#[test]
fn the_same_export_with_ids_spelled_another_way_adds_nothing() {
    let (j, export) = exported();
    let wins_before = export["wins"].as_array().unwrap().len();
    let respell: [fn(&str) -> String; 4] = [
        |id| id.to_uppercase(),
        |id| format!("{{{id}}}"),
        |id| format!("urn:uuid:{id}"),
        |id| id.replace('-', ""),
    ];
    for spell in respell {
        let text = serde_json::to_string(&export).unwrap();
        let mut respelled = text.clone();
        for id in ids_in(&export) {
            respelled = respelled.replace(&id, &spell(&id));
        }
        assert_ne!(respelled, text);
        let path = j.dir().join("respelled.json");
        std::fs::write(&path, respelled).unwrap();
        let said = j.ok(&["import", path.to_str().unwrap()]);
        assert!(said.starts_with("Imported 0 rows"), "{said}");
    }
    let now: Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    assert_eq!(now["wins"].as_array().unwrap().len(), wins_before);
}

/// Every UUID in the export, longest first is not needed: they are all the same length.
fn ids_in(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut walk = vec![v];
    while let Some(x) = walk.pop() {
        match x {
            Value::String(s) if uuid_like(s) => out.push(s.clone()),
            Value::Array(xs) => walk.extend(xs),
            Value::Object(o) => {
                out.extend(o.keys().filter(|k| uuid_like(k)).cloned());
                walk.extend(o.values());
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4
}

#[test]
fn a_check_in_for_an_evening_already_here_is_never_dropped() {
    let (j, export) = exported();
    let new_id = "6f1d1c8e-2b0a-4c8e-9a4e-2d3c4b5a6f70";
    // The same evening, the same partner, another id and other words: refused by name.
    let other = file_with(&j, &export, |v| {
        v["checkins"][0]["id"] = json!(new_id);
        v["checkins"][0]["appreciation"] = json!("Words that are nowhere else");
    });
    j.refused(&["import", &other], 1, "$.checkins[0]");
    // The same words under another id are the same check-in.
    let same = file_with(&j, &export, |v| v["checkins"][0]["id"] = json!(new_id));
    let said = j.ok(&["import", &same]);
    assert!(said.starts_with("Imported 0 rows"), "{said}");
}

#[test]
fn a_weekly_check_in_for_a_week_already_here_is_never_dropped() {
    let (j, export) = exported();
    let i = a_held_meeting(&export);
    let file = file_with(&j, &export, |v| {
        v["meetings"][i]["id"] = json!("0b7e5d2c-1a3f-4e6d-8c9b-7a6f5e4d3c2b");
        v["meetings"][i]["intentions"] = json!(["An intention that is nowhere else"]);
    });
    j.refused(&["import", &file], 1, &format!("$.meetings[{i}]"));
}

#[test]
fn every_text_field_refuses_control_characters() {
    let (j, export) = exported();
    let fresh = Journal::new();
    let i = a_held_meeting(&export);
    let reset = "\u{1b}c";
    let cases = [
        (
            format!("$.meetings[{i}].intentions[0]"),
            format!("/meetings/{i}/intentions/0"),
        ),
        (
            format!("$.meetings[{i}].answers.went_right"),
            format!("/meetings/{i}/answers/went_right"),
        ),
        (
            "$.agreement_events[0].detail.title".into(),
            "/agreement_events/0/detail/title".into(),
        ),
    ];
    for (at, pointer) in cases {
        let file = file_with(&j, &export, |v| match v.pointer_mut(&pointer) {
            Some(x) => *x = json!(reset),
            // A place the demo leaves out is added.
            None => {
                let (parent, name) = pointer.rsplit_once('/').unwrap();
                v.pointer_mut(parent).unwrap()[name] = json!(reset);
            }
        });
        let out = fresh.run(&["import", &file]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&at) && err.contains("control character"),
            "{at}: {err}"
        );
        assert!(
            !err.contains('\u{1b}'),
            "the escape reached the terminal: {err:?}"
        );
    }
}

#[test]
fn a_file_too_large_to_be_an_export_is_refused_before_it_is_read() {
    let j = Journal::new();
    let path = j.dir().join("huge.json");
    let f = std::fs::File::create(&path).unwrap();
    // Sparse: no time or disk is spent making it, and reading it would take both.
    f.set_len(duet::transfer::MAX_IMPORT_BYTES + 1).unwrap();
    j.refused(
        &["import", path.to_str().unwrap()],
        1,
        "larger than an export can be",
    );
    assert!(!j.path.exists());
}
