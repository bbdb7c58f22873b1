//! `duet show`: an evening, or a week's check-in, read back from the shell.

use chrono::{Duration, NaiveDate, TimeZone};

use super::Run;
use crate::domain;
use crate::error::CliError;
use crate::readback::{evening_lines, meeting_lines, private_part, words_shown};
use crate::store::Store;

fn day<Tz: TimeZone>(r: &Run<Tz>, store: &Store, text: &str) -> Result<NaiveDate, CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let today = store.evening_at(&r.now)?;
    domain::parse_day(text, today).ok_or_else(|| {
        CliError::Usage(format!(
            "\"{}\" isn't a day; write it like 2026-11-23, today, yesterday or last sunday",
            crate::text::shown(text)
        ))
    })
}

pub(super) fn show<Tz: TimeZone>(
    r: &mut Run<Tz>,
    date: String,
    week: bool,
    json: bool,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let store = r.open()?;
    let couple = store.couple()?;
    let date = day(r, &store, &date)?;
    if week {
        // The weekly check-in whose scheduled day is nearest the date, within its week.
        let meeting = store
            .meetings_between(date - Duration::days(6), date + Duration::days(6))?
            .into_iter()
            .min_by_key(|m| (m.week - date).num_days().abs());
        let Some(m) = meeting else {
            return r.say(format!(
                "No weekly check-in around {}.",
                date.format("%a %-d %b %Y")
            ));
        };
        if json {
            return r.say(serde_json::to_string_pretty(&m).unwrap_or_default());
        }
        for line in meeting_lines(&m, &couple) {
            r.say(line)?;
        }
        return Ok(());
    }
    // Tonight's words are revealed together in duet, never first from the shell: they read
    // back here from tomorrow.
    let tonight = store.evening_at(&r.now)?;
    let record = store.evening_record(date)?;
    let record = if date >= tonight {
        words_shown(record, false)
    } else {
        private_part(record)
    };
    if json {
        return r.say(serde_json::to_string_pretty(&json_record(&record)).unwrap_or_default());
    }
    for line in evening_lines(&record, &couple) {
        r.say(line)?;
    }
    if let Some(m) = &record.meeting {
        r.say(format!("  (its answers: duet show --week {})", m.week))?;
    }
    Ok(())
}

/// The evening for scripts. A check-in whose words aren't shown says only that it happened,
/// rather than a mood of 0 that no check-in has.
fn json_record(record: &crate::store::EveningRecord) -> serde_json::Value {
    let mut v = serde_json::to_value(record).unwrap_or_default();
    if let Some(checkins) = v["checkins"].as_array_mut() {
        for c in checkins.iter_mut().filter(|c| c["mood"] == 0) {
            *c = serde_json::json!({
                "partner_id": c["partner_id"],
                "evening": c["evening"],
                "words_shown": false,
            });
        }
    }
    v
}
