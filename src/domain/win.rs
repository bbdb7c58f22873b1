//! Small wins, logged and celebrated.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{required_text, tag, Id, MAX_TAGS};
use crate::error::ValidationError;

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
    #[serde(default = "super::first_revision")]
    pub revision: super::Revision,
    /// When its words (or who, about whom, tags) were last changed, if ever.
    #[serde(default)]
    pub edited_at: Option<DateTime<Utc>>,
    /// Deleted wins are kept, marked, so a delete can be undone.
    #[serde(default)]
    pub deleted_at: Option<DateTime<Utc>>,
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
