//! Repairs: taking responsibility for something, and the other partner's answer, in their time.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{optional_text, required_text, Id};
use crate::error::ValidationError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repair {
    pub id: Id,
    /// The partner taking responsibility.
    pub by: Id,
    pub evening: NaiveDate,
    pub what_happened: String,
    /// How it may have affected the other, in the words of the one taking responsibility.
    pub how_it_affected: String,
    pub do_differently: String,
    pub agreement_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default = "super::first_revision")]
    pub revision: super::Revision,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairDraft {
    pub what_happened: String,
    pub how_it_affected: String,
    pub do_differently: String,
    pub agreement_id: Option<Id>,
}

impl RepairDraft {
    pub fn validated(&self) -> Result<RepairDraft, ValidationError> {
        Ok(RepairDraft {
            what_happened: required_text("what happened", &self.what_happened)?,
            how_it_affected: optional_text("how it may have affected them", &self.how_it_affected)?,
            do_differently: optional_text("what you'll do differently", &self.do_differently)?,
            agreement_id: self.agreement_id.clone().filter(|a| !a.is_empty()),
        })
    }
}

/// The other partner's answer. Stored and exported as its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    #[serde(rename = "heard")]
    Heard,
    #[serde(rename = "thanks")]
    Thanks,
    #[serde(rename = "forgive")]
    Forgive,
    #[serde(rename = "not yet")]
    NotYet,
}

impl Response {
    /// In the order a choice offers them.
    pub const ALL: [Response; 4] = [
        Response::Heard,
        Response::Thanks,
        Response::Forgive,
        Response::NotYet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Response::Heard => "heard",
            Response::Thanks => "thanks",
            Response::Forgive => "forgive",
            Response::NotYet => "not yet",
        }
    }

    pub fn parse(s: &str) -> Option<Response> {
        let s = s.trim().to_lowercase().replace(['-', '_'], " ");
        Response::ALL
            .into_iter()
            .find(|r| r.as_str() == s || (s == "forgiven" && *r == Response::Forgive))
    }

    /// What the responding partner says, in their voice.
    pub fn words(self) -> &'static str {
        match self {
            Response::Heard => "I hear you",
            Response::Thanks => "Thank you",
            Response::Forgive => "I forgive you",
            Response::NotYet => "Not yet",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepairResponse {
    pub id: Id,
    pub repair_id: Id,
    pub partner_id: Id,
    pub response: Response,
    pub note: String,
    pub at: DateTime<Utc>,
    pub evening: NaiveDate,
}

/// The answer that stands: the latest, by time then id, so every device reads the same one.
pub fn current_response(responses: &[RepairResponse]) -> Option<&RepairResponse> {
    responses
        .iter()
        .max_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)))
}

/// A gentle word when an apology leans on an excuse. Never a block: the words are theirs.
pub fn excuse_note(text: &str) -> Option<&'static str> {
    let words: String = super::fold(text)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let t = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let leans = |p: &str| t.contains(p);
    if leans(" you made me ") || leans(" because you ") || leans(" if you hadn t ") {
        Some("A thought: it may land better without pointing back at the other.")
    } else if leans(" but ") {
        Some("A thought: a “but” can sound like an excuse.")
    } else {
        None
    }
}

/// A partner's own choice about the Markdown summary: whether the words of repairs may go in.
/// They do only while both partners have chosen so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryChoice {
    pub partner_id: Id,
    pub repair_words: bool,
    pub updated_at: DateTime<Utc>,
}

/// Another prompt chosen for an evening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EveningPrompt {
    pub evening: NaiveDate,
    pub prompt_id: String,
    pub updated_at: DateTime<Utc>,
}

/// A partner's star on a prompt (or its removal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptStar {
    pub partner_id: Id,
    pub prompt_id: String,
    pub starred: bool,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excuse_gets_a_gentle_note_and_a_plain_apology_none() {
        assert!(excuse_note("I was late, but the traffic was awful").is_some());
        assert!(excuse_note("You made me angry so I shouted").is_some());
        assert!(excuse_note("I was late and didn't call. I'm sorry.").is_none());
        assert!(excuse_note("Butter on the sofa").is_none());
    }

    #[test]
    fn responses_read_as_typed() {
        assert_eq!(Response::parse("not-yet"), Some(Response::NotYet));
        assert_eq!(Response::parse("Forgive"), Some(Response::Forgive));
        assert_eq!(Response::parse("maybe"), None);
        let json = serde_json::to_string(&Response::NotYet).unwrap();
        assert_eq!(json, "\"not yet\"");
    }

    #[test]
    fn the_latest_answer_stands_whatever_order_they_arrive_in() {
        let at = |s: i64, id: &str, r| RepairResponse {
            id: id.into(),
            repair_id: "r".into(),
            partner_id: "p".into(),
            response: r,
            note: String::new(),
            at: DateTime::from_timestamp(s, 0).unwrap(),
            evening: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        };
        let a = vec![
            at(10, "a", Response::NotYet),
            at(20, "b", Response::Forgive),
        ];
        let mut b = a.clone();
        b.reverse();
        assert_eq!(current_response(&a), current_response(&b));
        assert_eq!(current_response(&a).unwrap().response, Response::Forgive);
    }
}
