//! An evening's check-in: what each partner says about the day.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{optional_text, rating, Id};
use crate::error::ValidationError;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_ratings() {
        assert_eq!(mood_word(1), "rough");
        assert_eq!(closeness_word(5), "very close");
        assert_eq!(mood_word(0), "?");
    }
}
