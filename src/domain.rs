//! Plain data and the one place where input is validated. No I/O here.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

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

use chrono::Datelike;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    pub id: Id,
    pub partner_id: Id,
    pub evening: NaiveDate,
    pub mood: u8,
    pub closeness: u8,
    pub appreciation: String,
    pub need: String,
    pub prompt_id: Option<String>,
    pub prompt_answer: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a partner fills in; the store turns it into a `CheckIn`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckInDraft {
    pub mood: u8,
    pub closeness: u8,
    pub appreciation: String,
    pub need: String,
    pub prompt_id: Option<String>,
    pub prompt_answer: String,
    pub note: String,
}

impl CheckInDraft {
    pub fn validated(&self) -> Result<CheckInDraft, ValidationError> {
        Ok(CheckInDraft {
            mood: rating("mood", self.mood as i64)?,
            closeness: rating("closeness", self.closeness as i64)?,
            appreciation: optional_text("the appreciation", &self.appreciation)?,
            need: optional_text("the need", &self.need)?,
            prompt_id: self.prompt_id.clone(),
            prompt_answer: optional_text("the prompt answer", &self.prompt_answer)?,
            note: optional_text("the note", &self.note)?,
        })
    }
}

pub const MOOD_WORDS: [&str; 5] = ["rough", "low", "okay", "good", "great"];
pub const CLOSENESS_WORDS: [&str; 5] = ["distant", "apart", "alright", "close", "very close"];

pub fn mood_word(n: u8) -> &'static str {
    MOOD_WORDS
        .get((n as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

pub fn closeness_word(n: u8) -> &'static str {
    CLOSENESS_WORDS
        .get((n as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgreementStatus {
    Proposed,
    Agreed,
    Revisit,
    Retired,
}

impl AgreementStatus {
    pub const ALL: [AgreementStatus; 4] = [
        AgreementStatus::Proposed,
        AgreementStatus::Agreed,
        AgreementStatus::Revisit,
        AgreementStatus::Retired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgreementStatus::Proposed => "proposed",
            AgreementStatus::Agreed => "agreed",
            AgreementStatus::Revisit => "revisit",
            AgreementStatus::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub partner_id: Id,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    pub id: Id,
    pub title: String,
    pub details: String,
    pub category: String,
    pub proposed_by: Id,
    pub status: AgreementStatus,
    pub review_every_weeks: u8,
    pub next_review: Option<NaiveDate>,
    pub consents: Vec<Consent>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Agreement {
    pub fn has_consented(&self, partner_id: &str) -> bool {
        self.consents.iter().any(|c| c.partner_id == partner_id)
    }

    /// The rule that makes an agreement shared: the proposer can't agree on the other's behalf.
    pub fn check_consent(&self, partner_id: &str) -> Result<(), ValidationError> {
        if self.status == AgreementStatus::Retired {
            return Err(ValidationError::Rule(
                "this agreement is retired; propose it again to bring it back".into(),
            ));
        }
        if self.status == AgreementStatus::Agreed {
            return Err(ValidationError::Rule(
                "you both already agreed to this".into(),
            ));
        }
        if self.has_consented(partner_id) {
            return Err(ValidationError::Rule(
                "you've already said yes; it needs your partner's consent".into(),
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementDraft {
    pub title: String,
    pub details: String,
    pub category: String,
    pub review_every_weeks: u8,
}

impl AgreementDraft {
    pub fn validated(&self) -> Result<AgreementDraft, ValidationError> {
        let title = required_text("the agreement", &self.title)?;
        if title.chars().count() > 120 {
            return Err(ValidationError::TooLong {
                field: "the agreement",
                len: title.chars().count(),
                max: 120,
            });
        }
        let category = optional_text("the category", &self.category)?;
        if category.contains('\n') {
            return Err(ValidationError::Rule(
                "the category must be one line".into(),
            ));
        }
        Ok(AgreementDraft {
            title: title.replace('\n', " "),
            details: optional_text("the details", &self.details)?,
            category,
            review_every_weeks: range(
                "the review interval (weeks)",
                self.review_every_weeks as i64,
                1,
                52,
            )? as u8,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewMark {
    Honored,
    Struggled,
    Revisit,
}

impl ReviewMark {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewMark::Honored => "honored",
            ReviewMark::Struggled => "struggled",
            ReviewMark::Revisit => "revisit",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ReviewMark::Honored => "honored",
            ReviewMark::Struggled => "struggled",
            ReviewMark::Revisit => "want to revisit",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementEvent {
    pub id: Id,
    pub agreement_id: Id,
    pub partner_id: Option<Id>,
    pub at: DateTime<Utc>,
    pub evening: NaiveDate,
    /// proposed, consented, edited, revisit, retired, reviewed, agreed
    pub kind: String,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Win {
    pub id: Id,
    pub text: String,
    pub logged_by: Id,
    /// `None` is a win about "us".
    pub about: Option<Id>,
    pub evening: NaiveDate,
    pub tags: Vec<String>,
    pub celebrated_by: Option<Id>,
    pub celebrated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WinDraft {
    pub text: String,
    pub about: Option<Id>,
    pub tags: Vec<String>,
}

impl WinDraft {
    pub fn validated(&self) -> Result<WinDraft, ValidationError> {
        // A win is one line: line breaks from the shell or a paste become spaces.
        let text = required_text("the win", &self.text)?
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if self.tags.len() > MAX_TAGS {
            return Err(ValidationError::Rule(format!(
                "at most {MAX_TAGS} tags on one win"
            )));
        }
        let mut tags = Vec::new();
        for t in &self.tags {
            let t = tag(t)?;
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        Ok(WinDraft {
            text,
            about: self.about.clone(),
            tags,
        })
    }
}

/// Milestones worth a word of celebration.
pub fn win_milestone(count: i64) -> Option<&'static str> {
    match count {
        10 => Some("10 wins! Small things, noticed. That's how trust grows."),
        25 => Some("25 wins together. Look how much you've noticed."),
        50 => Some("50 wins! Half a hundred good moments, written down."),
        100 => Some("100 wins. A hundred reasons, in your own words."),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub id: Id,
    pub week: NaiveDate,
    pub started_at: DateTime<Utc>,
    pub answers: serde_json::Value,
    pub intentions: serde_json::Value,
    pub completed_at: Option<DateTime<Utc>>,
    pub skipped_at: Option<DateTime<Utc>>,
    pub skip_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

// ---- validation: the one place the rules live ----

fn check_chars(field: &'static str, s: &str, multiline: bool) -> Result<(), ValidationError> {
    let bad = s
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')));
    if bad {
        Err(ValidationError::ControlCharacter { field })
    } else {
        Ok(())
    }
}

/// Trimmed, CRLF folded, control characters refused, at most `MAX_TEXT` characters; may be empty.
pub fn optional_text(field: &'static str, s: &str) -> Result<String, ValidationError> {
    use unicode_normalization::UnicodeNormalization;
    // NFC, so "é" typed as one character or as e + accent is the same text.
    let s: String = s.replace("\r\n", "\n").nfc().collect();
    let s = s.trim();
    check_chars(field, s, true)?;
    let len = s.chars().count();
    if len > MAX_TEXT {
        return Err(ValidationError::TooLong {
            field,
            len,
            max: MAX_TEXT,
        });
    }
    Ok(s.to_string())
}

pub fn required_text(field: &'static str, s: &str) -> Result<String, ValidationError> {
    let s = optional_text(field, s)?;
    if s.is_empty() {
        return Err(ValidationError::Empty { field });
    }
    Ok(s)
}

pub fn name(s: &str) -> Result<String, ValidationError> {
    use unicode_normalization::UnicodeNormalization;
    let s: String = s.nfc().collect();
    let s = s.trim();
    check_chars("a name", s, false)?;
    if s.is_empty() {
        return Err(ValidationError::Empty { field: "a name" });
    }
    let len = s.chars().count();
    if len > MAX_NAME {
        return Err(ValidationError::TooLong {
            field: "a name",
            len,
            max: MAX_NAME,
        });
    }
    if s.eq_ignore_ascii_case("us") {
        return Err(ValidationError::Rule(
            "\"us\" is kept for wins about both of you; choose another name".into(),
        ));
    }
    Ok(s.to_string())
}

/// Someone's input, safe to echo in a one-line message: control characters (newlines, escape
/// sequences) are shown as escapes instead of acting on the terminal.
pub fn shown(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// How names and search words are compared: NFC and case-folded, so "JOSÉ" finds "José"
/// however either was typed.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.trim().nfc().collect::<String>().to_lowercase()
}

pub fn tag(s: &str) -> Result<String, ValidationError> {
    let t = s.trim().trim_start_matches('#').to_lowercase();
    check_chars("a tag", &t, false)?;
    if t.is_empty() {
        return Err(ValidationError::Empty { field: "a tag" });
    }
    if t.chars().any(char::is_whitespace) {
        return Err(ValidationError::Rule(format!(
            "a tag is one word (got \"{}\")",
            shown(&t)
        )));
    }
    let len = t.chars().count();
    if len > MAX_TAG {
        return Err(ValidationError::TooLong {
            field: "a tag",
            len,
            max: MAX_TAG,
        });
    }
    Ok(t)
}

pub fn range(field: &'static str, v: i64, min: i64, max: i64) -> Result<i64, ValidationError> {
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(ValidationError::OutOfRange {
            field,
            value: v,
            min,
            max,
        })
    }
}

pub fn rating(field: &'static str, v: i64) -> Result<u8, ValidationError> {
    range(field, v, 1, 5).map(|v| v as u8)
}

pub fn color(s: &str) -> Result<String, ValidationError> {
    let c = s.trim().to_lowercase();
    if PARTNER_COLORS.contains(&c.as_str()) {
        Ok(c)
    } else {
        Err(ValidationError::Rule(format!(
            "unknown colour \"{}\"; choose one of {}",
            shown(s),
            PARTNER_COLORS.join(", ")
        )))
    }
}

/// A time of day as people type it: "19:00", "7:30".
pub fn time_of_day(s: &str) -> Result<NaiveTime, ValidationError> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| {
        ValidationError::Rule(format!(
            "\"{}\" isn't a time; write it like 19:00",
            shown(s.trim())
        ))
    })
}

/// Parses "sun 19:00", "Sunday 7:30", "wed 08:15".
pub fn parse_weekly(s: &str) -> Result<(Weekday, NaiveTime), ValidationError> {
    let bad = || {
        ValidationError::Rule(format!(
            "\"{}\" isn't a weekly time; write a day and a 24-hour time, like \"sun 19:00\"",
            shown(s)
        ))
    };
    let mut parts = s.split_whitespace();
    let (Some(day), Some(time), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let weekday = parse_weekday(day).ok_or_else(bad)?;
    let time = NaiveTime::parse_from_str(time, "%H:%M").map_err(|_| bad())?;
    Ok((weekday, time))
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
    fn text_rules() {
        assert_eq!(required_text("x", "  hi \r\nthere ").unwrap(), "hi \nthere");
        assert!(matches!(
            required_text("x", "   "),
            Err(ValidationError::Empty { .. })
        ));
        assert!(matches!(
            required_text("x", "a\u{1b}[31m"),
            Err(ValidationError::ControlCharacter { .. })
        ));
        assert!(optional_text("x", &"é".repeat(2000)).is_ok());
        assert!(matches!(
            optional_text("x", &"é".repeat(2001)),
            Err(ValidationError::TooLong { len: 2001, .. })
        ));
        assert_eq!(optional_text("x", "  ").unwrap(), "");
    }

    #[test]
    fn name_rules() {
        assert_eq!(name(" Sam ").unwrap(), "Sam");
        assert!(name("").is_err());
        assert!(name(&"a".repeat(41)).is_err());
        assert!(name(&"😀".repeat(40)).is_ok());
        assert!(name("a\nb").is_err());
        assert!(name("Us").is_err());
    }

    #[test]
    fn ratings_and_tags() {
        assert_eq!(rating("mood", 5).unwrap(), 5);
        assert!(rating("mood", 0).is_err());
        assert!(rating("mood", 6).is_err());
        assert_eq!(tag("#Kindness").unwrap(), "kindness");
        assert!(tag("two words").is_err());
        assert!(tag("#").is_err());
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

    #[test]
    fn words_for_ratings() {
        assert_eq!(mood_word(1), "rough");
        assert_eq!(closeness_word(5), "very close");
        assert_eq!(mood_word(0), "?");
    }
}

/// A journal's passphrase. It lives only in memory: it is zeroed when dropped, and its Debug
/// form hides it, so neither a log line nor a panic message can carry it.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(zeroize::Zeroizing<String>);

pub const MIN_PASSPHRASE: usize = 8;
const MAX_PASSPHRASE: usize = 1024;

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(hidden)")
    }
}

impl Passphrase {
    /// A passphrase to open a journal with: whatever was typed, in NFC so the same words typed
    /// on another keyboard or system still match.
    pub fn typed(s: &str) -> Passphrase {
        use unicode_normalization::UnicodeNormalization;
        Passphrase(zeroize::Zeroizing::new(s.nfc().collect()))
    }

    /// A passphrase chosen for a journal: long enough to be worth having.
    pub fn chosen(s: &str) -> Result<Passphrase, ValidationError> {
        let p = Passphrase::typed(s);
        if p.0.trim().is_empty() {
            return Err(ValidationError::Empty {
                field: "the passphrase",
            });
        }
        let len = p.0.chars().count();
        if len < MIN_PASSPHRASE {
            return Err(ValidationError::Rule(format!(
                "the passphrase needs at least {MIN_PASSPHRASE} characters (it has {len}); a few words is best"
            )));
        }
        if len > MAX_PASSPHRASE {
            return Err(ValidationError::TooLong {
                field: "the passphrase",
                len,
                max: MAX_PASSPHRASE,
            });
        }
        if p.0.chars().any(char::is_control) {
            return Err(ValidationError::ControlCharacter {
                field: "the passphrase",
            });
        }
        Ok(p)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}
