//! The store against real files: every table round trip, migrations, refusals, file modes.

use std::os::unix::fs::PermissionsExt;

use chrono::{DateTime, NaiveDate, Utc};
use duet::domain::{AgreementDraft, AgreementStatus, CheckInDraft, Meeting, ReviewMark, WinDraft};
use duet::error::StoreError;
use duet::store::{self, Store, WinFilter};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T20:15:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn evening() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn couple(store: &mut Store) -> (String, String) {
    let [a, b] = store.set_partners(["Alex", "Sam"], now()).unwrap();
    (a.id, b.id)
}

#[test]
fn migrations_are_numbered_in_order_and_valid() {
    let files = store::migration_files();
    assert!(!files.is_empty());
    for (i, (name, _)) in files.iter().enumerate() {
        let n: usize = name.split('_').next().unwrap().parse().unwrap();
        assert_eq!(n, i + 1, "{name} is out of sequence");
    }
    store::migrations().validate().unwrap();
}

#[test]
fn every_file_in_the_migrations_folder_is_compiled_in() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = store::migration_files()
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    assert_eq!(
        listed, on_disk,
        "list each new migration in src/store/mod.rs"
    );
}

#[test]
fn a_new_file_is_private_and_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/duet.db");
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), store::supported_version());
    couple(&mut s); // forces a write, so -wal and -shm exist while open
    for suffix in ["", "-wal", "-shm"] {
        let p = dir.path().join(format!("nested/folder/duet.db{suffix}"));
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} has mode {mode:o}", p.display());
    }
    let folder = std::fs::metadata(dir.path().join("nested/folder")).unwrap();
    assert_eq!(
        folder.permissions().mode() & 0o077,
        0,
        "folder is readable by others"
    );
    drop(s);
    // Reopening an up-to-date file works and keeps the data.
    let s = Store::open(&path).unwrap();
    assert_eq!(s.partners().unwrap().len(), 2);
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duet.db");
    drop(Store::open(&path).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer duet"));
    assert_eq!(std::fs::read(&path).unwrap(), before, "file changed");
    assert!(!dir.path().join("duet.db-wal").exists());
}

#[test]
fn files_that_are_not_duet_databases_get_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("zero.db", vec![]),
        ("text.db", b"hello, this is not sqlite at all\n".repeat(200)),
        (
            "random.db",
            (0..8191u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
        ),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let err = Store::open(&path)
            .err()
            .unwrap_or_else(|| panic!("{name} opened"));
        let msg = err.to_string();
        assert!(msg.contains("isn't a duet database"), "{name}: {msg}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} changed");
    }
    // Whole pages of random bytes are what a locked journal looks like: they can only be told
    // apart by trying a passphrase, and trying one changes nothing either.
    let random = dir.path().join("random-pages.db");
    let bytes: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&random, &bytes).unwrap();
    assert!(matches!(
        Store::open(&random),
        Err(StoreError::Locked { .. })
    ));
    let key = duet::domain::Passphrase::typed("anything at all");
    assert!(matches!(
        Store::open_with(&random, Some(&key)),
        Err(StoreError::WrongPassphrase)
    ));
    assert_eq!(
        std::fs::read(&random).unwrap(),
        bytes,
        "random pages changed"
    );
    // A truncated duet file.
    let good = dir.path().join("good.db");
    {
        let mut s = Store::open(&good).unwrap();
        couple(&mut s);
    }
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    match Store::open(&cut) {
        Err(e) => assert!(!e.to_string().is_empty()),
        Ok(s) => {
            // SQLite may open a truncated file; reading it must then fail calmly, not panic.
            let r = s.snapshot();
            assert!(r.is_err() || !s.integrity_ok().unwrap_or(false));
        }
    }
    // Another program's SQLite database.
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x);")
        .unwrap();
    let err = Store::open(&other).err().expect("refused");
    assert!(matches!(err, StoreError::ForeignDatabase { .. }), "{err}");
}

#[test]
fn partners_and_settings_round_trip() {
    let mut s = Store::open_in_memory().unwrap();
    assert!(matches!(s.couple(), Err(StoreError::NoPartners)));
    let [a, b] = s.set_partners(["Alex", "Sam"], now()).unwrap();
    assert_eq!((a.seat.number(), b.seat.number()), (1, 2));
    assert_ne!(a.id, b.id);
    assert!(uuid::Uuid::parse_str(&a.id).is_ok());
    // Renaming keeps the ids.
    let [a2, _] = s.set_partners(["Alexandra", "Sam"], now()).unwrap();
    assert_eq!(a2.id, a.id);
    assert_eq!(a2.name, "Alexandra");
    assert!(s.set_partners(["Sam", "sam"], now()).is_err());
    assert!(s.set_partners(["", "Sam"], now()).is_err());

    let mut st = s.settings().unwrap();
    assert_eq!(st, duet::domain::Settings::default());
    st.weekly_weekday = chrono::Weekday::Wed;
    st.weekly_time = chrono::NaiveTime::from_hms_opt(8, 15, 0).unwrap();
    s.save_settings(&st, now()).unwrap();
    // A new weekly day or time counts from when it was saved; anything else leaves that be.
    let saved = s.settings().unwrap();
    assert_eq!(saved.weekly_from, Some(now()));
    assert_eq!(
        saved,
        duet::domain::Settings {
            weekly_from: Some(now()),
            ..st
        }
    );
    let later = now() + chrono::Duration::days(3);
    let mut boundary = saved;
    boundary.day_boundary = chrono::NaiveTime::from_hms_opt(3, 0, 0).unwrap();
    s.save_settings(&boundary, later).unwrap();
    assert_eq!(s.settings().unwrap().weekly_from, Some(now()));
    let mut time = boundary;
    time.weekly_time = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
    s.save_settings(&time, later).unwrap();
    assert_eq!(s.settings().unwrap().weekly_from, Some(later));
}

#[test]
fn checkins_round_trip_and_update_in_place() {
    let mut s = Store::open_in_memory().unwrap();
    let (a, b) = couple(&mut s);
    let draft = CheckInDraft {
        mood: 4,
        closeness: 3,
        appreciation: "You made dinner 🍝".into(),
        need: "An early night".into(),
        prompt_id: Some("honest-01".into()),
        prompt_answer: "当然".into(),
        note: String::new(),
    };
    let c1 = s.save_checkin(&a, evening(), &draft, now()).unwrap();
    assert_eq!(s.checkin(&a, evening()).unwrap().unwrap(), c1);
    assert!(s.checkin(&b, evening()).unwrap().is_none());
    let later = now() + chrono::Duration::minutes(5);
    let c2 = s
        .save_checkin(
            &a,
            evening(),
            &CheckInDraft {
                mood: 5,
                ..draft.clone()
            },
            later,
        )
        .unwrap();
    assert_eq!(c2.id, c1.id);
    assert_eq!(c2.created_at, c1.created_at);
    assert_eq!(c2.updated_at, later);
    assert_eq!(c2.mood, 5);
    assert_eq!(s.checkin_count().unwrap(), 1);
    assert!(s
        .save_checkin(&a, evening(), &CheckInDraft { mood: 6, ..draft }, now())
        .is_err());
}

#[test]
fn agreements_need_the_other_partners_consent_and_keep_history() {
    let mut s = Store::open_in_memory().unwrap();
    let (a, b) = couple(&mut s);
    let draft = AgreementDraft {
        title: "Phones away at dinner".into(),
        details: "Both of us, every evening.".into(),
        category: "attention".into(),
        review_every_weeks: 2,
    };
    let ag = s.propose_agreement(&a, &draft, evening(), now()).unwrap();
    assert_eq!(ag.status, AgreementStatus::Proposed);
    assert!(
        s.consent_agreement(&ag.id, &a, evening(), now()).is_err(),
        "proposer agreed for both"
    );
    let ag = s.consent_agreement(&ag.id, &b, evening(), now()).unwrap();
    assert_eq!(ag.status, AgreementStatus::Agreed);
    assert_eq!(ag.next_review, Some(evening() + chrono::Duration::weeks(2)));

    // Editing the words sends it back to proposed; only the editor's consent remains.
    let edited = AgreementDraft {
        title: "Phones away at meals".into(),
        ..draft.clone()
    };
    let ag = s
        .edit_agreement(&ag.id, &b, &edited, evening(), now())
        .unwrap();
    assert_eq!(ag.status, AgreementStatus::Proposed);
    assert!(ag.has_consented(&b) && !ag.has_consented(&a));
    let ag = s.consent_agreement(&ag.id, &a, evening(), now()).unwrap();
    assert_eq!(ag.status, AgreementStatus::Agreed);

    let ag = s
        .review_agreement(
            &ag.id,
            Some(&a),
            ReviewMark::Struggled,
            "Hard on Fridays",
            evening(),
            now(),
        )
        .unwrap();
    assert_eq!(ag.status, AgreementStatus::Agreed);
    let ag = s
        .review_agreement(&ag.id, Some(&b), ReviewMark::Revisit, "", evening(), now())
        .unwrap();
    assert_eq!(ag.status, AgreementStatus::Revisit);
    let ag = s
        .set_agreement_status(&ag.id, &a, AgreementStatus::Retired, evening(), now())
        .unwrap();
    assert_eq!(ag.status, AgreementStatus::Retired);

    let kinds: Vec<String> = s
        .agreement_events(&ag.id)
        .unwrap()
        .into_iter()
        .map(|e| e.kind.as_str().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "proposed",
            "consented",
            "agreed",
            "edited",
            "consented",
            "agreed",
            "reviewed",
            "reviewed",
            "retired"
        ]
    );
    let edit = &s.agreement_events(&ag.id).unwrap()[3];
    assert_eq!(edit.detail["title"]["from"], "Phones away at dinner");
    assert_eq!(edit.detail["title"]["to"], "Phones away at meals");
    assert_eq!(edit.detail["status"]["to"], "proposed");
    assert_eq!(
        s.agreements(Some(AgreementStatus::Retired)).unwrap().len(),
        1
    );
    assert!(s
        .agreements(Some(AgreementStatus::Agreed))
        .unwrap()
        .is_empty());
}

#[test]
fn wins_filter_and_celebrate_once() {
    let mut s = Store::open_in_memory().unwrap();
    let (a, b) = couple(&mut s);
    let add = |s: &mut Store, by: &str, text: &str, about: Option<&str>, tags: &[&str]| {
        let d = WinDraft {
            text: text.into(),
            about: about.map(String::from),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        };
        s.add_win(by, &d, evening(), now()).unwrap()
    };
    let (w1, n1) = add(&mut s, &a, "Sam made coffee", Some(&b), &["Morning"]);
    let (_w2, n2) = add(
        &mut s,
        &b,
        "We walked 100% of the way",
        None,
        &["outside", "us"],
    );
    assert_eq!((n1, n2), (1, 2));
    assert_eq!(w1.tags, ["morning"]);
    assert!(
        s.celebrate_win(&w1.id, &a, now()).is_err(),
        "own win celebrated"
    );
    let w1c = s.celebrate_win(&w1.id, &b, now()).unwrap();
    assert_eq!(w1c.celebrated_by.as_deref(), Some(b.as_str()));
    assert!(
        s.celebrate_win(&w1.id, &b, now()).is_err(),
        "celebrated twice"
    );

    let f = |person: Option<&str>, tag: Option<&str>, text: Option<&str>| WinFilter {
        person: person.map(String::from),
        tag: tag.map(String::from),
        text: text.map(String::from),
    };
    assert_eq!(s.wins(&f(None, None, None), 10).unwrap().len(), 2);
    assert_eq!(s.wins(&f(Some("us"), None, None), 10).unwrap().len(), 1);
    assert_eq!(
        s.wins(&f(None, Some("morning"), None), 10).unwrap().len(),
        1
    );
    assert_eq!(s.wins(&f(None, None, Some("100%")), 10).unwrap().len(), 1);
    assert_eq!(
        s.wins(&f(None, None, Some("%")), 10).unwrap().len(),
        1,
        "% is literal"
    );
    assert_eq!(s.wins(&f(Some(&b), None, None), 10).unwrap().len(), 2);
    assert_eq!(s.win_tags().unwrap().len(), 3);
}

/// The weekly check-in's agreement marks and the step that gave them land together: when the
/// step can't be saved, no mark is left recorded for it.
#[test]
fn a_step_and_its_agreement_marks_are_saved_together_or_not_at_all() {
    let mut s = Store::open_in_memory().unwrap();
    let (a, b) = couple(&mut s);
    let draft = AgreementDraft {
        title: "Phones away at dinner".into(),
        review_every_weeks: 1,
        ..Default::default()
    };
    let ag = s.propose_agreement(&a, &draft, evening(), now()).unwrap();
    s.consent_agreement(&ag.id, &b, evening(), now()).unwrap();
    let events_before = s.agreement_events(&ag.id).unwrap().len();
    let agreement_before = s.agreement(&ag.id).unwrap();
    let week = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    s.save_meeting(&Meeting::new(week, now())).unwrap();
    // Another meeting for the same week can't be saved: the step fails after the mark.
    let clash = Meeting::new(week, now());
    let result = s.atomically(|s| {
        s.review_agreement(&ag.id, None, ReviewMark::Honored, "", evening(), now())?;
        s.save_meeting(&clash)
    });
    assert!(result.is_err());
    assert_eq!(s.agreement_events(&ag.id).unwrap().len(), events_before);
    assert_eq!(
        s.agreement(&ag.id).unwrap(),
        agreement_before,
        "the next review moved on"
    );
    // And when the step saves, both are there.
    let mut fine = s.meeting_for_week(week).unwrap().unwrap();
    fine.answers.step = Some(4);
    s.atomically(|s| {
        s.review_agreement(&ag.id, None, ReviewMark::Honored, "", evening(), now())?;
        s.save_meeting(&fine)
    })
    .unwrap();
    assert_eq!(s.agreement_events(&ag.id).unwrap().len(), events_before + 1);
    assert_eq!(
        s.meeting_for_week(week).unwrap().unwrap().answers.step,
        Some(4)
    );
}

#[test]
fn meetings_round_trip() {
    let mut s = Store::open_in_memory().unwrap();
    couple(&mut s);
    let m = Meeting {
        id: duet::domain::new_id(),
        week: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        started_at: now(),
        answers: serde_json::from_value(
            serde_json::json!({"appreciations": {"p1": "You listened"}}),
        )
        .unwrap(),
        intentions: vec!["Walk on Saturday".into()],
        completed_at: None,
        skipped_at: None,
        skip_reason: None,
        updated_at: now(),
        revision: 1,
    };
    s.save_meeting(&m).unwrap();
    let mut done = m.clone();
    done.completed_at = Some(now());
    s.save_meeting(&done).unwrap();
    // The second save is the meeting's second revision.
    let done = Meeting {
        revision: 2,
        ..done
    };
    assert_eq!(s.meeting_for_week(m.week).unwrap().unwrap(), done);
    assert_eq!(s.recent_meetings(5).unwrap().len(), 1);
}

#[test]
fn trend_aggregates_group_by_week_month_and_evening() {
    let mut s = Store::open_in_memory().unwrap();
    let (a, b) = couple(&mut s);
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    // Wins on Sun 22 Nov, Mon 23 Nov, Tue 24 Nov: the Sunday belongs to the week of Mon 16.
    for (day, text) in [
        (d(2026, 11, 22), "a"),
        (d(2026, 11, 23), "b"),
        (d(2026, 11, 24), "c"),
    ] {
        let w = WinDraft {
            text: text.into(),
            ..Default::default()
        };
        s.add_win(&a, &w, day, now()).unwrap();
    }
    assert_eq!(
        s.wins_per_week(d(2026, 11, 1), d(2026, 11, 30)).unwrap(),
        [(d(2026, 11, 16), 1), (d(2026, 11, 23), 2)]
    );
    assert_eq!(
        s.count_wins_between(d(2026, 11, 23), d(2026, 11, 30))
            .unwrap(),
        2
    );

    let checkin = CheckInDraft {
        mood: 3,
        closeness: 4,
        ..Default::default()
    };
    s.save_checkin(&a, d(2026, 11, 20), &checkin, now())
        .unwrap();
    s.save_checkin(&a, d(2026, 11, 21), &checkin, now())
        .unwrap();
    s.save_checkin(&b, d(2026, 11, 21), &checkin, now())
        .unwrap();
    assert_eq!(
        s.checkins_per_evening(d(2026, 11, 1), d(2026, 11, 30))
            .unwrap(),
        [(d(2026, 11, 20), 1), (d(2026, 11, 21), 2)]
    );
    let ratings = s.ratings_between(d(2026, 11, 21), d(2026, 11, 21)).unwrap();
    assert_eq!(
        ratings.iter().map(|r| r.seat.number()).collect::<Vec<_>>(),
        [1, 2]
    );

    let draft = AgreementDraft {
        title: "Kind words".into(),
        review_every_weeks: 1,
        ..Default::default()
    };
    let ag = s
        .propose_agreement(&a, &draft, d(2026, 10, 1), now())
        .unwrap();
    s.consent_agreement(&ag.id, &b, d(2026, 10, 1), now())
        .unwrap();
    for (day, mark) in [
        (d(2026, 10, 8), ReviewMark::Honored),
        (d(2026, 10, 15), ReviewMark::Struggled),
        (d(2026, 11, 5), ReviewMark::Honored),
    ] {
        s.review_agreement(&ag.id, Some(&a), mark, "", day, now())
            .unwrap();
    }
    assert_eq!(
        s.reviews_by_month(d(2026, 1, 1), d(2026, 12, 31)).unwrap(),
        [("2026-10".to_string(), 1, 2), ("2026-11".to_string(), 1, 1)]
    );
}

/// When the weekly day last changed goes out in the export and comes back in the import, as
/// every setting does.
#[test]
fn the_weekly_change_time_round_trips_through_export_and_import() {
    let mut s = Store::open_in_memory().unwrap();
    couple(&mut s);
    let mut st = s.settings().unwrap();
    st.weekly_weekday = chrono::Weekday::Thu;
    s.save_settings(&st, now()).unwrap();
    let json = duet::transfer::export_json(&s).unwrap();
    assert!(json.contains("\"weekly_from\""), "{json}");
    let mut fresh = Store::open_in_memory().unwrap();
    let snapshot = duet::transfer::parse(&json).unwrap();
    fresh.import_snapshot(&snapshot, now()).unwrap();
    assert_eq!(fresh.settings().unwrap(), s.settings().unwrap());
    assert_eq!(fresh.settings().unwrap().weekly_from, Some(now()));
}

/// A settings row from the other device with a change time the journal couldn't read back is
/// refused, and the journal stays readable.
#[test]
fn a_synced_weekly_change_time_out_of_range_is_refused() {
    let mut s = Store::open_in_memory().unwrap();
    couple(&mut s);
    let mut row = s
        .synced_row(store::SyncTable::Settings, "settings")
        .unwrap()
        .unwrap();
    row["weekly_from"] = serde_json::json!("+20000-01-01T00:00:00Z");
    assert!(matches!(
        s.put_synced_row(store::SyncTable::Settings, &row),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(s.settings().unwrap().weekly_from, None);
    row["weekly_from"] = serde_json::json!("2026-11-20T10:00:00Z");
    assert!(s.put_synced_row(store::SyncTable::Settings, &row).unwrap());
    assert!(s.settings().unwrap().weekly_from.is_some());
}
