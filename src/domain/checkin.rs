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
    #[serde(default = "super::first_revision")]
    pub revision: super::Revision,
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

impl From<&CheckIn> for CheckInDraft {
    fn from(c: &CheckIn) -> CheckInDraft {
        CheckInDraft {
            mood: c.mood,
            closeness: c.closeness,
            appreciation: c.appreciation.clone(),
            need: c.need.clone(),
            prompt_id: c.prompt_id.clone(),
            prompt_answer: c.prompt_answer.clone(),
            note: c.note.clone(),
        }
    }
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

/// A check-in as someone gives it, from the app or the shell: what is `None` keeps what the
/// evening's entry already says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckInUpdate {
    pub mood: u8,
    pub closeness: u8,
    pub appreciation: Option<String>,
    pub need: Option<String>,
    pub note: Option<String>,
    /// An answer to a prompt: the prompt on offer (if any), and what was written.
    pub prompt: Option<(Option<String>, String)>,
}

impl CheckInUpdate {
    /// The one rule for checking in again the same evening: what this doesn't give is kept,
    /// and an entry keeps the prompt it was first written with.
    pub fn onto(self, old: Option<&CheckIn>) -> CheckInDraft {
        let kept = |new: Option<String>, old_text: fn(&CheckIn) -> &String| {
            new.or_else(|| old.map(|c| old_text(c).clone()))
                .unwrap_or_default()
        };
        let old_prompt = old.and_then(|c| c.prompt_id.clone());
        let (prompt_id, prompt_answer) = match self.prompt {
            Some((offered, answer)) => (old_prompt.or(offered), answer),
            None => (
                old_prompt,
                old.map(|c| c.prompt_answer.clone()).unwrap_or_default(),
            ),
        };
        CheckInDraft {
            mood: self.mood,
            closeness: self.closeness,
            appreciation: kept(self.appreciation, |c| &c.appreciation),
            need: kept(self.need, |c| &c.need),
            prompt_id,
            prompt_answer,
            note: kept(self.note, |c| &c.note),
        }
    }
}

/// One field of a save that started from `base` while `theirs` was saved meanwhile: unchanged
/// on one side takes the other side's; changed the same way on both is that; changed two ways
/// is a conflict (`None`), to be shown, never decided silently.
pub fn merge_field<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs || theirs == base {
        Some(ours.clone())
    } else if ours == base {
        Some(theirs.clone())
    } else {
        None
    }
}

/// A check-in saved from `base` (what the writer saw; `None`: nothing yet) meeting `theirs`,
/// saved meanwhile. The merged check-in, or the names of the fields both changed.
pub fn merge_checkin(
    base: Option<&CheckIn>,
    ours: &CheckInDraft,
    theirs: &CheckIn,
) -> Result<CheckInDraft, Vec<&'static str>> {
    let empty = String::new();
    let text = |f: fn(&CheckIn) -> &String| base.map_or(&empty, f);
    let number = |f: fn(&CheckIn) -> u8| base.map_or(0, f);
    let mut conflicts = Vec::new();
    let mut pick = |name: &'static str, merged: Option<String>| {
        merged.unwrap_or_else(|| {
            conflicts.push(name);
            String::new()
        })
    };
    let appreciation = pick(
        "appreciation",
        merge_field(
            text(|c| &c.appreciation),
            &ours.appreciation,
            &theirs.appreciation,
        ),
    );
    let need = pick(
        "need",
        merge_field(text(|c| &c.need), &ours.need, &theirs.need),
    );
    let prompt_answer = pick(
        "prompt_answer",
        merge_field(
            text(|c| &c.prompt_answer),
            &ours.prompt_answer,
            &theirs.prompt_answer,
        ),
    );
    let note = pick(
        "note",
        merge_field(text(|c| &c.note), &ours.note, &theirs.note),
    );
    let mood = merge_field(&number(|c| c.mood), &ours.mood, &theirs.mood);
    let closeness = merge_field(&number(|c| c.closeness), &ours.closeness, &theirs.closeness);
    if mood.is_none() {
        conflicts.push("mood");
    }
    if closeness.is_none() {
        conflicts.push("closeness");
    }
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    Ok(CheckInDraft {
        mood: mood.unwrap_or(ours.mood),
        closeness: closeness.unwrap_or(ours.closeness),
        appreciation,
        need,
        prompt_id: theirs.prompt_id.clone().or_else(|| ours.prompt_id.clone()),
        prompt_answer,
        note,
    })
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

    fn entry() -> CheckIn {
        CheckIn {
            id: "c1".into(),
            partner_id: "p1".into(),
            evening: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            mood: 2,
            closeness: 2,
            appreciation: "You listened".into(),
            need: "Sleep".into(),
            prompt_id: Some("honest-1".into()),
            prompt_answer: "A long answer".into(),
            note: "private".into(),
            created_at: DateTime::<Utc>::MIN_UTC,
            updated_at: DateTime::<Utc>::MIN_UTC,
            revision: 1,
        }
    }

    #[test]
    fn checking_in_again_keeps_what_this_time_leaves_out() {
        let from_shell = CheckInUpdate {
            mood: 4,
            closeness: 5,
            need: Some("A walk".into()),
            ..CheckInUpdate::default()
        };
        let d = from_shell.onto(Some(&entry()));
        assert_eq!((d.mood, d.closeness), (4, 5));
        assert_eq!(d.appreciation, "You listened");
        assert_eq!(d.need, "A walk");
        assert_eq!(d.note, "private");
        assert_eq!(d.prompt_id.as_deref(), Some("honest-1"));
        assert_eq!(d.prompt_answer, "A long answer");
    }

    fn draft(c: &CheckIn) -> CheckInDraft {
        CheckInDraft::from(c)
    }

    #[test]
    fn changes_to_different_fields_are_both_kept() {
        let base = entry();
        let mut ours = draft(&base);
        ours.appreciation = "Ours".into();
        let theirs = CheckIn {
            need: "Theirs".into(),
            revision: 2,
            ..entry()
        };
        let merged = merge_checkin(Some(&base), &ours, &theirs).unwrap();
        assert_eq!(
            (merged.appreciation.as_str(), merged.need.as_str()),
            ("Ours", "Theirs")
        );
    }

    #[test]
    fn changes_to_the_same_words_are_a_conflict_never_a_choice() {
        let base = entry();
        let mut ours = draft(&base);
        ours.appreciation = "Ours".into();
        ours.mood = 5;
        let theirs = CheckIn {
            appreciation: "Theirs".into(),
            ..entry()
        };
        assert_eq!(
            merge_checkin(Some(&base), &ours, &theirs),
            Err(vec!["appreciation"])
        );
        // Nothing seen at all, and both wrote: the same.
        assert_eq!(
            merge_checkin(None, &ours, &theirs).unwrap_err()[0],
            "appreciation"
        );
    }

    #[test]
    fn an_entry_keeps_the_prompt_it_was_first_written_with() {
        let from_app = CheckInUpdate {
            mood: 3,
            closeness: 3,
            appreciation: Some(String::new()),
            need: Some(String::new()),
            note: None,
            prompt: Some((Some("tonight-2".into()), "Shorter".into())),
        };
        let d = from_app.clone().onto(Some(&entry()));
        assert_eq!(
            d.appreciation, "",
            "the app gives every field, emptied ones too"
        );
        assert_eq!(d.prompt_id.as_deref(), Some("honest-1"));
        assert_eq!(d.prompt_answer, "Shorter");
        assert_eq!(d.note, "private");
        let first = from_app.onto(None);
        assert_eq!(first.prompt_id.as_deref(), Some("tonight-2"));
        assert_eq!(first.note, "");
    }

    #[test]
    fn words_for_ratings() {
        assert_eq!(mood_word(1), "rough");
        assert_eq!(closeness_word(5), "very close");
        assert_eq!(mood_word(0), "?");
    }
}
