//! Plain data and the one place where input is validated. No I/O here.

mod agreement;
mod checkin;
mod meeting;
mod passphrase;
mod repair;
mod rules;
mod win;

pub use agreement::*;
pub use checkin::*;
pub use meeting::*;
pub use passphrase::*;
pub use repair::*;
pub use rules::*;
pub use win::*;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

pub const MAX_TEXT: usize = 2000;
pub const MAX_NAME: usize = 40;
pub const MAX_TAG: usize = 30;
pub const MAX_TAGS: usize = 10;

pub type Id = String;

/// How many times a row has been saved. A row starts at 1; exports from before revisions
/// existed read as 1.
pub type Revision = i64;

pub fn first_revision() -> Revision {
    1
}

pub fn new_id() -> Id {
    uuid::Uuid::new_v4().to_string()
}

/// Instants are kept to the second: enough for a journal, and exports stay byte-stable.
pub fn instant(now: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub id: Id,
    pub seat: Seat,
    pub name: String,
    pub color: String,
    pub created_at: DateTime<Utc>,
}

/// Whether the terminal draws on a dark or a light background: the screen's colours are chosen
/// for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Background {
    #[default]
    Dark,
    Light,
}

pub const PARTNER_COLORS: [&str; 6] = ["magenta", "cyan", "yellow", "green", "blue", "red"];

pub fn default_color(seat: Seat) -> &'static str {
    match seat {
        Seat::First => "magenta",
        Seat::Second => "cyan",
    }
}

/// Which of the two partners: the order the couple gave their names in. Stored and exported
/// as 1 or 2.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub enum Seat {
    #[default]
    First,
    Second,
}

impl Seat {
    pub const ALL: [Seat; 2] = [Seat::First, Seat::Second];

    pub fn other(self) -> Seat {
        match self {
            Seat::First => Seat::Second,
            Seat::Second => Seat::First,
        }
    }

    /// 1 or 2, as people (and the journal) count them.
    pub fn number(self) -> u8 {
        match self {
            Seat::First => 1,
            Seat::Second => 2,
        }
    }

    pub fn from_number(n: u8) -> Option<Seat> {
        match n {
            1 => Some(Seat::First),
            2 => Some(Seat::Second),
            _ => None,
        }
    }
}

impl From<Seat> for u8 {
    fn from(s: Seat) -> u8 {
        s.number()
    }
}

impl TryFrom<u8> for Seat {
    type Error = String;
    fn try_from(n: u8) -> Result<Seat, String> {
        Seat::from_number(n).ok_or_else(|| format!("a seat is 1 or 2 (got {n})"))
    }
}

/// Whatever there is one of for each partner (check-ins, marks, notes) is kept in seat order.
impl<T> std::ops::Index<Seat> for [T; 2] {
    type Output = T;
    fn index(&self, s: Seat) -> &T {
        &self[usize::from(s.number() - 1)]
    }
}

impl<T> std::ops::IndexMut<Seat> for [T; 2] {
    fn index_mut(&mut self, s: Seat) -> &mut T {
        &mut self[usize::from(s.number() - 1)]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub weekly_weekday: Weekday,
    pub weekly_time: NaiveTime,
    /// Check-ins before this local time count for the evening before.
    pub day_boundary: NaiveTime,
    /// When the weekly day or time last changed: the schedule counts from then on, never
    /// backwards. None until the first change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_from: Option<DateTime<Utc>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            weekly_weekday: Weekday::Sun,
            weekly_time: NaiveTime::from_hms_opt(19, 0, 0).expect("valid time"),
            day_boundary: NaiveTime::from_hms_opt(4, 0, 0).expect("valid time"),
            weekly_from: None,
        }
    }
}

/// The evening a local moment belongs to: 00:30 with a 04:00 boundary is still last evening.
pub fn evening_of(local: NaiveDateTime, boundary: NaiveTime) -> NaiveDate {
    let since_midnight = boundary.signed_duration_since(NaiveTime::MIN);
    (local - since_midnight).date()
}

/// The Monday that starts the week an evening belongs to (wins are grouped by it).
pub fn week_start(evening: NaiveDate) -> NaiveDate {
    evening - Duration::days(evening.weekday().num_days_from_monday() as i64)
}

/// Monday first, as settings store them (0 = Monday).
pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// A day as people name it, seen from `today`: "2026-11-23", "today", "yesterday", or a weekday
/// ("sunday", "last sun"): the latest such day before today.
pub fn parse_day(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let words = s.trim().to_lowercase();
    match words.as_str() {
        "today" | "tonight" => return Some(today),
        "yesterday" => return Some(today - Duration::days(1)),
        _ => {}
    }
    let t = words.as_str();
    // chrono would read "26-11-01" as the year 26.
    let iso = t.len() == 10
        && t.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if iso {
        return NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    }
    let day = parse_weekday(t.strip_prefix("last ").unwrap_or(t).trim())?;
    let back = (today.weekday().num_days_from_monday() + 7 - day.num_days_from_monday()) % 7;
    Some(today - Duration::days(if back == 0 { 7 } else { back as i64 }))
}

pub fn parse_weekday(s: &str) -> Option<Weekday> {
    let s = s.to_lowercase();
    if s.len() < 3 {
        return None;
    }
    WEEKDAYS
        .into_iter()
        .find(|d| weekday_name(*d).to_lowercase().starts_with(&s))
}

pub fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn half_past_midnight_counts_for_the_evening_before() {
        let b = NaiveTime::from_hms_opt(4, 0, 0).unwrap();
        assert_eq!(
            evening_of(at("2026-11-24 00:30"), b).to_string(),
            "2026-11-23"
        );
        assert_eq!(
            evening_of(at("2026-11-24 03:59"), b).to_string(),
            "2026-11-23"
        );
        assert_eq!(
            evening_of(at("2026-11-24 04:00"), b).to_string(),
            "2026-11-24"
        );
        assert_eq!(
            evening_of(at("2026-11-23 21:00"), b).to_string(),
            "2026-11-23"
        );
    }

    #[test]
    fn weekly_parsing() {
        assert_eq!(
            parse_weekly("sun 19:00").unwrap(),
            (Weekday::Sun, NaiveTime::from_hms_opt(19, 0, 0).unwrap())
        );
        assert_eq!(parse_weekly("Wednesday 7:30").unwrap().0, Weekday::Wed);
        assert!(parse_weekly("funday 19:00").is_err());
        assert!(parse_weekly("sun 25:00").is_err());
        assert!(parse_weekly("sun").is_err());
        assert!(parse_weekly("s 19:00").is_err());
    }

    #[test]
    fn days_as_people_name_them() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(); // a Wednesday
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_day("today", today), d(2026, 11, 25));
        assert_eq!(parse_day("Yesterday", today), d(2026, 11, 24));
        assert_eq!(parse_day("last sunday", today), d(2026, 11, 22));
        assert_eq!(
            parse_day("wed", today),
            d(2026, 11, 18),
            "a week back, not today"
        );
        assert_eq!(parse_day("2026-02-28", today), d(2026, 2, 28));
        assert_eq!(parse_day("26-02-28", today), None);
        assert_eq!(parse_day("2026-02-30", today), None);
        assert_eq!(parse_day("someday", today), None);
    }

    #[test]
    fn seats_are_one_and_two_and_each_has_an_other() {
        let pair = ["Alex", "Sam"];
        assert_eq!(pair[Seat::First], "Alex");
        assert_eq!(pair[Seat::First.other()], "Sam");
        assert_eq!(Seat::Second.other(), Seat::First);
        assert_eq!(serde_json::to_string(&Seat::Second).unwrap(), "2");
        assert_eq!(serde_json::from_str::<Seat>("1").unwrap(), Seat::First);
        assert!(serde_json::from_str::<Seat>("3").is_err());
    }

    #[test]
    fn week_starts_on_monday() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(); // a Sunday
        assert_eq!(week_start(d).to_string(), "2026-11-23");
        assert_eq!(week_start(week_start(d)), week_start(d));
    }
}
