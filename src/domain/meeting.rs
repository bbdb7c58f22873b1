//! The weekly check-in, and what the couple wrote at it.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{instant, new_id, Id, ReviewMark};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub id: Id,
    pub week: NaiveDate,
    pub started_at: DateTime<Utc>,
    #[serde(deserialize_with = "Answers::from_object")]
    pub answers: Answers,
    /// The intention chosen together for the week ahead (one, once the check-in is done).
    pub intentions: Vec<String>,
    pub completed_at: Option<DateTime<Utc>>,
    pub skipped_at: Option<DateTime<Utc>>,
    pub skip_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
    #[serde(default = "super::first_revision")]
    pub revision: super::Revision,
}

impl Meeting {
    /// The week's check-in, started now with nothing written yet.
    pub fn new(week: NaiveDate, now: DateTime<Utc>) -> Meeting {
        Meeting {
            id: new_id(),
            week,
            started_at: instant(now),
            answers: Answers::default(),
            intentions: Vec::new(),
            completed_at: None,
            skipped_at: None,
            skip_reason: None,
            updated_at: instant(now),
            revision: 1,
        }
    }

    /// The intention for the week, once one was chosen.
    pub fn intention(&self) -> Option<&str> {
        self.intentions
            .first()
            .map(String::as_str)
            .filter(|t| !t.is_empty())
    }
}

/// What the couple wrote, step by step. Stored and exported as one JSON object; an answer not
/// given yet is left out. Fields are in alphabetical order, the order the object's keys have
/// always had on disk, so journals and exports keep the same bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// The verdict on each agreement due for review, by agreement id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreements: Option<BTreeMap<Id, Verdict>>,
    /// A note about the agreements, when none was due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreements_note: Option<String>,
    /// Each partner's appreciations of the other, one per line, by the writer's partner id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appreciations: Option<BTreeMap<Id, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hard: Option<Hard>,
    /// How last week's intention went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_week: Option<String>,
    /// What would make each partner feel loved next week, by that partner's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loved: Option<BTreeMap<Id, String>>,
    /// The marks already written into each agreement's history, so a step done twice doesn't
    /// record them twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<BTreeMap<Id, ReviewMark>>,
    /// The step to carry on from (0–5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub week_felt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub went_right: Option<String>,
}

impl Answers {
    /// The answers as a journal keeps them (JSON text).
    pub fn parse(text: &str) -> Result<Answers, serde_json::Error> {
        Answers::from_object(&mut serde_json::Deserializer::from_str(text))
    }

    /// Answers are always a JSON object: left to itself, serde would also take a list of the
    /// fields in order, and `[]` would pass as no answers at all.
    fn from_object<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Answers, D::Error> {
        let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        serde_json::from_value(serde_json::Value::Object(map)).map_err(serde::de::Error::custom)
    }
}

/// One thing that's been hard, with the request that comes with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hard {
    /// The partner sharing it.
    pub by: Id,
    pub request: String,
    pub what: String,
}

/// How an agreement went, as the couple answer at the weekly check-in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    #[default]
    #[serde(rename = "not now")]
    NotNow,
    #[serde(rename = "honored")]
    Honored,
    #[serde(rename = "struggled")]
    Struggled,
    #[serde(rename = "want to revisit")]
    Revisit,
}

impl Verdict {
    /// In the order the choice offers them.
    pub const ALL: [Verdict; 4] = [
        Verdict::NotNow,
        Verdict::Honored,
        Verdict::Struggled,
        Verdict::Revisit,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Verdict::NotNow => "not now",
            Verdict::Honored => "honored",
            Verdict::Struggled => "struggled",
            Verdict::Revisit => "want to revisit",
        }
    }

    /// The mark it leaves in the agreement's history; "not now" leaves none.
    pub fn mark(self) -> Option<ReviewMark> {
        match self {
            Verdict::NotNow => None,
            Verdict::Honored => Some(ReviewMark::Honored),
            Verdict::Struggled => Some(ReviewMark::Struggled),
            Verdict::Revisit => Some(ReviewMark::Revisit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_keep_the_json_they_always_had() {
        let stored = json!({
            "agreements": {"a1": "want to revisit", "a2": "not now"},
            "appreciations": {"p1": "You listened", "p2": "Coffee"},
            "hard": {"by": "p1", "request": "A text", "what": "Late nights"},
            "last_week": "Better",
            "loved": {"p1": "A walk", "p2": "Time"},
            "recorded": {"a1": "revisit"},
            "step": 5,
            "week_felt": "",
            "went_right": "A picnic"
        })
        .to_string();
        let answers = Answers::parse(&stored).unwrap();
        assert_eq!(answers.agreements.as_ref().unwrap()["a1"], Verdict::Revisit);
        assert_eq!(serde_json::to_string(&answers).unwrap(), stored);
        assert_eq!(serde_json::to_string(&Answers::default()).unwrap(), "{}");
    }

    #[test]
    fn answers_of_another_shape_are_refused() {
        for bad in ["[]", "\"x\"", "7", r#"{"hard": "x"}"#, r#"{"steps": 1}"#] {
            assert!(Answers::parse(bad).is_err(), "{bad}");
        }
    }
}
