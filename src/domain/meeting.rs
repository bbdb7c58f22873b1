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

impl Meeting {
    /// `ours`, written from `base`, meeting `theirs` (the same week, saved meanwhile, maybe by
    /// another window that started the week's check-in too): one meeting with both sets of
    /// answers. Words written both ways are both kept, never one chosen silently.
    pub fn merged(base: &Meeting, ours: &Meeting, theirs: &Meeting) -> Meeting {
        // A meeting that was never saved shares no history with what is stored.
        let base = if base.id == theirs.id {
            base.clone()
        } else {
            Meeting::new(theirs.week, theirs.started_at)
        };
        let pick = |f: fn(&Meeting) -> Option<DateTime<Utc>>| f(ours).or(f(theirs));
        Meeting {
            id: theirs.id.clone(),
            week: theirs.week,
            started_at: theirs.started_at.min(ours.started_at),
            answers: base.answers.merged(&ours.answers, &theirs.answers),
            intentions: match crate::domain::merge_field(
                &base.intentions,
                &ours.intentions,
                &theirs.intentions,
            ) {
                Some(i) => i,
                None => vec![both(ours.intention(), theirs.intention(), " / ")],
            },
            completed_at: pick(|m| m.completed_at),
            skipped_at: pick(|m| m.skipped_at),
            skip_reason: ours.skip_reason.clone().or(theirs.skip_reason.clone()),
            updated_at: ours.updated_at.max(theirs.updated_at),
            revision: theirs.revision,
        }
    }
}

/// Two texts written for the same answer, both kept.
fn both(ours: Option<&str>, theirs: Option<&str>, between: &str) -> String {
    match (
        ours.filter(|t| !t.is_empty()),
        theirs.filter(|t| !t.is_empty()),
    ) {
        (Some(a), Some(b)) if a != b => format!("{a}{between}{b}"),
        (Some(a), _) => a.to_string(),
        (None, Some(b)) => b.to_string(),
        (None, None) => String::new(),
    }
}

fn merge_text(
    base: &Option<String>,
    ours: &Option<String>,
    theirs: &Option<String>,
) -> Option<String> {
    crate::domain::merge_field(base, ours, theirs)
        .unwrap_or_else(|| Some(both(ours.as_deref(), theirs.as_deref(), "\n")))
}

fn merge_map<V: Clone + PartialEq>(
    base: &Option<BTreeMap<Id, V>>,
    ours: &Option<BTreeMap<Id, V>>,
    theirs: &Option<BTreeMap<Id, V>>,
    clash: impl Fn(Option<&V>, Option<&V>) -> Option<V>,
) -> Option<BTreeMap<Id, V>> {
    if ours.is_none() && theirs.is_none() {
        return None;
    }
    let empty = BTreeMap::new();
    let (b, o, t) = (
        base.as_ref().unwrap_or(&empty),
        ours.as_ref().unwrap_or(&empty),
        theirs.as_ref().unwrap_or(&empty),
    );
    let keys: std::collections::BTreeSet<&Id> = o.keys().chain(t.keys()).collect();
    let merged = keys
        .into_iter()
        .filter_map(|k| {
            let value = match crate::domain::merge_field(&b.get(k), &o.get(k), &t.get(k)) {
                Some(v) => v.cloned(),
                None => clash(o.get(k), t.get(k)),
            };
            value.map(|v| (k.clone(), v))
        })
        .collect();
    Some(merged)
}

impl Answers {
    /// Answer by answer: see `Meeting::merged`.
    fn merged(&self, ours: &Answers, theirs: &Answers) -> Answers {
        let words = |a: Option<&String>, b: Option<&String>| {
            Some(both(a.map(String::as_str), b.map(String::as_str), "\n"))
        };
        let hard = match crate::domain::merge_field(&self.hard, &ours.hard, &theirs.hard) {
            Some(h) => h,
            None => {
                let (o, t) = (
                    ours.hard.clone().unwrap_or_default(),
                    theirs.hard.clone().unwrap_or_default(),
                );
                Some(Hard {
                    by: if o.by.is_empty() {
                        t.by.clone()
                    } else {
                        o.by.clone()
                    },
                    what: both(Some(&o.what), Some(&t.what), "\n"),
                    request: both(Some(&o.request), Some(&t.request), "\n"),
                })
            }
        };
        let good_time =
            match crate::domain::merge_field(&self.good_time, &ours.good_time, &theirs.good_time) {
                Some(g) => g,
                None => {
                    let (o, t) = (
                        ours.good_time.clone().unwrap_or_default(),
                        theirs.good_time.clone().unwrap_or_default(),
                    );
                    Some(GoodTime {
                        done_at: o.done_at.or(t.done_at),
                        what: both(Some(&o.what), Some(&t.what), " / "),
                        when: both(Some(&o.when), Some(&t.when), " / "),
                    })
                }
            };
        Answers {
            good_time,
            // A verdict is a choice, not words: the one being saved now stands.
            agreements: merge_map(
                &self.agreements,
                &ours.agreements,
                &theirs.agreements,
                |o, t| o.or(t).copied(),
            ),
            agreements_note: merge_text(
                &self.agreements_note,
                &ours.agreements_note,
                &theirs.agreements_note,
            ),
            appreciations: merge_map(
                &self.appreciations,
                &ours.appreciations,
                &theirs.appreciations,
                words,
            ),
            hard,
            last_week: merge_text(&self.last_week, &ours.last_week, &theirs.last_week),
            loved: merge_map(&self.loved, &ours.loved, &theirs.loved, words),
            recorded: merge_map(&self.recorded, &ours.recorded, &theirs.recorded, |o, t| {
                o.or(t).copied()
            }),
            step: ours.step.max(theirs.step),
            trust: merge_map(&self.trust, &ours.trust, &theirs.trust, |o, t| {
                o.or(t).cloned()
            }),
            week_felt: merge_text(&self.week_felt, &ours.week_felt, &theirs.week_felt),
            went_right: merge_text(&self.went_right, &ours.went_right, &theirs.went_right),
        }
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
    /// One good time planned together for the week ahead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub good_time: Option<GoodTime>,
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
    /// The step to carry on from (0–7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
    /// How safe and trusting the week felt to each partner, by their id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<BTreeMap<Id, Trust>>,
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

/// "How safe and trusting did this week feel between us?", answered by one partner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trust {
    /// 1 (guarded) to 5 (safe).
    pub rating: u8,
    /// What helped, or what would help.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub words: String,
}

/// The words for a trust rating, 1 to 5.
pub const TRUST_WORDS: [&str; 5] = ["guarded", "uneasy", "steadier", "mostly safe", "safe"];

pub fn trust_word(rating: u8) -> &'static str {
    TRUST_WORDS
        .get(usize::from(rating.clamp(1, 5)) - 1)
        .copied()
        .unwrap_or("")
}

/// A good time planned at the weekly check-in, and when it was had.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodTime {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<DateTime<Utc>>,
    pub what: String,
    #[serde(default)]
    pub when: String,
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
    fn two_windows_starting_the_same_week_keep_both_sets_of_answers() {
        let week = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let now = DateTime::<Utc>::MIN_UTC;
        let mut a = Meeting::new(week, now);
        a.answers.appreciations = Some([("p1".to_string(), "From A".to_string())].into());
        a.answers.went_right = Some("A picnic".into());
        let mut b = Meeting::new(week, now);
        b.answers.appreciations = Some([("p1".to_string(), "From B".to_string())].into());
        b.answers.week_felt = Some("Calm".into());
        // B was never saved; A is what is stored.
        let merged = Meeting::merged(&Meeting::new(week, now), &b, &a);
        assert_eq!(merged.id, a.id);
        let p1 = &merged.answers.appreciations.as_ref().unwrap()["p1"];
        assert!(p1.contains("From A") && p1.contains("From B"), "{p1}");
        assert_eq!(merged.answers.went_right.as_deref(), Some("A picnic"));
        assert_eq!(merged.answers.week_felt.as_deref(), Some("Calm"));
    }

    #[test]
    fn answers_of_another_shape_are_refused() {
        for bad in ["[]", "\"x\"", "7", r#"{"hard": "x"}"#, r#"{"steps": 1}"#] {
            assert!(Answers::parse(bad).is_err(), "{bad}");
        }
    }
}
