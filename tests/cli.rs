//! The real `duet` binary against a temporary journal.

mod common;

use common::binary;
use common::journal::{file_contains, Journal};

#[test]
fn a_new_couple_sets_up_logs_and_sees_it_in_status_and_export() {
    let j = Journal::new();
    let out = j.ok(&[
        "setup",
        "--partner",
        "Alex",
        "--partner",
        "Sam",
        "--weekly",
        "sun 19:00",
    ]);
    assert!(out.contains("Alex and Sam"), "{out}");
    assert!(out.contains("Sunday at 19:00"), "{out}");
    let out = j.ok(&[
        "win",
        "Sam made coffee ☕",
        "--by",
        "alex",
        "--about",
        "Sam",
        "--tag",
        "morning",
    ]);
    assert!(out.contains("Saved"), "{out}");
    j.ok(&[
        "checkin",
        "--by",
        "Sam",
        "--mood",
        "4",
        "--closeness",
        "5",
        "--appreciation",
        "The coffee",
    ]);
    let status = j.ok(&["status"]);
    assert!(status.contains("Alex & Sam"), "{status}");
    assert!(status.contains("Sam checked in"), "{status}");
    assert!(status.contains("Alex not yet"), "{status}");
    assert!(status.contains("Weekly check-in"), "{status}");
    assert!(status.contains("Wins: 1"), "{status}");

    let json: serde_json::Value = serde_json::from_str(&j.ok(&["status", "--json"])).unwrap();
    assert_eq!(json["counts"]["wins"], 1);
    assert_eq!(json["partners"][1]["checked_in_tonight"], true);
    assert!(json["weekly"]["status"]["state"].is_string());

    let export: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    assert_eq!(export["format"], "duet-export");
    assert_eq!(export["version"], 4);
    assert_eq!(export["wins"][0]["text"], "Sam made coffee ☕");
    assert_eq!(export["checkins"][0]["appreciation"], "The coffee");
}

#[test]
fn checking_in_again_updates_tonights_entry() {
    let j = Journal::new();
    j.setup();
    j.ok(&[
        "checkin",
        "--by",
        "Alex",
        "--mood",
        "2",
        "--closeness",
        "3",
        "--need",
        "Quiet",
    ]);
    j.ok(&["checkin", "--by", "Alex", "--mood", "4", "--closeness", "3"]);
    let export: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    let checkins = export["checkins"].as_array().unwrap();
    assert_eq!(checkins.len(), 1);
    assert_eq!(checkins[0]["mood"], 4);
    assert_eq!(
        checkins[0]["need"], "Quiet",
        "an update without --need kept the need"
    );
}

#[test]
fn export_then_import_into_a_fresh_journal_gives_the_same_export() {
    let j = Journal::new();
    j.setup();
    j.ok(&["win", "A calm talk", "--tag", "talk"]);
    j.ok(&["checkin", "--by", "Alex", "--mood", "3", "--closeness", "4"]);
    let file = j.dir().join("export.json");
    let out = j.ok(&["export", "--out", file.to_str().unwrap()]);
    assert!(out.contains("plain text"), "{out}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let k = Journal::new();
    let out = k.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("Imported"), "{out}");
    assert_eq!(j.ok(&["export"]), k.ok(&["export"]));
    // Importing again doubles nothing.
    let out = k.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("Imported 0 rows"), "{out}");
    assert_eq!(j.ok(&["export"]), k.ok(&["export"]));
}

#[test]
fn commands_before_setup_say_to_run_setup() {
    let j = Journal::new();
    for args in [
        &["status"][..],
        &["win", "hi"],
        &["agreements"],
        &["checkin", "--by", "A", "--mood", "3", "--closeness", "3"],
    ] {
        let out = j.duet().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("duet setup"),
            "{args:?}"
        );
    }
}

#[test]
fn bad_input_gets_one_clear_line_and_changes_nothing() {
    let j = Journal::new();
    j.setup();
    j.ok(&["win", "First"]);
    let long = "x".repeat(2001);
    let forty_one = "n".repeat(41);
    j.refused(&["win", ""], 1, "can't be empty");
    j.refused(&["win", "   "], 1, "can't be empty");
    j.refused(&["win", &long], 1, "too long");
    j.refused(&["win", "bell\u{7}"], 1, "control character");
    j.refused(
        &["win", "hi", "--by", "Bob"],
        1,
        "no partner called \"Bob\"",
    );
    j.refused(&["win", "hi", "--about", "Bob"], 1, "no partner called");
    j.refused(&["win", "hi", "--tag", "two words"], 1, "one word");
    j.refused(
        &["checkin", "--by", "Alex", "--mood", "0", "--closeness", "3"],
        1,
        "from 1 to 5",
    );
    j.refused(
        &["checkin", "--by", "Alex", "--mood", "3", "--closeness", "6"],
        1,
        "from 1 to 5",
    );
    j.refused(
        &[
            "checkin",
            "--by",
            "Alex",
            "--mood",
            "-1",
            "--closeness",
            "3",
        ],
        1,
        "from 1 to 5",
    );
    j.refused(
        &[
            "checkin",
            "--by",
            "Alex",
            "--mood",
            "three",
            "--closeness",
            "3",
        ],
        2,
        "invalid value",
    );
    j.refused(
        &[
            "checkin",
            "--by",
            "Nobody",
            "--mood",
            "3",
            "--closeness",
            "3",
        ],
        1,
        "no partner called",
    );
    j.refused(
        &["setup", "--partner", "", "--partner", "Sam"],
        1,
        "can't be empty",
    );
    j.refused(
        &["setup", "--partner", &forty_one, "--partner", "Sam"],
        1,
        "too long",
    );
    j.refused(&["setup", "--partner", "Solo"], 1, "exactly twice");
    j.refused(
        &["setup", "--weekly", "funday 19:00"],
        1,
        "isn't a weekly time",
    );
    j.refused(
        &["setup", "--weekly", "sun 25:00"],
        1,
        "isn't a weekly time",
    );
    j.refused(&["setup"], 1, "tell setup what to change");
    j.refused(&["agreements", "--status", "maybe"], 2, "possible values");
    j.refused(&["frobnicate"], 2, "unrecognized subcommand");
    j.refused(&["import", "/nonexistent/file.json"], 1, "can't read");
}

#[test]
fn bad_import_files_name_the_place_and_change_nothing() {
    let j = Journal::new();
    j.setup();
    j.ok(&["win", "First"]);
    let good: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    let mut cases: Vec<(String, &str)> = vec![
        ("{ not json".into(), "not valid JSON at line 1"),
        ("[]".into(), "$: expected a duet export"),
        (r#"{"format":"other","version":1}"#.into(), "$.format"),
        (
            r#"{"format":"duet-export","version":9}"#.into(),
            "newer duet",
        ),
    ];
    let mut edit = |f: &dyn Fn(&mut serde_json::Value), needle: &'static str| {
        let mut v = good.clone();
        f(&mut v);
        cases.push((v.to_string(), needle));
    };
    edit(
        &|v| v["wins"][0]["text"] = "x".repeat(2001).into(),
        "$.wins[0]: the win is too long",
    );
    edit(
        &|v| v["wins"][0]["logged_by"] = "00000000-0000-4000-8000-000000000000".into(),
        "$.wins[0].logged_by: unknown partner",
    );
    edit(
        &|v| v["wins"][0]["evening"] = "2026-02-30".into(),
        "$.wins[0].evening",
    );
    edit(
        &|v| v["wins"][0]["id"] = "not-a-uuid".into(),
        "$.wins[0].id",
    );
    edit(
        &|v| {
            let w = v["wins"][0].clone();
            v["wins"].as_array_mut().unwrap().push(w);
        },
        "appears twice",
    );
    edit(&|v| v["wins"][0]["surprise"] = 1.into(), "unknown field");
    edit(
        &|v| v["partners"].as_array_mut().unwrap().truncate(1),
        "exactly two partners",
    );
    for (i, (text, needle)) in cases.iter().enumerate() {
        let file = j.dir().join(format!("bad{i}.json"));
        std::fs::write(&file, text).unwrap();
        j.refused(&["import", file.to_str().unwrap()], 1, needle);
    }
    let file = j.dir().join("latin1.json");
    std::fs::write(&file, b"{\"format\": \"caf\xe9\"}").unwrap();
    j.refused(&["import", file.to_str().unwrap()], 1, "not UTF-8");
}

#[test]
fn a_bad_journal_file_is_one_line_and_untouched() {
    let j = Journal::new();
    std::fs::write(&j.path, b"").unwrap();
    j.refused(&["status"], 1, "is empty");
    std::fs::write(&j.path, b"just some text, not a database, long enough to have a header ...........................................").unwrap();
    j.refused(&["status"], 1, "isn't a duet database");
}

#[test]
fn help_is_there_for_every_command() {
    let j = Journal::new();
    for cmd in [
        "setup",
        "win",
        "checkin",
        "agreements",
        "status",
        "export",
        "import",
    ] {
        let out = j.ok(&[cmd, "--help"]);
        assert!(out.contains("Usage: duet"), "{cmd}: {out}");
    }
    assert!(!j.path.exists(), "--help created a journal");
}

#[test]
fn remind_is_silent_without_a_journal_and_speaks_when_the_weekly_is_overdue() {
    let j = Journal::new();
    let out = j.duet().arg("remind").output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    assert!(!j.path.exists(), "remind created a journal");

    // A couple set up long ago who never held a weekly check-in.
    let old = Journal::new();
    old.setup();
    let mut export: serde_json::Value = serde_json::from_str(&old.ok(&["export"])).unwrap();
    for p in export["partners"].as_array_mut().unwrap() {
        p["created_at"] = "2020-01-01T00:00:00Z".into();
    }
    let file = j.dir().join("old.json");
    std::fs::write(&file, export.to_string()).unwrap();
    j.ok(&["import", file.to_str().unwrap()]);
    let line = j.ok(&["remind"]);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.contains("overdue") && line.contains("press W"),
        "{line}"
    );
    let status = j.ok(&["status"]);
    assert!(status.contains("overdue"), "{status}");
    let json: serde_json::Value = serde_json::from_str(&j.ok(&["status", "--json"])).unwrap();
    assert_eq!(json["weekly"]["status"]["state"], "overdue");
}

/// DUET_THEME is the app's: a value it doesn't know never stops a command.
#[test]
fn a_theme_the_app_doesn_t_know_leaves_the_commands_alone() {
    let j = Journal::new();
    j.setup();
    let out = j
        .duet()
        .env("DUET_THEME", "blue")
        .arg("status")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    j.refused(
        &["--theme", "blue"],
        2,
        "invalid value 'blue' for '--theme <THEME>'",
    );
}

/// SEQUENCE grows when the weekly day or time changes (so a calendar that imported the event
/// updates it) and stays when nothing about the schedule changed.
#[test]
fn the_calendar_s_sequence_grows_with_each_change_of_schedule() {
    let j = Journal::new();
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-01T12:00:00Z")
        .unwrap()
        .to_utc();
    let sequence = || {
        let ics = j.ok(&["calendar"]);
        ics.lines()
            .find_map(|l| l.strip_prefix("SEQUENCE:"))
            .unwrap_or_else(|| panic!("a SEQUENCE in {ics}"))
            .trim()
            .parse::<u64>()
            .unwrap()
    };
    let save = |day: chrono::Weekday, hour: u32, minute: u32, at: i64| {
        let store = duet::store::Store::open(&j.path).unwrap();
        let mut s = store.settings().unwrap();
        s.weekly_weekday = day;
        s.weekly_time = chrono::NaiveTime::from_hms_opt(hour, minute, 0).unwrap();
        store
            .save_settings(&s, t0 + chrono::Duration::minutes(at))
            .unwrap();
    };
    {
        let mut store = duet::store::Store::open(&j.path).unwrap();
        store.set_partners(["Alex", "Sam"], t0).unwrap();
    }
    assert_eq!(sequence(), 0, "never changed");
    save(chrono::Weekday::Wed, 19, 0, 10);
    let first = sequence();
    assert!(first > 0);
    save(chrono::Weekday::Wed, 19, 0, 20);
    assert_eq!(sequence(), first, "saved unchanged");
    save(chrono::Weekday::Wed, 19, 30, 30);
    let second = sequence();
    assert!(second > first, "{second} after {first}");
    save(chrono::Weekday::Sun, 19, 30, 40);
    assert!(sequence() > second);
}

#[test]
fn calendar_writes_a_weekly_event_at_the_chosen_local_time() {
    let j = Journal::new();
    j.ok(&[
        "setup",
        "--partner",
        "Alex",
        "--partner",
        "Sam",
        "--weekly",
        "wed 20:30",
    ]);
    let ics = j.ok(&["calendar"]);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.contains("RRULE:FREQ=WEEKLY;BYDAY=WE\r\n"), "{ics}");
    let dtstart = ics.lines().find(|l| l.starts_with("DTSTART;")).unwrap();
    assert!(dtstart.starts_with("DTSTART;TZID=UTC:"), "{dtstart}");
    assert!(dtstart.ends_with("T203000"), "{dtstart}");
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:UTC\r\n"), "{ics}");
    let file = j.dir().join("duet.ics");
    let out = j.ok(&["calendar", "--out", file.to_str().unwrap()]);
    assert!(out.contains("every Wednesday at 20:30"), "{out}");
    let without_stamp = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("DTSTAMP"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        without_stamp(&written),
        without_stamp(&ics),
        "the file and standard output differ"
    );
}

#[test]
fn commands_never_create_a_journal_at_a_mistyped_path() {
    let j = Journal::new();
    for args in [
        &["status"][..],
        &["export"],
        &["win", "hi"],
        &["agreements"],
        &["calendar"],
    ] {
        let out = j.duet().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("there is no journal at"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} printed an empty export");
        assert!(!j.path.exists(), "{args:?} created a journal");
    }
}

#[test]
fn setup_with_the_names_in_the_other_order_moves_nobody_s_entries() {
    let j = Journal::new();
    j.setup();
    j.ok(&["checkin", "--by", "Alex", "--mood", "2", "--closeness", "2"]);
    let before: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    j.ok(&["setup", "--partner", "Sam", "--partner", "Alex"]);
    let after: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    assert_eq!(
        before["partners"], after["partners"],
        "partners were swapped"
    );
    // Renaming one partner keeps the other where they are.
    j.ok(&["setup", "--partner", "Sam", "--partner", "Alexandra"]);
    let renamed: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    assert_eq!(renamed["partners"][1]["name"], "Sam");
    assert_eq!(renamed["partners"][0]["name"], "Alexandra");
    assert_eq!(renamed["partners"][0]["id"], before["partners"][0]["id"]);
}

#[test]
fn names_match_however_they_were_typed() {
    let j = Journal::new();
    // "José" with a combining accent, and a name with an emoji.
    j.ok(&["setup", "--partner", "Jose\u{301}", "--partner", "Ravi 🌙"]);
    j.ok(&["checkin", "--by", "JOSÉ", "--mood", "3", "--closeness", "3"]);
    j.ok(&["win", "Tea in bed", "--by", "ravi", "--about", "josé"]);
    let export: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    assert_eq!(
        export["partners"][0]["name"], "José",
        "stored composed (NFC)"
    );
    assert_eq!(export["wins"][0]["logged_by"], export["partners"][1]["id"]);
}

#[test]
fn a_win_from_the_shell_is_one_line() {
    let j = Journal::new();
    j.setup();
    j.ok(&["win", "two\nlines"]);
    let export: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    assert_eq!(export["wins"][0]["text"], "two lines");
}

#[test]
fn importing_rows_that_differ_says_so_and_keeps_the_journal_s_own() {
    let j = Journal::new();
    j.setup();
    j.ok(&["win", "Original"]);
    let mut export: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    export["wins"][0]["text"] = "Changed elsewhere".into();
    let file = j.dir().join("changed.json");
    std::fs::write(&file, export.to_string()).unwrap();
    let out = j.ok(&["import", file.to_str().unwrap()]);
    assert!(
        out.contains("Imported 0 rows (3 were already here; 1 of them differ"),
        "{out}"
    );
    let now: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    assert_eq!(now["wins"][0]["text"], "Original");
}

#[test]
fn backup_makes_a_private_consistent_copy_that_opens_as_the_same_journal() {
    let j = Journal::new();
    j.setup();
    j.ok(&["win", "Worth keeping"]);
    let copy = j.dir().join("backups/duet-copy.db");
    let out = j.ok(&["backup", "--out", copy.to_str().unwrap()]);
    assert!(out.contains("Backed up to"), "{out}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let original = j.ok(&["export"]);
    let restored = binary::duet(&copy).arg("export").output().unwrap();
    assert_eq!(String::from_utf8(restored.stdout).unwrap(), original);
    // Never over an existing file.
    j.refused(
        &["backup", "--out", copy.to_str().unwrap()],
        1,
        "already there",
    );
    // The default name sits beside the journal.
    let out = j.ok(&["backup"]);
    assert!(out.contains("duet.db.backup-"), "{out}");
}

#[test]
fn the_copy_made_before_a_migration_is_named_for_the_old_version() {
    let p = std::path::Path::new("/data/duet/duet.db");
    assert_eq!(
        duet::store::backup_path_for_migration(p, 1),
        std::path::Path::new("/data/duet/duet.db.bak-v1")
    );
}

#[test]
fn summary_dates_must_be_real_four_digit_dates_not_in_the_future() {
    let j = Journal::new();
    j.setup();
    j.refused(
        &["export", "--format", "markdown", "--from", "26-11-01"],
        2,
        "isn't a date",
    );
    j.refused(
        &["export", "--format", "markdown", "--from", "2026-02-30"],
        2,
        "isn't a date",
    );
    j.refused(
        &["export", "--format", "markdown", "--to", "2999-01-01"],
        1,
        "after tonight",
    );
    j.refused(
        &[
            "export",
            "--format",
            "markdown",
            "--from",
            "2026-11-01",
            "--to",
            "2026-10-01",
        ],
        1,
        "is after",
    );
    j.refused(
        &["export", "--from", "2026-11-01"],
        1,
        "go with --format markdown",
    );
}

#[test]
fn two_backups_in_a_row_both_succeed_under_different_names() {
    let j = Journal::new();
    j.setup();
    let first = j.ok(&["backup"]);
    let second = j.ok(&["backup"]);
    assert_ne!(first, second);
}

#[test]
fn encrypt_locks_the_file_and_every_command_then_needs_the_passphrase() {
    let j = Journal::new();
    j.setup();
    j.ok(&["win", "Marmalade on the balcony", "--by", "Alex"]);
    assert!(j.bytes_contain("Marmalade"));
    let key = j.passphrase("key", "correct horse battery");
    let out = j.ok(&["encrypt", "--passphrase-file", &key]);
    assert!(out.contains("Locked"), "{out}");
    assert!(!std::fs::read(&j.path)
        .unwrap()
        .starts_with(b"SQLite format 3"));
    assert!(!j.bytes_contain("Marmalade") && !j.bytes_contain("Alex"));

    let status = j.ok(&["status", "--passphrase-file", &key]);
    assert!(status.contains("Wins: 1"), "{status}");
    let by_env = j
        .duet()
        .env("DUET_PASSPHRASE_FILE", &key)
        .args(["win", "A second one", "--by", "Sam"])
        .output()
        .unwrap();
    assert!(by_env.status.success());

    let wrong = j.passphrase("wrong", "correct horse batterY");
    j.refused(
        &["status", "--passphrase-file", &wrong],
        1,
        "that passphrase doesn't open this journal",
    );
    // Nothing from the library underneath: the whole of stderr is the one line.
    let out = j.run(&["status", "--passphrase-file", &wrong]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "duet: that passphrase doesn't open this journal\n"
    );

    let before = std::fs::read(&j.path).unwrap();
    let cron = j.run(&["status"]);
    assert_eq!(cron.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&cron.stderr).contains("--passphrase-file FILE"));
    // A reminder in a shell's rc file never stops the shell to ask.
    let remind = j.run(&["remind"]);
    assert!(remind.status.success() && remind.stdout.is_empty() && remind.stderr.is_empty());
    j.refused(&["encrypt", "--passphrase-file", &key], 1, "already locked");
    assert_eq!(std::fs::read(&j.path).unwrap(), before);
}

#[test]
fn passphrase_then_decrypt_keeps_every_row() {
    let j = Journal::new();
    j.setup();
    j.ok(&["win", "Marmalade on the balcony", "--by", "Alex"]);
    j.ok(&[
        "checkin",
        "--by",
        "Sam",
        "--mood",
        "4",
        "--closeness",
        "5",
        "--appreciation",
        "You listened",
    ]);
    let rows = |text: String| -> String {
        text.lines()
            .filter(|l| !l.contains("exported_at"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let original = rows(j.ok(&["export"]));
    let old = j.passphrase("old", "correct horse battery");
    let new = j.passphrase("new", "staple paper clip river");
    j.ok(&["encrypt", "--passphrase-file", &old]);
    let out = j.ok(&[
        "passphrase",
        "--passphrase-file",
        &old,
        "--new-passphrase-file",
        &new,
    ]);
    assert!(out.contains("Changed the passphrase"), "{out}");
    j.refused(&["status", "--passphrase-file", &old], 1, "doesn't open");
    assert_eq!(rows(j.ok(&["export", "--passphrase-file", &new])), original);

    // Going back to plain text asks first; with no terminal to ask on, only --yes will do.
    let before = std::fs::read(&j.path).unwrap();
    let unconfirmed = j.run(&["decrypt", "--passphrase-file", &new]);
    assert_eq!(unconfirmed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unconfirmed.stderr).contains("--yes"));
    assert_eq!(std::fs::read(&j.path).unwrap(), before);

    j.ok(&["decrypt", "--yes", "--passphrase-file", &new]);
    assert!(std::fs::read(&j.path)
        .unwrap()
        .starts_with(b"SQLite format 3"));
    assert_eq!(rows(j.ok(&["export"])), original);
    j.refused(
        &["passphrase", "--passphrase-file", &new],
        1,
        "isn't locked",
    );
}

#[test]
fn setup_encrypt_creates_a_new_journal_locked_from_the_start() {
    let j = Journal::new();
    let key = j.passphrase("key", "correct horse battery");
    j.ok(&[
        "setup",
        "--partner",
        "Marmaduke",
        "--partner",
        "Sam",
        "--encrypt",
        "--passphrase-file",
        &key,
    ]);
    assert!(!j.bytes_contain("Marmaduke"));
    let status = j.ok(&["status", "--passphrase-file", &key]);
    assert!(status.contains("Marmaduke & Sam"), "{status}");
}

#[test]
fn a_poor_passphrase_is_refused_and_the_journal_stays_plain() {
    let j = Journal::new();
    j.setup();
    let short = j.passphrase("short", "abc");
    j.refused(
        &["encrypt", "--passphrase-file", &short],
        1,
        "at least 8 characters",
    );
    let empty = j.passphrase("empty", "");
    j.refused(
        &["encrypt", "--passphrase-file", &empty],
        1,
        "first line is empty",
    );
    j.refused(
        &["encrypt", "--passphrase-file", "/nonexistent/key"],
        1,
        "can't read the passphrase",
    );
    let cron = j.run(&["encrypt"]);
    assert_eq!(cron.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&cron.stderr).contains("no terminal to ask for a new passphrase")
    );
    assert!(std::fs::read(&j.path)
        .unwrap()
        .starts_with(b"SQLite format 3"));
}

#[test]
fn a_backup_of_a_locked_journal_is_locked_and_an_export_says_it_is_plain() {
    let j = Journal::new();
    j.setup();
    j.ok(&["win", "Marmalade on the balcony", "--by", "Alex"]);
    let key = j.passphrase("key", "correct horse battery");
    j.ok(&["encrypt", "--passphrase-file", &key]);
    let copy = j.dir().join("copy.db");
    let out = j.ok(&[
        "backup",
        "--out",
        copy.to_str().unwrap(),
        "--passphrase-file",
        &key,
    ]);
    assert!(
        out.contains("locked with the journal's passphrase"),
        "{out}"
    );
    let bytes = std::fs::read(&copy).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    assert!(!bytes.windows(9).any(|w| w == b"Marmalade"));
    let from_copy = binary::duet(&copy)
        .args(["status", "--passphrase-file", &key])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&from_copy.stdout).contains("Wins: 1"));

    let export = j.run(&["export", "--passphrase-file", &key]);
    assert!(export.status.success());
    assert!(String::from_utf8_lossy(&export.stderr).contains("plain text, not locked"));
}

#[test]
fn locking_refuses_before_asking_anything_while_duet_has_the_journal_open() {
    let j = Journal::new();
    j.setup();
    let key = j.passphrase("key", "correct horse battery");
    // This test process holds the journal open, as the app would.
    let open_here = duet::store::Store::open(&j.path).unwrap();
    j.refused(
        &["encrypt", "--passphrase-file", &key],
        1,
        "open somewhere else",
    );
    // No terminal here: had it asked first, the message would be about the missing terminal.
    j.refused(&["encrypt"], 1, "open somewhere else");
    drop(open_here);
    j.ok(&["encrypt", "--passphrase-file", &key]);
    let open_here = duet::store::Store::open_with(
        &j.path,
        Some(&duet::domain::Passphrase::typed("correct horse battery")),
    )
    .unwrap();
    j.refused(
        &["decrypt", "--yes", "--passphrase-file", &key],
        1,
        "open somewhere else",
    );
    j.refused(&["passphrase"], 1, "open somewhere else");
    drop(open_here);
}

#[test]
fn a_passphrase_file_others_can_read_gets_a_note_but_works() {
    use std::os::unix::fs::PermissionsExt;
    let j = Journal::new();
    j.setup();
    let key = j.passphrase("key", "correct horse battery");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = j.run(&["encrypt", "--passphrase-file", &key]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("others can read"));
}

#[test]
fn setup_encrypt_with_a_refused_passphrase_changes_nothing() {
    let j = Journal::new();
    j.setup();
    let short = j.passphrase("short", "abc");
    j.refused(
        &[
            "setup",
            "--partner",
            "Robin",
            "--partner",
            "Kai",
            "--encrypt",
            "--passphrase-file",
            &short,
        ],
        1,
        "at least 8 characters",
    );
    assert!(j.ok(&["status"]).contains("Alex & Sam"));
}

#[test]
fn a_passphrase_file_with_a_nul_gets_one_line_that_does_not_quote_it() {
    let j = Journal::new();
    j.setup();
    let key = j.passphrase("key", "correct horse battery");
    j.ok(&["encrypt", "--passphrase-file", &key]);
    let nul = j.passphrase("nul", "secret\0words");
    j.refused(
        &["status", "--passphrase-file", &nul],
        1,
        "doesn't open this journal",
    );
    let out = j.run(&["status", "--passphrase-file", &nul]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("secret"));
}

#[test]
fn wins_can_be_listed_edited_deleted_and_brought_back_from_the_shell() {
    let j = Journal::new();
    j.setup();
    j.ok(&[
        "win",
        "Sam made coffee",
        "--about",
        "Sam",
        "--tag",
        "morning",
    ]);
    j.ok(&["win", "A walk"]);
    let listed = j.ok(&["wins"]);
    let coffee = listed
        .lines()
        .find(|l| l.contains("Sam made coffee"))
        .unwrap();
    assert!(coffee.contains("(Alex → Sam) #morning"), "{listed}");
    let id = &coffee[..8];
    let changed = j.ok(&["win", "--edit", id, "Sam made coffee, and toast"]);
    assert!(changed.contains("and toast"), "{changed}");
    let deleted = j.ok(&["win", "--delete", id]);
    assert!(
        deleted.contains(&format!("duet win --restore {id}")),
        "{deleted}"
    );
    assert!(!j.ok(&["wins"]).contains("coffee"));
    let export: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    let kept = export["wins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["text"] == "Sam made coffee, and toast")
        .expect("a deleted win is still in the export");
    assert!(kept["deleted_at"].is_string() && kept["edited_at"].is_string());
    j.refused(&["win", "--delete", id], 1, "deleted already");
    j.refused(&["win", "--edit", id, "x"], 1, "bring it back first");
    j.ok(&["win", "--restore", id]);
    j.refused(&["win", "--restore", id], 1, "isn't deleted");
    assert!(j.ok(&["wins"]).contains("Sam made coffee, and toast"));
    j.refused(&["win", "--edit", "zz", "x"], 1, "isn't a win's id");
    j.refused(&["win", "--delete", "0000aaaa"], 1, "no win has the id");
}

#[test]
fn show_reads_an_evening_back_once_both_checked_in_and_the_evening_is_over() {
    let j = Journal::new();
    j.setup();
    let checkin = |who: &str, words: &str| {
        j.ok(&[
            "checkin",
            "--by",
            who,
            "--mood",
            "4",
            "--closeness",
            "3",
            "--appreciation",
            words,
            "--note",
            "only mine",
        ])
    };
    checkin("Alex", "You listened");
    let alone = j.ok(&["show", "today"]);
    assert!(
        alone.contains("Alex: checked in (the words stay private"),
        "{alone}"
    );
    assert!(!alone.contains("You listened"), "{alone}");
    assert!(!j.ok(&["show", "today", "--json"]).contains("You listened"));
    checkin("Sam", "The soup");
    j.ok(&["win", "A walk"]);
    // Tonight's words are revealed together in duet, not first from the shell.
    let tonight = j.ok(&["show", "today"]);
    assert!(
        tonight.contains("Sam: checked in (tonight's words wait for the reveal)"),
        "{tonight}"
    );
    assert!(!tonight.contains("The soup"), "{tonight}");
    let json: serde_json::Value =
        serde_json::from_str(&j.ok(&["show", "today", "--json"])).unwrap();
    assert!(!json.to_string().contains("The soup"), "{json}");
    assert_eq!(json["checkins"][1]["words_shown"], false, "{json}");
    assert!(json["checkins"][1].get("mood").is_none(), "{json}");
    let today =
        chrono::NaiveDate::parse_from_str(json["evening"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    // The same evening a day earlier, in another journal: both words read back.
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    let mut export: serde_json::Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    for table in ["checkins", "wins"] {
        for row in export[table].as_array_mut().unwrap() {
            row["evening"] = yesterday.clone().into();
        }
    }
    let file = j.dir().join("yesterday.json");
    std::fs::write(&file, export.to_string()).unwrap();
    let k = Journal::new();
    k.ok(&["import", file.to_str().unwrap()]);
    let both = k.ok(&["show", "yesterday"]);
    for words in [
        "Alex: mood 4 (good)",
        "You listened",
        "The soup",
        "Win • A walk",
    ] {
        assert!(both.contains(words), "{words}: {both}");
    }
    let json = k.ok(&["show", "yesterday", "--json"]);
    assert!(
        json.contains("The soup") && !json.contains("only mine"),
        "{json}"
    );
    assert!(k
        .ok(&["show", "--week", "today"])
        .starts_with("No weekly check-in"));
    j.refused(&["show", "someday"], 1, "isn't a day");
}

#[test]
fn two_devices_pair_and_sync_from_the_shell() {
    let shared = tempfile::tempdir().unwrap();
    let folder = shared.path().to_str().unwrap();
    let (a, b) = (Journal::new(), Journal::new());
    a.setup();
    a.ok(&["win", "Sam made coffee", "--by", "Sam"]);
    let code = a.dir().join("code");
    let code = code.to_str().unwrap();
    let said = a.ok(&[
        "sync",
        "init",
        "--folder",
        folder,
        "--me",
        "Alex",
        "--code-file",
        code,
    ]);
    assert!(said.contains("Paired as Alex's device"), "{said}");
    a.refused(
        &["sync", "init", "--folder", folder, "--me", "Alex"],
        1,
        "already paired",
    );
    // The other device: a wrong code, then the right one.
    let wrong = b.dir().join("wrong");
    std::fs::write(&wrong, "0000-0000-0000-0000\n").unwrap();
    let wrong = wrong.to_str().unwrap();
    b.refused(
        &[
            "sync",
            "join",
            "--folder",
            folder,
            "--me",
            "Sam",
            "--code-file",
            wrong,
        ],
        1,
        "doesn't open the pairing",
    );
    // The first device is Alex's: this one can't be Alex's too.
    b.refused(
        &[
            "sync",
            "join",
            "--folder",
            folder,
            "--me",
            "Alex",
            "--code-file",
            code,
        ],
        1,
        "the first device is Alex's",
    );
    let joined = b.ok(&[
        "sync",
        "join",
        "--folder",
        folder,
        "--me",
        "Sam",
        "--code-file",
        code,
    ]);
    assert!(joined.contains("this is Sam's device"), "{joined}");
    assert!(b.ok(&["wins"]).contains("Sam made coffee"));
    // On Sam's device, a win and a check-in are Sam's unless said otherwise.
    b.ok(&["win", "A walk after dinner"]);
    b.ok(&[
        "checkin",
        "--mood",
        "4",
        "--closeness",
        "5",
        "--appreciation",
        "The walk",
    ]);
    // Alex's words are written on Alex's device.
    b.refused(
        &["checkin", "--by", "Alex", "--mood", "1", "--closeness", "1"],
        1,
        "this is Sam's device",
    );
    b.refused(
        &["win", "Not mine to log", "--by", "Alex"],
        1,
        "this is Sam's device",
    );
    assert!(b.ok(&["sync"]).contains("went out"));
    assert!(a.ok(&["sync"]).contains("came in"));
    let wins = a.ok(&["wins"]);
    assert!(wins.contains("A walk after dinner  (Sam → us)"), "{wins}");
    let status = a.ok(&["sync", "status"]);
    assert!(
        status.contains("as Alex's device") && status.contains("Sam's device"),
        "{status}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&b.ok(&["sync", "status", "--json"])).unwrap();
    assert_eq!(json["paired"], true);
    // Nothing in the shared folder can be read without the key.
    for f in walk(shared.path()) {
        assert!(
            !file_contains(&f, "coffee") && !file_contains(&f, "walk"),
            "{}",
            f.display()
        );
    }
    // Files that aren't this journal's: one calm line each, and syncing goes on.
    let journal_dir = std::fs::read_dir(shared.path())
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("duet-"))
        .unwrap()
        .path();
    std::fs::write(journal_dir.join("notes.txt"), "hello").unwrap();
    std::fs::create_dir(journal_dir.join("0000aaaa")).unwrap();
    std::fs::write(
        journal_dir.join("0000aaaa/00000001.chunk"),
        "not sealed at all",
    )
    .unwrap();
    a.ok(&["sync"]);
    let status = a.ok(&["sync", "status"]);
    // Neither is another key's, nor a file still arriving: two files that aren't duet's.
    assert!(
        status.contains("2 files in this journal's folder aren't duet's")
            && !status.contains("another pairing")
            && status.contains("No files waiting"),
        "{status}"
    );
    assert!(b.ok(&["sync", "leave"]).contains("no longer syncs"));
    b.refused(&["sync"], 1, "isn't paired");
    assert!(
        b.ok(&["wins"]).contains("A walk after dinner"),
        "leaving lost entries"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn pairing_refuses_what_can_t_work_and_changes_nothing() {
    let j = Journal::new();
    j.setup();
    let nowhere = j.dir().join("no-such-folder");
    j.refused(
        &[
            "sync",
            "init",
            "--folder",
            nowhere.to_str().unwrap(),
            "--me",
            "Alex",
        ],
        1,
        "there is no folder there",
    );
    let shared = tempfile::tempdir().unwrap();
    let folder = shared.path().to_str().unwrap();
    j.refused(
        &["sync", "init", "--folder", folder, "--me", "Robin"],
        1,
        "Robin",
    );
    let taken = j.dir().join("taken");
    std::fs::write(&taken, "x").unwrap();
    j.refused(
        &[
            "sync",
            "init",
            "--folder",
            folder,
            "--code-file",
            taken.to_str().unwrap(),
        ],
        1,
        "already there",
    );
    j.refused(
        &[
            "sync",
            "join",
            "--folder",
            folder,
            "--me",
            "Sam",
            "--code-file",
            taken.to_str().unwrap(),
        ],
        1,
        "no pairing is waiting",
    );
    assert!(j.ok(&["sync", "status"]).starts_with("Not paired"));
}

/// A join that fails where no journal was yet leaves neither a journal nor its folder.
#[test]
fn a_failed_join_leaves_no_folder_behind() {
    let home = tempfile::tempdir().unwrap();
    let shared = tempfile::tempdir().unwrap();
    let db = home.path().join("duet-data").join("duet.db");
    let code = home.path().join("code");
    std::fs::write(&code, "0000-0000-0000-0000\n").unwrap();
    let out = common::binary::duet(&db)
        .args(["sync", "join", "--folder"])
        .arg(shared.path())
        .args(["--me", "Sam", "--code-file"])
        .arg(&code)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!home.path().join("duet-data").exists(), "a folder was left");
}

/// Completions for each shell read back in that shell without a syntax error, name the
/// commands, and touch no journal; the man page renders.
#[test]
fn completions_and_the_man_page_come_from_the_commands() {
    let j = Journal::new();
    let required = std::env::var_os("DUET_REQUIRE_SHELLS").is_some();
    for (shell, check) in [
        ("bash", vec!["bash", "-n"]),
        ("zsh", vec!["zsh", "-n"]),
        ("fish", vec!["fish", "--no-execute"]),
    ] {
        let script = j.ok(&["completions", shell]);
        assert!(
            script.contains("repair") && script.contains("sync"),
            "{shell}"
        );
        let file = j.dir().join(format!("duet.{shell}"));
        std::fs::write(&file, &script).unwrap();
        match std::process::Command::new(check[0])
            .args(&check[1..])
            .arg(&file)
            .output()
        {
            Ok(out) => assert!(
                out.status.success(),
                "{shell}: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(_) => assert!(!required, "{shell} isn't installed"),
        }
    }
    let page = j.ok(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH duet 1"),
        "{page}"
    );
    assert!(
        page.contains("repair") && page.contains("completions"),
        "{page}"
    );
    if let Ok(out) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-P-cbou"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(page.as_bytes())?;
            c.wait_with_output()
        })
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("NAME") && text.contains("SYNOPSIS"), "{text}");
    }
    j.refused(&["completions", "tcsh"], 2, "invalid value");
    assert!(!j.path.exists(), "a journal was made");
}

/// Every count is in `duet status --json`, zero or not; a win says whose it is; a name matches
/// however it is typed, accents too.
#[test]
fn status_keys_are_always_there_and_names_match_loosely() {
    let j = Journal::new();
    j.ok(&["setup", "--partner", "Zoë", "--partner", "Sam"]);
    let json: serde_json::Value = serde_json::from_str(&j.ok(&["status", "--json"])).unwrap();
    for s in ["proposed", "agreed", "revisit", "retired"] {
        assert_eq!(json["counts"]["agreements"][s], 0, "{s}: {json}");
    }
    assert_eq!(json["counts"]["repairs"], 0);
    let said = j.ok(&["win", "Coffee in bed"]);
    assert!(said.contains("(Zoë → us;"), "{said}");
    let said = j
        .duet()
        .args(["win", "A long walk", "--about", "SAM"])
        .env("DUET_PARTNER", "zoe")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&said.stdout);
    assert!(
        said.status.success() && out.contains("(Zoë → Sam;"),
        "{out}"
    );
}
