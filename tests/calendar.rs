//! The calendar file, read back by independent parsers, agrees with the scheduler.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Berlin;
use duet::domain::Settings;
use duet::schedule;

fn ics_for(now: DateTime<chrono_tz::Tz>, settings: &Settings) -> String {
    let first = schedule::next_occurrence(now, settings).with_timezone(&Berlin);
    duet::calendar::ics(
        settings,
        first.naive_local(),
        "test-id",
        ["Alex", "Sam"],
        now.with_timezone(&Utc),
    )
}

fn property(ics: &str, name: &str) -> String {
    let mut parser = ical::IcalParser::new(ics.as_bytes());
    let cal = parser.next().expect("one calendar").expect("parses");
    let event = cal.events.first().expect("one event");
    event
        .properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn the_file_parses_and_repeats_like_the_scheduler_across_daylight_saving() {
    // Three weeks before the clocks go back in Berlin (25 October 2026).
    let now = Berlin.with_ymd_and_hms(2026, 10, 5, 12, 0, 0).unwrap();
    for (day, hour, minute) in [
        (Weekday::Sun, 19, 0),
        (Weekday::Wed, 7, 30),
        (Weekday::Sat, 21, 15),
    ] {
        let settings = Settings {
            weekly_weekday: day,
            weekly_time: NaiveTime::from_hms_opt(hour, minute, 0).unwrap(),
            ..Settings::default()
        };
        let ics = ics_for(now, &settings);
        assert!(ics.contains("\r\n"), "lines end in CRLF");
        let dtstart = property(&ics, "DTSTART");
        let rule = property(&ics, "RRULE");
        assert!(property(&ics, "SUMMARY").contains("Alex"));

        // rrule expands the same DTSTART and RULE, read as Berlin wall-clock time.
        let set: rrule::RRuleSet = format!("DTSTART;TZID=Europe/Berlin:{dtstart}\nRRULE:{rule}")
            .parse()
            .expect("rrule parses");
        let theirs: Vec<DateTime<Utc>> = set
            .all(8)
            .dates
            .iter()
            .map(|d| d.with_timezone(&Utc))
            .collect();

        let first = schedule::next_occurrence(now, &settings);
        let first_date = first.with_timezone(&Berlin).date_naive();
        let ours: Vec<DateTime<Utc>> = (0..8)
            .map(|k| {
                schedule::occurrence_on(
                    &Berlin,
                    first_date + Duration::weeks(k),
                    settings.weekly_time,
                )
            })
            .collect();
        assert_eq!(theirs, ours, "{day:?} {hour}:{minute}");
        // Across the change the UTC hour moves, the local hour does not.
        let local_hours: Vec<_> = ours
            .iter()
            .map(|t| t.with_timezone(&Berlin).time())
            .collect();
        assert!(local_hours.iter().all(|t| *t == settings.weekly_time));
        assert_ne!(
            ours[0].time(),
            ours[7].time(),
            "the window should cross a DST change"
        );
    }
}

#[test]
fn status_remind_and_calendar_agree_on_the_next_meeting() {
    let settings = Settings::default();
    let now = Berlin.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let history = schedule::History {
        started_at: Some(now.with_timezone(&Utc)),
        done: vec![],
        skipped: vec![],
    };
    let status = schedule::weekly_status(now, &settings, &history);
    let next = schedule::next_occurrence(now, &settings);
    assert_eq!(status.next_at(), next);
    let dtstart = property(&ics_for(now, &settings), "DTSTART");
    assert_eq!(
        dtstart,
        next.with_timezone(&Berlin)
            .format("%Y%m%dT%H%M%S")
            .to_string()
    );
    assert_eq!(dtstart, "20261129T190000");
}
