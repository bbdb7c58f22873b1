//! Tonight's prompt: chosen by the evening's date, the same for both partners, and never the
//! same twice within as many evenings as there are prompts.

use chrono::NaiveDate;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Prompt {
    pub id: String,
    pub practice: String,
    pub text: String,
}

#[derive(Deserialize)]
struct PromptFile {
    prompts: Vec<Prompt>,
}

const PROMPTS_JSON: &str = include_str!("../assets/prompts.json");

pub fn all() -> &'static [Prompt] {
    static PROMPTS: OnceLock<Vec<Prompt>> = OnceLock::new();
    PROMPTS.get_or_init(|| {
        // The asset is compiled in and checked by a test, so this only fails in development.
        serde_json::from_str::<PromptFile>(PROMPTS_JSON)
            .map(|f| f.prompts)
            .unwrap_or_default()
    })
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// How many practices the prompts are grouped in (the asset lists them practice by practice).
const PRACTICES: usize = 12;

/// A stride coprime with `n`, a little more than one practice's worth of prompts: walking by
/// it visits every prompt once per cycle, and each step lands in the next practice, so a
/// dozen evenings (or presses of `n`) go round them all.
fn stride(n: usize) -> usize {
    (n / PRACTICES + 1..n)
        .find(|s| gcd(*s, n) == 1)
        .unwrap_or(1)
}

pub fn for_evening(evening: NaiveDate) -> Option<&'static Prompt> {
    let prompts = all();
    let n = prompts.len();
    if n == 0 {
        return None;
    }
    let day = evening.to_epoch_days().rem_euclid(n as i32) as usize;
    prompts.get(day * stride(n) % n)
}

/// How often a starred prompt comes back: one evening in this many.
const STARRED_EVERY: i32 = 9;

/// Tonight's prompt: the one chosen for the evening with `n`, else now and then one of the
/// starred prompts, else the evening's own. The same on both devices once they have synced.
pub fn tonight(
    evening: NaiveDate,
    chosen: Option<&str>,
    starred: &[String],
) -> Option<&'static Prompt> {
    if let Some(p) = chosen.and_then(by_id) {
        return Some(p);
    }
    let day = evening.to_epoch_days();
    let known: Vec<&'static Prompt> = starred.iter().filter_map(|id| by_id(id)).collect();
    if !known.is_empty() && day.rem_euclid(STARRED_EVERY) == 4 {
        let turn = day.div_euclid(STARRED_EVERY).rem_euclid(known.len() as i32) as usize;
        return known.get(turn).copied();
    }
    for_evening(evening)
}

/// Another prompt than `current`, for `n`: far along the cycle, so another practice.
pub fn another(current: &Prompt) -> Option<&'static Prompt> {
    let prompts = all();
    let n = prompts.len();
    let at = prompts.iter().position(|p| p.id == current.id)?;
    prompts.get((at + stride(n)) % n)
}

pub fn by_id(id: &str) -> Option<&'static Prompt> {
    all().iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn asset_has_enough_prompts_in_every_practice() {
        let ps = all();
        assert!(ps.len() >= 365, "only {} prompts", ps.len());
        let ids: HashSet<_> = ps.iter().map(|p| &p.id).collect();
        assert_eq!(ids.len(), ps.len(), "duplicate prompt ids");
        let mut by_practice: HashMap<&str, usize> = HashMap::new();
        for p in ps {
            *by_practice.entry(p.practice.as_str()).or_default() += 1;
            assert!(!p.text.trim().is_empty());
        }
        for practice in [
            "honest communication",
            "taking responsibility",
            "boundaries",
            "consistency",
            "transparency",
            "forgiveness",
            "emotional connection",
            "celebrating progress",
            "patience",
            "growth",
            "good times",
            "shared values",
        ] {
            assert!(
                by_practice.get(practice).copied().unwrap_or(0) >= 25,
                "{practice}"
            );
        }
    }

    #[test]
    fn no_repeat_within_a_year_anywhere_in_the_calendar() {
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for offset in (0..800).step_by(7) {
            let first = start + Duration::days(offset);
            let seen: HashSet<_> = (0..365)
                .map(|d| &for_evening(first + Duration::days(d)).unwrap().id)
                .collect();
            assert_eq!(seen.len(), 365, "a repeat within 365 evenings from {first}");
        }
    }

    #[test]
    fn no_two_prompts_say_the_same_thing() {
        let words = |t: &str| -> String {
            t.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || c.is_whitespace())
                .collect()
        };
        let texts: HashSet<String> = all().iter().map(|p| words(&p.text)).collect();
        assert_eq!(texts.len(), all().len());
        for p in all() {
            assert!(p.text.chars().count() <= 130, "{} is too long", p.id);
            assert!(!p.text.chars().any(char::is_control), "{}", p.id);
        }
    }

    #[test]
    fn another_prompt_is_another_practice_and_a_chosen_one_stands_for_the_evening() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let first = tonight(d, None, &[]).unwrap();
        let next = another(first).unwrap();
        assert_ne!(first.practice, next.practice);
        assert_eq!(tonight(d, Some(&next.id), &[]), Some(next));
        // A prompt this duet doesn't know (from a newer one) falls back to the evening's own.
        assert_eq!(tonight(d, Some("from-the-future-01"), &[]), Some(first));
    }

    #[test]
    fn starred_prompts_come_back_now_and_then() {
        let star = vec!["forgiveness-03".to_string()];
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let back = (0..90)
            .filter(|d| {
                tonight(start + Duration::days(*d), None, &star).map(|p| p.id.as_str())
                    == Some("forgiveness-03")
            })
            .count();
        assert!(
            (8..=12).contains(&back),
            "came back {back} times in 90 evenings"
        );
        let none = (0..90)
            .filter(|d| {
                tonight(start + Duration::days(*d), None, &[])
                    != for_evening(start + Duration::days(*d))
            })
            .count();
        assert_eq!(none, 0);
    }

    #[test]
    fn a_dozen_evenings_or_presses_of_n_go_round_the_practices() {
        let start = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let evenings: HashSet<&str> = (0..12)
            .map(|d| {
                for_evening(start + Duration::days(d))
                    .unwrap()
                    .practice
                    .as_str()
            })
            .collect();
        assert!(evenings.len() >= 10, "{evenings:?}");
        let mut p = for_evening(start).unwrap();
        let mut seen = HashSet::new();
        for _ in 0..12 {
            seen.insert(p.practice.as_str());
            let next = another(p).unwrap();
            assert_ne!(next.practice, p.practice);
            p = next;
        }
        assert!(seen.len() >= 10, "{seen:?}");
    }

    #[test]
    fn same_prompt_for_the_same_date() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(for_evening(d), for_evening(d));
        assert_ne!(for_evening(d), for_evening(d.succ_opt().unwrap()));
    }
}
