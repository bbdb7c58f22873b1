//! Validation: the one place the rules for text, names, tags, ratings and times live.

use chrono::{NaiveTime, Weekday};

use super::{parse_weekday, MAX_NAME, MAX_TAG, MAX_TEXT, PARTNER_COLORS};
use crate::error::ValidationError;
use crate::text::shown;

fn check_chars(field: &'static str, s: &str, multiline: bool) -> Result<(), ValidationError> {
    // Direction overrides and isolates would turn the rest of a line around wherever the
    // words are shown (the app, a shell, an export): refused like control characters.
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let bad = s
        .chars()
        .any(|c| (c.is_control() && !(multiline && (c == '\n' || c == '\t'))) || bidi(c));
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
