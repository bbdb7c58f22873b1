//! Agreements: the boundaries a couple chooses together, and every change to them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{optional_text, range, required_text, Id};
use crate::error::ValidationError;

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
    #[serde(default = "super::first_revision")]
    pub revision: super::Revision,
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

/// How often an agreement can come up for review together, in weeks.
pub const REVIEW_WEEKS: [u8; 5] = [1, 2, 4, 8, 12];

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
    pub kind: EventKind,
    pub detail: serde_json::Value,
}

/// What happened to an agreement; stored and exported as its lower-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Proposed,
    Consented,
    Agreed,
    Edited,
    Revisit,
    Retired,
    Reviewed,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::Proposed,
        EventKind::Consented,
        EventKind::Agreed,
        EventKind::Edited,
        EventKind::Revisit,
        EventKind::Retired,
        EventKind::Reviewed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Proposed => "proposed",
            EventKind::Consented => "consented",
            EventKind::Agreed => "agreed",
            EventKind::Edited => "edited",
            EventKind::Revisit => "revisit",
            EventKind::Retired => "retired",
            EventKind::Reviewed => "reviewed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

fn field_name(key: &str) -> String {
    match key {
        "review_every_weeks" => "review interval (weeks)".into(),
        other => other.replace('_', " "),
    }
}

/// How a review's mark reads in a sentence.
fn mark_words(detail: &serde_json::Value) -> &str {
    match detail["mark"].as_str().unwrap_or("?") {
        "revisit" => "want to revisit",
        m => m,
    }
}

/// One line of an agreement's history, in words. `who` is the partner's name, if a partner
/// (not duet itself) made the change.
pub fn describe_event(kind: EventKind, who: Option<&str>, detail: &serde_json::Value) -> String {
    let who = who.unwrap_or("duet");
    match kind {
        EventKind::Proposed => format!("{who} proposed it"),
        EventKind::Consented => format!("{who} consented"),
        EventKind::Agreed => "agreed by both".to_string(),
        EventKind::Revisit => format!("{who} marked it to revisit"),
        EventKind::Retired => format!("{who} retired it"),
        EventKind::Reviewed if detail["together"] == serde_json::json!(true) => {
            format!(
                "reviewed together at the weekly check-in: {}",
                mark_words(detail)
            )
        }
        EventKind::Reviewed => {
            let mark = mark_words(detail);
            match detail["note"].as_str().filter(|n| !n.is_empty()) {
                Some(n) => format!("{who} reviewed: {mark} — \"{n}\""),
                None => format!("{who} reviewed: {mark}"),
            }
        }
        EventKind::Edited => {
            let fields: Vec<String> = detail
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(k, _)| *k != "status")
                        .map(|(k, v)| {
                            let show = |x: &serde_json::Value| match x {
                                serde_json::Value::String(s) => format!("\"{s}\""),
                                other => other.to_string(),
                            };
                            format!(
                                "{} {} → {}",
                                field_name(k),
                                show(&v["from"]),
                                show(&v["to"])
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!("{who} edited: {}", fields.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn event_kinds_are_stored_by_their_names() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
            assert_eq!(json!(k), json!(k.as_str()));
        }
        assert_eq!(EventKind::parse("renamed"), None);
    }

    #[test]
    fn history_lines_read_as_sentences() {
        let d = json!({"mark": "revisit", "note": "too strict"});
        assert_eq!(
            describe_event(EventKind::Reviewed, Some("Sam"), &d),
            "Sam reviewed: want to revisit — \"too strict\""
        );
        let d = json!({"mark": "honored", "together": true});
        assert_eq!(
            describe_event(EventKind::Reviewed, None, &d),
            "reviewed together at the weekly check-in: honored"
        );
        let d = json!({"review_every_weeks": {"from": 4, "to": 2}, "status": {}});
        assert_eq!(
            describe_event(EventKind::Edited, Some("Alex"), &d),
            "Alex edited: review interval (weeks) 4 → 2"
        );
    }
}
