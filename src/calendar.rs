//! The weekly check-in as an iCalendar file: one event that repeats weekly.
//!
//! DTSTART is written as floating local time (no zone): RFC 5545 reads it as wall-clock time
//! wherever the calendar is, which is what duet means by "Sunday 19:00", across daylight-saving
//! changes too.

use chrono::{DateTime, NaiveDateTime, Utc, Weekday};

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

/// `first` is the local date and time of the next weekly check-in; `uid` should be stable for
/// the journal, so importing the file again updates the event instead of adding another.
pub fn ics(
    settings: &Settings,
    first: NaiveDateTime,
    uid: &str,
    names: [&str; 2],
    stamp: DateTime<Utc>,
) -> String {
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//duet//weekly check-in//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:weekly-{uid}@duet"),
        format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART:{}", first.format("%Y%m%dT%H%M%S")),
        "DURATION:PT30M".into(),
        format!("RRULE:FREQ=WEEKLY;BYDAY={}", byday(settings.weekly_weekday)),
        format!("SUMMARY:{}", text(&format!("Weekly check-in: {} & {}", names[0], names[1]))),
        format!(
            "DESCRIPTION:{}",
            text("Open duet and press W: appreciations, what went right, how the week felt, agreements, one hard thing, trust, a good time to plan, and next week's intention.")
        ),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ];
    lines.iter().map(|l| fold(l)).collect()
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
