//! The weekly schedule as a pure function, driven by tables: DST in two zones, done early /
//! on time / late, due and overdue, missed weeks, weekday changes, streaks and the header text.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::America::New_York;
use chrono_tz::Europe::Berlin;
use chrono_tz::Tz;
use duet::domain::Settings;
use duet::schedule::*;

fn u(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A local wall-clock moment ("2026-11-24 10:00") in `tz`; must be unambiguous.
fn local(tz: Tz, s: &str) -> DateTime<Tz> {
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    tz.from_local_datetime(&naive).single().unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn time(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap()
}

fn hist(started: Option<&str>, done: &[&str]) -> History {
    History {
        started_at: started.map(u),
        done: done.iter().map(|d| u(d)).collect(),
        skipped: vec![],
    }
}

fn weekly(day: Weekday, at: &str) -> Settings {
    Settings {
        weekly_weekday: day,
        weekly_time: time(at),
        ..Settings::default()
    }
}

fn upcoming(at: &str) -> WeeklyStatus {
    WeeklyStatus::Upcoming { at: u(at) }
}
fn due(since: &str) -> WeeklyStatus {
    WeeklyStatus::Due { since: u(since) }
}
fn overdue(since: &str, missed: u32) -> WeeklyStatus {
    WeeklyStatus::Overdue {
        since: u(since),
        missed,
    }
}
fn done(at: &str, next: &str) -> WeeklyStatus {
    WeeklyStatus::DoneThisWeek {
        at: u(at),
        next: u(next),
    }
}

// In November 2026 Berlin is UTC+1: Sundays 1, 8, 15, 22, 29 Nov at 19:00 are 18:00Z.
const STARTED: Option<&str> = Some("2026-10-01T12:00:00Z");

#[test]
fn occurrences_keep_local_wall_clock_across_dst() {
    #[rustfmt::skip]
    let cases: &[(&str, Tz, &str, &str, &str, &str)] = &[
        // (what, zone, local date, weekly time, expected UTC instant, expected local time)
        ("Berlin week before spring-forward", Berlin, "2026-03-22", "19:00", "2026-03-22T18:00:00Z", "19:00"),
        ("Berlin spring-forward Sunday", Berlin, "2026-03-29", "19:00", "2026-03-29T17:00:00Z", "19:00"),
        ("Berlin week before fall-back", Berlin, "2026-10-18", "19:00", "2026-10-18T17:00:00Z", "19:00"),
        ("Berlin fall-back Sunday", Berlin, "2026-10-25", "19:00", "2026-10-25T18:00:00Z", "19:00"),
        ("NY week before spring-forward", New_York, "2026-03-01", "19:00", "2026-03-02T00:00:00Z", "19:00"),
        ("NY spring-forward Sunday", New_York, "2026-03-08", "19:00", "2026-03-08T23:00:00Z", "19:00"),
        ("NY week before fall-back", New_York, "2026-10-25", "19:00", "2026-10-25T23:00:00Z", "19:00"),
        ("NY fall-back Sunday", New_York, "2026-11-01", "19:00", "2026-11-02T00:00:00Z", "19:00"),
        // Inside the spring-forward gap (02:00-03:00 in both zones): just after the gap.
        ("Berlin 02:30 in the gap", Berlin, "2026-03-29", "02:30", "2026-03-29T01:00:00Z", "03:00"),
        ("Berlin 02:00 gap start", Berlin, "2026-03-29", "02:00", "2026-03-29T01:00:00Z", "03:00"),
        ("Berlin 02:15 in the gap", Berlin, "2026-03-29", "02:15", "2026-03-29T01:00:00Z", "03:00"),
        ("NY 02:30 in the gap", New_York, "2026-03-08", "02:30", "2026-03-08T07:00:00Z", "03:00"),
        ("NY 02:59 in the gap", New_York, "2026-03-08", "02:59", "2026-03-08T07:00:00Z", "03:00"),
        ("Berlin 03:00 right after the gap", Berlin, "2026-03-29", "03:00", "2026-03-29T01:00:00Z", "03:00"),
        // Fall-back overlap: the earlier instant (still on summer time).
        ("NY 01:30 twice, earlier (EDT)", New_York, "2026-11-01", "01:30", "2026-11-01T05:30:00Z", "01:30"),
        ("Berlin 02:30 twice, earlier (CEST)", Berlin, "2026-10-25", "02:30", "2026-10-25T00:30:00Z", "02:30"),
        ("Berlin 01:30 is not ambiguous", Berlin, "2026-10-25", "01:30", "2026-10-24T23:30:00Z", "01:30"),
    ];
    for &(what, tz, d, t, want, want_local) in cases {
        let got = occurrence_on(&tz, date(d), time(t));
        assert_eq!(got, u(want), "{what}");
        let l = got.with_timezone(&tz);
        assert_eq!(
            l.format("%Y-%m-%d %H:%M").to_string(),
            format!("{d} {want_local}"),
            "{what}"
        );
    }
}

#[test]
fn weekly_status_table() {
    let sun = Settings::default();
    let sun_0230 = weekly(Weekday::Sun, "02:30");
    let sun_0130 = weekly(Weekday::Sun, "01:30");
    #[rustfmt::skip]
    let cases: Vec<(&str, Tz, &str, &Settings, History, WeeklyStatus)> = vec![
        // 1. Nothing yet.
        ("empty history", Berlin, "2026-11-23 12:00", &sun, History::default(),
            upcoming("2026-11-29T18:00:00Z")),
        ("empty history on Sunday evening", Berlin, "2026-11-29 20:00", &sun, History::default(),
            upcoming("2026-12-06T18:00:00Z")),
        ("no started_at, old meeting", Berlin, "2026-11-24 10:00", &sun, hist(None, &["2026-11-01T18:30:00Z"]),
            upcoming("2026-11-29T18:00:00Z")),
        ("started after the last occurrence", Berlin, "2026-11-24 10:00", &sun,
            hist(Some("2026-11-22T20:00:00Z"), &[]), upcoming("2026-11-29T18:00:00Z")),
        ("started just before the last occurrence", Berlin, "2026-11-24 10:00", &sun,
            hist(Some("2026-11-22T17:00:00Z"), &[]), overdue("2026-11-22T18:00:00Z", 1)),
        // 2. DST weekends: 19:00 local on both sides.
        ("Berlin before fall-back", Berlin, "2026-10-12 12:00", &sun, History::default(),
            upcoming("2026-10-18T17:00:00Z")),
        ("Berlin fall-back Sunday", Berlin, "2026-10-19 12:00", &sun, History::default(),
            upcoming("2026-10-25T18:00:00Z")),
        ("Berlin fall-back, 18:30 CET is not yet 19:00", Berlin, "2026-10-25 18:30", &sun,
            hist(STARTED, &["2026-10-18T17:30:00Z"]), upcoming("2026-10-25T18:00:00Z")),
        ("Berlin fall-back, due at 19:00 CET", Berlin, "2026-10-25 19:30", &sun,
            hist(STARTED, &["2026-10-18T17:30:00Z"]), due("2026-10-25T18:00:00Z")),
        ("Berlin before spring-forward", Berlin, "2026-03-16 12:00", &sun, History::default(),
            upcoming("2026-03-22T18:00:00Z")),
        ("Berlin spring-forward Sunday", Berlin, "2026-03-23 12:00", &sun, History::default(),
            upcoming("2026-03-29T17:00:00Z")),
        ("NY before spring-forward", New_York, "2026-02-23 12:00", &sun, History::default(),
            upcoming("2026-03-02T00:00:00Z")),
        ("NY spring-forward Sunday", New_York, "2026-03-02 12:00", &sun, History::default(),
            upcoming("2026-03-08T23:00:00Z")),
        ("NY before fall-back", New_York, "2026-10-19 12:00", &sun, History::default(),
            upcoming("2026-10-25T23:00:00Z")),
        ("NY fall-back Sunday", New_York, "2026-10-26 12:00", &sun, History::default(),
            upcoming("2026-11-02T00:00:00Z")),
        ("Berlin 02:30 on spring-forward night", Berlin, "2026-03-28 12:00", &sun_0230, History::default(),
            upcoming("2026-03-29T01:00:00Z")),
        ("NY 02:30 on spring-forward night", New_York, "2026-03-07 12:00", &sun_0230, History::default(),
            upcoming("2026-03-08T07:00:00Z")),
        ("NY 01:30 on fall-back night", New_York, "2026-10-31 12:00", &sun_0130, History::default(),
            upcoming("2026-11-01T05:30:00Z")),
        // 3. Done early (Friday), on time (Sunday), late (Monday).
        ("done early, Saturday", Berlin, "2026-11-28 12:00", &sun, hist(STARTED, &["2026-11-27T18:00:00Z"]),
            done("2026-11-27T18:00:00Z", "2026-12-06T18:00:00Z")),
        ("done early, Sunday after 19:00", Berlin, "2026-11-29 20:00", &sun,
            hist(STARTED, &["2026-11-27T18:00:00Z"]), done("2026-11-27T18:00:00Z", "2026-12-06T18:00:00Z")),
        ("done 4 days early does not count", Berlin, "2026-11-29 19:30", &sun,
            hist(STARTED, &["2026-11-25T18:00:00Z"]), due("2026-11-29T18:00:00Z")),
        ("done 4 days early, before the time", Berlin, "2026-11-28 12:00", &sun,
            hist(STARTED, &["2026-11-25T18:00:00Z"]), upcoming("2026-11-29T18:00:00Z")),
        ("done on time", Berlin, "2026-11-29 21:00", &sun, hist(STARTED, &["2026-11-29T19:00:00Z"]),
            done("2026-11-29T19:00:00Z", "2026-12-06T18:00:00Z")),
        ("done late, Monday", Berlin, "2026-11-30 21:00", &sun, hist(STARTED, &["2026-11-30T19:00:00Z"]),
            done("2026-11-30T19:00:00Z", "2026-12-06T18:00:00Z")),
        ("done late, then the early window opens", Berlin, "2026-12-03 21:00", &sun,
            hist(STARTED, &["2026-11-30T19:00:00Z"]), upcoming("2026-12-06T18:00:00Z")),
        ("a meeting in the future is ignored", Berlin, "2026-11-29 19:30", &sun,
            hist(STARTED, &["2026-11-22T18:30:00Z", "2026-11-29T20:00:00Z"]), due("2026-11-29T18:00:00Z")),
        // 4. Due, overdue, missed weeks.
        ("one minute before", Berlin, "2026-11-29 18:59", &sun, hist(STARTED, &["2026-11-22T18:30:00Z"]),
            upcoming("2026-11-29T18:00:00Z")),
        ("due right after 19:00", Berlin, "2026-11-29 19:01", &sun, hist(STARTED, &["2026-11-22T18:30:00Z"]),
            due("2026-11-29T18:00:00Z")),
        ("still due just under 24h", Berlin, "2026-11-30 18:59", &sun, hist(STARTED, &["2026-11-22T18:30:00Z"]),
            due("2026-11-29T18:00:00Z")),
        ("overdue after 24h", Berlin, "2026-11-30 19:00", &sun, hist(STARTED, &["2026-11-22T18:30:00Z"]),
            overdue("2026-11-29T18:00:00Z", 1)),
        ("three missed, one overdue", Berlin, "2026-11-29 20:00", &sun, hist(STARTED, &["2026-11-08T18:30:00Z"]),
            overdue("2026-11-15T18:00:00Z", 3)),
        ("three missed, still counted on Wednesday", Berlin, "2026-12-02 12:00", &sun,
            hist(STARTED, &["2026-11-08T18:30:00Z"]), overdue("2026-11-15T18:00:00Z", 3)),
        ("never met: missed since started", Berlin, "2026-11-29 20:00", &sun,
            hist(Some("2026-11-10T12:00:00Z"), &[]), overdue("2026-11-15T18:00:00Z", 3)),
        ("weeks before started_at don't count", Berlin, "2026-11-29 20:00", &sun,
            hist(Some("2026-11-16T12:00:00Z"), &["2026-10-04T18:00:00Z"]), overdue("2026-11-22T18:00:00Z", 2)),
        ("late meeting covers only its own week", Berlin, "2026-11-29 20:00", &sun,
            hist(STARTED, &["2026-11-16T18:00:00Z"]), overdue("2026-11-22T18:00:00Z", 2)),
    ];
    for (what, tz, now, s, h, want) in cases {
        assert_eq!(weekly_status(local(tz, now), s, &h), want, "{what}");
    }
}

#[test]
fn changing_the_weekday_mid_week_stays_done() {
    // Met Sunday 22 Nov at 19:45 local; on Tuesday the couple moves the check-in.
    let h = hist(STARTED, &["2026-11-22T18:45:00Z"]);
    let met = "2026-11-22T18:45:00Z";
    #[rustfmt::skip]
    let cases: &[(&str, Weekday, &str, WeeklyStatus)] = &[
        ("unchanged Sunday", Weekday::Sun, "2026-11-24 10:00", done(met, "2026-11-29T18:00:00Z")),
        ("switch to Wednesday", Weekday::Wed, "2026-11-24 10:00", done(met, "2026-12-02T18:00:00Z")),
        ("Wednesday, after its 19:00", Weekday::Wed, "2026-11-25 20:00", done(met, "2026-12-02T18:00:00Z")),
        ("switch to Monday", Weekday::Mon, "2026-11-24 10:00", done(met, "2026-11-30T18:00:00Z")),
        ("switch to Tuesday, before 19:00", Weekday::Tue, "2026-11-24 10:00", done(met, "2026-12-01T18:00:00Z")),
    ];
    for &(what, day, now, want) in cases {
        let st = weekly_status(local(Berlin, now), &weekly(day, "19:00"), &h);
        assert_eq!(st, want, "{what}");
        assert!(!st.wants_meeting(), "{what}");
    }
}

/// A new weekly day counts from the change on: moved on a Tuesday from Sunday to Wednesday
/// after two missed Sundays, the Wednesday before the change (never a check-in day) isn't
/// "missed"; the coming Wednesday is next, and it falls due as any other.
#[test]
fn a_changed_weekday_applies_from_the_next_occurrence_on() {
    let h = hist(STARTED, &["2026-11-08T18:45:00Z"]);
    let sunday = weekly(Weekday::Sun, "19:00");
    let tuesday = local(Berlin, "2026-11-24 10:00");
    assert_eq!(
        weekly_status(tuesday, &sunday, &h),
        overdue("2026-11-15T18:00:00Z", 2),
        "two Sundays missed before the change"
    );
    let wednesday = Settings {
        weekly_from: Some(u("2026-11-24T09:00:00Z")),
        ..weekly(Weekday::Wed, "19:00")
    };
    assert_eq!(
        weekly_status(tuesday, &wednesday, &h),
        upcoming("2026-11-25T18:00:00Z"),
        "Wed 18 Nov was never a check-in day"
    );
    assert_eq!(
        weekly_status(local(Berlin, "2026-11-25 20:00"), &wednesday, &h),
        due("2026-11-25T18:00:00Z")
    );
    assert_eq!(
        weekly_status(local(Berlin, "2026-12-03 10:00"), &wednesday, &h),
        overdue("2026-11-25T18:00:00Z", 2),
        "missed from the change on, and only from then"
    );
    // A check-in held right after the change counts for the coming Wednesday.
    assert_eq!(
        meeting_date(tuesday, &wednesday, STARTED.map(u)),
        date("2026-11-25")
    );
}

#[test]
fn meeting_streak_counts_consecutive_weeks() {
    let sun = Settings::default();
    let weeks = [
        "2026-10-18T17:30:00Z", // before the gap at 25 Oct
        "2026-11-01T18:30:00Z", // on time
        "2026-11-06T18:00:00Z", // Friday, early for 8 Nov
        "2026-11-16T18:00:00Z", // Monday, late for 15 Nov
        "2026-11-22T18:30:00Z", // on time
    ];
    let without = |skip: &str| -> Vec<&'static str> {
        weeks.iter().copied().filter(|w| *w != skip).collect()
    };
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        weeks.iter().chain(extra).copied().collect()
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, &str, Vec<&str>, u32)> = vec![
        ("four weeks, the gap stops it", "2026-11-24 10:00", weeks.to_vec(), 4),
        ("gap in mid-November", "2026-11-24 10:00", without("2026-11-16T18:00:00Z"), 1),
        ("latest week missing", "2026-11-24 10:00", without("2026-11-22T18:30:00Z"), 0),
        ("upcoming week not done doesn't break it", "2026-11-28 12:00", weeks.to_vec(), 4),
        ("upcoming week done early counts", "2026-11-28 12:00", with(&["2026-11-27T18:00:00Z"]), 5),
        ("two meetings in one week count once", "2026-11-24 10:00", with(&["2026-11-23T18:00:00Z"]), 4),
        ("meetings after now are ignored", "2026-11-24 10:00", with(&["2026-11-29T18:30:00Z"]), 4),
        ("the week after the gap alone", "2026-11-03 10:00", weeks.to_vec(), 1),
        ("nothing", "2026-11-24 10:00", vec![], 0),
    ];
    for (what, now, done, want) in cases {
        let h = hist(STARTED, &done);
        assert_eq!(meeting_streak(local(Berlin, now), &sun, &h), want, "{what}");
    }
}

#[test]
fn evening_streak_forgives_one_miss_in_seven() {
    let today = date("2026-11-30");
    let d = |n: i64| today - Duration::days(n);
    let except = |len: i64, missing: &[i64]| -> Vec<NaiveDate> {
        (0..len).filter(|n| !missing.contains(n)).map(d).collect()
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, Vec<NaiveDate>, u32)> = vec![
        ("ten evenings", except(10, &[]), 10),
        ("one miss forgiven", except(10, &[3]), 9),
        ("two misses 7 days apart both forgiven", except(20, &[3, 10]), 18),
        ("two misses 6 days apart: the second breaks", except(20, &[3, 9]), 8),
        ("two misses 2 days apart", except(10, &[3, 5]), 4),
        ("two misses in a row", except(10, &[3, 4]), 3),
        ("tonight pending", (1..5).map(d).collect(), 4),
        ("tonight pending and yesterday missed", (2..6).map(d).collect(), 4),
        ("tonight pending, last two missed", (3..8).map(d).collect(), 0),
        ("order doesn't matter", except(10, &[3]).into_iter().rev().collect(), 9),
        ("nothing", vec![], 0),
    ];
    for (what, both, want) in cases {
        assert_eq!(evening_streak(today, &both), want, "{what}");
    }
}

/// Words the header text must (or must not) contain.
type Words = &'static [&'static str];

#[test]
fn describe_each_state() {
    let sun = Settings::default();
    #[rustfmt::skip]
    let cases: Vec<(&str, Tz, &str, History, Words, Words)> = vec![
        ("upcoming in 6 days", Berlin, "2026-11-23 12:00", History::default(),
            &["in 6 days", "Sunday 19:00"], &["due", "overdue", "done"]),
        ("upcoming tomorrow", Berlin, "2026-11-28 12:00", History::default(),
            &["in 1 day", "tomorrow 19:00"], &["days", "overdue"]),
        ("upcoming today", Berlin, "2026-11-29 10:00", History::default(), &["today 19:00"], &["in 0", "tomorrow", "due"]),
        ("upcoming across fall-back (NY)", New_York, "2026-10-26 12:00", History::default(),
            &["in 6 days", "Sunday 19:00"], &["18:00", "20:00"]),
        ("due", Berlin, "2026-11-29 19:30", hist(STARTED, &["2026-11-22T18:30:00Z"]),
            &["due", "today 19:00"], &["overdue", "done"]),
        ("overdue one week", Berlin, "2026-11-30 20:00", hist(STARTED, &["2026-11-22T18:30:00Z"]),
            &["overdue", "yesterday 19:00", "1 week missed"], &["done"]),
        ("overdue three weeks", Berlin, "2026-11-29 20:00", hist(STARTED, &["2026-11-08T18:30:00Z"]),
            &["overdue", "Sun 15 Nov", "3 weeks missed"], &["done"]),
        ("done", Berlin, "2026-11-30 12:00", hist(STARTED, &["2026-11-29T19:00:00Z"]),
            &["done", "yesterday 20:00", "next Sunday 19:00"], &["due"]),
    ];
    for (what, tz, now, h, has, lacks) in cases {
        let now = local(tz, now);
        let text = describe(now, &weekly_status(now, &sun, &h));
        for w in has {
            assert!(text.contains(w), "{what}: {text:?} should contain {w:?}");
        }
        for w in lacks {
            assert!(
                !text.contains(w),
                "{what}: {text:?} should not contain {w:?}"
            );
        }
    }
}

#[test]
fn eve_is_the_36_hours_before() {
    let at = upcoming("2026-11-29T18:00:00Z");
    #[rustfmt::skip]
    let cases = [
        ("Saturday noon", "2026-11-28 12:00", true),
        ("Friday noon", "2026-11-27 12:00", false),
        ("after the time", "2026-11-29 19:30", false),
    ];
    for (what, now, want) in cases {
        assert_eq!(is_eve(local(Berlin, now), &at), want, "{what}");
    }
    assert!(!is_eve(
        local(Berlin, "2026-11-28 12:00"),
        &due("2026-11-29T18:00:00Z")
    ));
}

#[test]
fn a_skipped_week_is_covered_but_described_as_skipped() {
    let now = Berlin.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap(); // Monday
    let skip = u("2026-11-22T18:30:00Z");
    let h = History {
        started_at: Some(u("2026-11-01T00:00:00Z")),
        done: vec![skip],
        skipped: vec![skip],
    };
    let st = weekly_status(now, &Settings::default(), &h);
    assert!(matches!(st, WeeklyStatus::SkippedThisWeek { .. }), "{st:?}");
    assert!(!st.wants_meeting());
    assert!(
        describe(now, &st).contains("skipped"),
        "{}",
        describe(now, &st)
    );
}

#[test]
fn a_skipped_week_does_not_extend_the_meeting_streak() {
    let now = Berlin.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let held = [u("2026-11-08T18:30:00Z"), u("2026-11-15T18:30:00Z")];
    let skip = u("2026-11-22T18:30:00Z");
    let mut h = History {
        started_at: Some(u("2026-10-01T00:00:00Z")),
        done: held.to_vec(),
        skipped: vec![],
    };
    h.done.push(skip);
    assert_eq!(
        meeting_streak(now, &Settings::default(), &h),
        3,
        "as if held"
    );
    h.skipped.push(skip);
    assert_eq!(
        meeting_streak(now, &Settings::default(), &h),
        0,
        "a skip breaks it"
    );
}
