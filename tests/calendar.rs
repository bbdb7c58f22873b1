//! The calendar file, read back by independent parsers, agrees with the scheduler.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Berlin;
use chrono_tz::Tz;
use duet::domain::Settings;
use duet::schedule;

fn ics_for(now: DateTime<chrono_tz::Tz>, settings: &Settings) -> String {
    ics_in(now.timezone(), now, settings, Some(now.timezone()))
}

fn ics_in(tz: Tz, now: DateTime<Tz>, settings: &Settings, zone: Option<Tz>) -> String {
    let first = schedule::next_occurrence(now, settings).with_timezone(&tz);
    duet::calendar::ics(
        settings,
        first.naive_local(),
        "test-id",
        ["Alex", "Sam"],
        now.with_timezone(&Utc),
        zone,
        0,
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

/// One part of a VTIMEZONE as a parser reads it: the offsets, and when it starts (wall-clock
/// time by the offset before), once or yearly by its rule.
struct Part {
    from: i32,
    to: i32,
    onsets: Vec<chrono::NaiveDateTime>,
}

fn seconds(offset: &str) -> i32 {
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits = &offset[1..];
    let n = |r: std::ops::Range<usize>| digits.get(r).map_or(0, |d| d.parse::<i32>().unwrap());
    sign * (n(0..2) * 3600 + n(2..4) * 60 + n(4..6))
}

/// The zone's parts from the file, read by the `ical` parser, each rule expanded by `rrule`.
fn parts(ics: &str, until_year: i32) -> (String, Vec<Part>) {
    let mut parser = ical::IcalParser::new(ics.as_bytes());
    let cal = parser.next().expect("one calendar").expect("parses");
    assert_eq!(cal.timezones.len(), 1, "one zone");
    let zone = &cal.timezones[0];
    let value = |props: &[ical::property::Property], name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    let tzid = value(&zone.properties, "TZID").expect("TZID");
    let parts = zone
        .transitions
        .iter()
        .map(|t| {
            let start = value(&t.properties, "DTSTART").expect("DTSTART");
            let first = chrono::NaiveDateTime::parse_from_str(&start, "%Y%m%dT%H%M%S").unwrap();
            let onsets = match value(&t.properties, "RRULE") {
                None => vec![first],
                Some(rule) => {
                    let set: rrule::RRuleSet = format!("DTSTART;TZID=UTC:{start}\nRRULE:{rule}")
                        .parse()
                        .expect("the zone's rule parses");
                    set.all(200)
                        .dates
                        .iter()
                        .map(|d| d.naive_utc())
                        .take_while(|d| chrono::Datelike::year(d) <= until_year)
                        .collect()
                }
            };
            Part {
                from: seconds(&value(&t.properties, "TZOFFSETFROM").expect("FROM")),
                to: seconds(&value(&t.properties, "TZOFFSETTO").expect("TO")),
                onsets,
            }
        })
        .collect();
    (tzid, parts)
}

/// The offset the parts give at `t`: that of the latest part to have started by then.
fn offset_at(parts: &[Part], t: DateTime<Utc>) -> i32 {
    parts
        .iter()
        .flat_map(|p| {
            p.onsets
                .iter()
                .map(move |o| (o.and_utc() - Duration::seconds(p.from as i64), p.to))
        })
        .filter(|(at, _)| *at <= t)
        .max_by_key(|(at, _)| *at)
        .map(|(_, to)| to)
        .expect("a part in force")
}

/// In zones with summer time by a yearly rule (both hemispheres, a half-hour one), with rules
/// of the "weekday on or after" kind (Chile, Israel, Greenland), with winter as the daylight
/// saving time (Ireland), with changes that follow no rule (Egypt, Morocco) and with none
/// (Tokyo): three years of weekly check-ins from now and three from 25 years on, read through
/// the file's own VTIMEZONE, fall at the same instants as the scheduler's, 19:00 on the zone's
/// wall clock.
#[test]
fn the_time_zone_in_the_file_agrees_with_the_scheduler_for_years() {
    use chrono_tz::{Africa, America, Asia, Australia, Europe};
    let settings = Settings::default();
    for tz in [
        Berlin,
        America::New_York,
        Australia::Sydney,
        Australia::Lord_Howe,
        America::Santiago,
        America::Nuuk,
        Asia::Jerusalem,
        Europe::Dublin,
        Africa::Cairo,
        Africa::Casablanca,
        Asia::Tokyo,
    ] {
        let now = tz.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let ics = ics_in(tz, now, &settings, Some(tz));
        let dtstart = ics
            .lines()
            .find(|l| l.starts_with("DTSTART;TZID="))
            .unwrap_or_else(|| panic!("{tz}: a DTSTART with its zone"));
        assert!(
            dtstart.starts_with(&format!("DTSTART;TZID={}:", tz.name())),
            "{dtstart}"
        );
        let (tzid, parts) = parts(&ics, 2060);
        assert_eq!(tzid, tz.name());
        let first = schedule::next_occurrence(now, &settings);
        let first_date = first.with_timezone(&tz).date_naive();
        // Three years from now, and three years from 25 years on: a yearly rule must hold
        // there too, and a zone whose changes are listed must be listed that far.
        for week in (0..156).chain(1300..1456) {
            let ours = schedule::occurrence_on(
                &tz,
                first_date + Duration::weeks(week),
                settings.weekly_time,
            );
            let wall = ours.with_timezone(&tz).naive_local();
            let offset = offset_at(&parts, ours);
            assert_eq!(
                (wall - Duration::seconds(offset as i64)).and_utc(),
                ours,
                "{tz}, week {week}: {wall} read with {offset} s"
            );
        }
    }
}

/// Where no zone can be named, the time is floating, as before: wall-clock time anywhere.
#[test]
fn without_a_zone_the_time_floats() {
    let now = Berlin.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let ics = ics_in(Berlin, now, &Settings::default(), None);
    assert!(!ics.contains("VTIMEZONE") && !ics.contains("TZID"), "{ics}");
    assert_eq!(property(&ics, "DTSTART"), "20261129T190000");
    assert_eq!(property(&ics, "SEQUENCE"), "0");
}

/// DAYLIGHT is the summer part, the higher offset, as calendars take it, even where the tz
/// data calls winter the daylight saving time (Dublin).
#[test]
fn daylight_is_the_summer_offset() {
    let now = chrono_tz::Europe::Dublin
        .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .unwrap();
    let ics = ics_for(now, &Settings::default());
    let daylight = ics
        .split("BEGIN:DAYLIGHT")
        .nth(1)
        .and_then(|rest| rest.split("END:DAYLIGHT").next())
        .expect("a DAYLIGHT part");
    assert!(daylight.contains("TZOFFSETTO:+0100"), "{daylight}");
    assert!(daylight.contains("TZNAME:IST"), "{daylight}");
}
