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

/// A stride coprime with `n` and near n/2: walking by it visits every prompt once per cycle,
/// and neighbouring evenings land in different practices.
fn stride(n: usize) -> usize {
    (n / 2 + 1..n).find(|s| gcd(*s, n) == 1).unwrap_or(1)
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
        assert!(ps.len() >= 60, "only {} prompts", ps.len());
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
            "celebrating wins",
            "growth",
        ] {
            assert!(
                by_practice.get(practice).copied().unwrap_or(0) >= 3,
                "{practice}"
            );
        }
    }

    #[test]
    fn no_repeat_within_sixty_evenings_anywhere_in_the_calendar() {
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for offset in 0..800 {
            let first = start + Duration::days(offset);
            let seen: HashSet<_> = (0..60)
                .map(|d| &for_evening(first + Duration::days(d)).unwrap().id)
                .collect();
            assert_eq!(seen.len(), 60, "a repeat within 60 evenings from {first}");
        }
    }

    #[test]
    fn same_prompt_for_the_same_date() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(for_evening(d), for_evening(d));
        assert_ne!(for_evening(d), for_evening(d.succ_opt().unwrap()));
    }
}
