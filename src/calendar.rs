//! The weekly check-in as an iCalendar file: one event that repeats weekly.
//!
//! DTSTART names the local time zone (TZID) and the file carries that zone's rules
//! (VTIMEZONE), so "Sunday 19:00" stays 19:00 across daylight-saving changes in every calendar,
//! including those that read a time without a zone as UTC. Where the zone can't be named, the
//! time is written floating (wall-clock time wherever the calendar is). SEQUENCE grows with
//! each change of the weekly day or time, so an imported event is updated, not kept.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday,
};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

use crate::domain::Settings;

fn byday(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// Text values escape backslash, comma, semicolon and newline (RFC 5545 3.3.11).
fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace('\n', "\\n")
}

/// Lines longer than 75 octets are folded with CRLF and a space (RFC 5545 3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        if len + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// The zone this machine's local time is in, by its IANA name: `TZ` when it names one (as
/// chrono's local time reads it), else the system's setting. None when neither names a zone
/// known here, or the zone disagrees with the local offset `now` has.
pub fn local_zone<Z: TimeZone>(now: &DateTime<Z>) -> Option<Tz> {
    let name = match std::env::var("TZ") {
        Ok(tz) if !tz.is_empty() => {
            let tz = tz.trim_start_matches(':');
            tz.rsplit_once("zoneinfo/")
                .map_or(tz, |(_, n)| n)
                .to_string()
        }
        _ => iana_time_zone::get_timezone().ok()?,
    };
    let zone: Tz = name.parse().ok()?;
    let utc = now.with_timezone(&Utc);
    let offset_here = now.offset().fix();
    let offset_there = zone.offset_from_utc_datetime(&utc.naive_utc()).fix();
    (offset_here == offset_there).then_some(zone)
}

/// `first` is the local date and time of the next weekly check-in; `uid` should be stable for
/// the journal, so importing the file again updates the event instead of adding another, and
/// `sequence` grows with every change of the schedule. With a `zone`, the time is that zone's.
pub fn ics(
    settings: &Settings,
    first: NaiveDateTime,
    uid: &str,
    names: [&str; 2],
    stamp: DateTime<Utc>,
    zone: Option<Tz>,
    sequence: u32,
) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//duet//weekly check-in//EN".into(),
        "CALSCALE:GREGORIAN".into(),
    ];
    let dtstart = match zone {
        Some(tz) => {
            lines.extend(vtimezone(tz, first.date().year()));
            format!(
                "DTSTART;TZID={}:{}",
                tz.name(),
                first.format("%Y%m%dT%H%M%S")
            )
        }
        None => format!("DTSTART:{}", first.format("%Y%m%dT%H%M%S")),
    };
    lines.extend([
        "BEGIN:VEVENT".into(),
        format!("UID:weekly-{uid}@duet"),
        format!("SEQUENCE:{sequence}"),
        format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")),
        dtstart,
        "DURATION:PT30M".into(),
        format!("RRULE:FREQ=WEEKLY;BYDAY={}", byday(settings.weekly_weekday)),
        format!("SUMMARY:{}", text(&format!("Weekly check-in: {} & {}", names[0], names[1]))),
        format!(
            "DESCRIPTION:{}",
            text("Open duet and press W: appreciations, what went right, how the week felt, agreements, one hard thing, trust, a good time to plan, and next week's intention.")
        ),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ]);
    lines.iter().map(|l| fold(l)).collect()
}

/// A change of a zone's offset: when, the offsets before and after, the name after, and
/// whether it is summer time after: the higher offset of the two, as calendars take DAYLIGHT
/// to be (Dublin's tz data calls its winter the daylight saving one).
#[derive(Debug, Clone, PartialEq)]
struct Change {
    at: DateTime<Utc>,
    from: i32,
    to: i32,
    name: String,
    summer: bool,
}

/// The offset at `t`, its name (or the offset itself, for zones whose names are numbers), and
/// whether it is summer time.
fn offset_at(tz: Tz, t: DateTime<Utc>) -> (i32, String, bool) {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    let seconds = o.fix().local_minus_utc();
    let name = o
        .abbreviation()
        .map(str::to_string)
        .unwrap_or_else(|| utc_offset(seconds));
    (seconds, name, !o.dst_offset().is_zero())
}

/// Every change of offset in `year` (UTC), found hour by hour and then to the minute.
fn changes_in(tz: Tz, year: i32) -> Vec<Change> {
    let Some(start) = NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0))
    else {
        return Vec::new();
    };
    let same = |a: &(i32, String, bool), b: &(i32, String, bool)| a.0 == b.0 && a.2 == b.2;
    let mut t = start.and_utc();
    let mut out = Vec::new();
    let mut before = offset_at(tz, t);
    while t.year() == year {
        let next = t + Duration::hours(1);
        let after = offset_at(tz, next);
        if !same(&after, &before) {
            // The first minute of the hour at which the new offset holds.
            let mut at = t;
            while same(&offset_at(tz, at), &before) {
                at += Duration::minutes(1);
            }
            out.push(Change {
                at,
                from: before.0,
                to: after.0,
                name: after.1.clone(),
                summer: if after.0 == before.0 {
                    after.2
                } else {
                    after.0 > before.0
                },
            });
        }
        before = after;
        t = next;
    }
    out
}

fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    if s % 60 == 0 {
        format!("{sign}{:02}{:02}", s / 3600, s / 60 % 60)
    } else {
        format!("{sign}{:02}{:02}{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

/// A yearly rule for a change's date, as tz data writes them: the nth (or last) weekday of a
/// month, or the first weekday on or after a day of it ("Fri>=23").
#[derive(Debug, Clone, Copy, PartialEq)]
enum Yearly {
    Nth {
        month: u32,
        which: i32,
        weekday: Weekday,
    },
    OnOrAfter {
        month: u32,
        day: u32,
        weekday: Weekday,
    },
}

impl Yearly {
    /// The rules `date` could be the instance of: its place in the month, and each day of
    /// the week before it that it could be "on or after".
    fn candidates(date: NaiveDate) -> Vec<Yearly> {
        let (month, weekday) = (date.month(), date.weekday());
        let last = (date + Duration::days(7)).month() != month;
        let which = if last {
            -1
        } else {
            (date.day() as i32 - 1) / 7 + 1
        };
        let mut out = vec![Yearly::Nth {
            month,
            which,
            weekday,
        }];
        for day in (date.day().saturating_sub(6).max(1)..=date.day()).rev() {
            out.push(Yearly::OnOrAfter {
                month,
                day,
                weekday,
            });
        }
        out
    }

    /// The date the rule names in `year`.
    fn date(self, year: i32) -> Option<NaiveDate> {
        match self {
            Yearly::Nth {
                month,
                which,
                weekday,
            } if which > 0 => {
                NaiveDate::from_weekday_of_month_opt(year, month, weekday, which as u8)
            }
            Yearly::Nth { month, weekday, .. } => {
                let next_month = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)?
                };
                let last_day = next_month - Duration::days(1);
                let back = (7 + last_day.weekday().num_days_from_monday()
                    - weekday.num_days_from_monday())
                    % 7;
                Some(last_day - Duration::days(back as i64))
            }
            Yearly::OnOrAfter {
                month,
                day,
                weekday,
            } => {
                let from = NaiveDate::from_ymd_opt(year, month, day)?;
                let ahead = (7 + weekday.num_days_from_monday()
                    - from.weekday().num_days_from_monday())
                    % 7;
                Some(from + Duration::days(ahead as i64)).filter(|d| d.month() == month)
            }
        }
    }

    fn rrule(self) -> String {
        match self {
            Yearly::Nth {
                month,
                which,
                weekday,
            } => format!(
                "FREQ=YEARLY;BYMONTH={month};BYDAY={which}{}",
                byday(weekday)
            ),
            Yearly::OnOrAfter {
                month,
                day,
                weekday,
            } => {
                let days: Vec<String> = (day..day + 7).map(|d| d.to_string()).collect();
                format!(
                    "FREQ=YEARLY;BYMONTH={month};BYDAY={};BYMONTHDAY={}",
                    byday(weekday),
                    days.join(",")
                )
            }
        }
    }
}

/// The wall-clock time a change happens at, by the offset before it.
fn local_at(c: &Change) -> NaiveDateTime {
    (c.at + Duration::seconds(c.from as i64)).naive_utc()
}

/// The offset in force from local `start` on, as a change to itself.
fn standing(tz: Tz, start: NaiveDateTime, summer: bool) -> Change {
    let (offset, name, _) = offset_at(tz, start.and_utc());
    Change {
        at: start.and_utc() - Duration::seconds(offset as i64),
        from: offset,
        to: offset,
        name,
        summer,
    }
}

fn component(c: &Change, rule: Option<String>) -> Vec<String> {
    let kind = if c.summer { "DAYLIGHT" } else { "STANDARD" };
    let mut lines = vec![
        format!("BEGIN:{kind}"),
        format!("TZOFFSETFROM:{}", utc_offset(c.from)),
        format!("TZOFFSETTO:{}", utc_offset(c.to)),
        format!("TZNAME:{}", text(&c.name)),
        format!("DTSTART:{}", local_at(c).format("%Y%m%dT%H%M%S")),
    ];
    if let Some(rule) = rule {
        lines.push(format!("RRULE:{rule}"));
    }
    lines.push(format!("END:{kind}"));
    lines
}

/// How many years a yearly rule must hold to be written as one.
const RULE_YEARS: i32 = 20;
/// How many years of changes are written out for a zone whose changes follow no yearly rule.
const LISTED_YEARS: i32 = 40;

/// The zone's rules from the year before `year` on: each kind of change as a yearly rule when
/// the next twenty years keep to it (as most zones do), otherwise every change of forty years
/// listed.
fn vtimezone(tz: Tz, year: i32) -> Vec<String> {
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{}", tz.name())];
    let first_year = year - 1;
    let years: Vec<Vec<Change>> = (first_year..first_year + RULE_YEARS)
        .map(|y| changes_in(tz, y))
        .collect();
    let first = &years[0];
    // The rule the first year's change `i` follows, if every year has its like on the date
    // the rule names, at the same time, between the same offsets.
    let rule_of = |i: usize, c: &Change| {
        Yearly::candidates(local_at(c).date())
            .into_iter()
            .find(|rule| {
                years.iter().enumerate().all(|(k, changes)| {
                    changes.len() == first.len()
                        && changes.get(i).is_some_and(|x| {
                            let l = local_at(x);
                            Some(l.date()) == rule.date(first_year + k as i32)
                                && l.time() == local_at(c).time()
                                && (x.from, x.to) == (c.from, c.to)
                        })
                })
            })
    };
    let rules: Vec<Option<Yearly>> = first
        .iter()
        .enumerate()
        .map(|(i, c)| rule_of(i, c))
        .collect();
    let year_start = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default()
    };
    if years.iter().all(Vec::is_empty) {
        // No changes: one standard time, from long ago.
        let now = standing(tz, year_start(year), false);
        lines.extend(component(
            &Change {
                at: year_start(1970).and_utc() - Duration::seconds(now.from as i64),
                ..now
            },
            None,
        ));
    } else if !first.is_empty() && rules.iter().all(Option::is_some) {
        for (c, rule) in first.iter().zip(rules) {
            lines.extend(component(c, rule.map(Yearly::rrule)));
        }
    } else {
        // The offset in force when the listing starts (summer time if the first change goes
        // down from it), then every change in the years listed.
        let all: Vec<Change> = (first_year..first_year + LISTED_YEARS)
            .flat_map(|y| changes_in(tz, y))
            .collect();
        let summer_first = all.first().is_some_and(|c| c.to < c.from);
        lines.extend(component(
            &standing(tz, year_start(first_year), summer_first),
            None,
        ));
        for c in &all {
            lines.extend(component(c, None));
        }
    }
    lines.push("END:VTIMEZONE".into());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_and_text_escapes() {
        let f = fold(&"x".repeat(100));
        assert!(f.lines().all(|l| l.len() <= 75));
        assert!(f.contains("\r\n "));
        assert_eq!(text("a,b;c\nd\\"), "a\\,b\\;c\\nd\\\\");
    }
}
