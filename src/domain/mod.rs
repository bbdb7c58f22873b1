//! Plain data and the one place where input is validated. No I/O here.

mod agreement;
mod checkin;
mod meeting;
mod passphrase;
mod rules;
mod win;

pub use agreement::*;
pub use checkin::*;
pub use meeting::*;
pub use passphrase::*;
pub use rules::*;
pub use win::*;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

pub const MAX_TEXT: usize = 2000;
pub const MAX_NAME: usize = 40;
pub const MAX_TAG: usize = 30;
pub const MAX_TAGS: usize = 10;

pub type Id = String;

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
    /// 1 or 2: the order the couple gave their names in.
    pub seat: u8,
    pub name: String,
    pub color: String,
    pub created_at: DateTime<Utc>,
}

pub const PARTNER_COLORS: [&str; 6] = ["magenta", "cyan", "yellow", "green", "blue", "red"];

pub fn default_color(seat: u8) -> &'static str {
    if seat == 1 {
        "magenta"
    } else {
        "cyan"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub weekly_weekday: Weekday,
    pub weekly_time: NaiveTime,
    /// Check-ins before this local time count for the evening before.
    pub day_boundary: NaiveTime,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            weekly_weekday: Weekday::Sun,
            weekly_time: NaiveTime::from_hms_opt(19, 0, 0).expect("valid time"),
            day_boundary: NaiveTime::from_hms_opt(4, 0, 0).expect("valid time"),
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
    fn week_starts_on_monday() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(); // a Sunday
        assert_eq!(week_start(d).to_string(), "2026-11-23");
        assert_eq!(week_start(week_start(d)), week_start(d));
    }
}
