//! The weekly check-in's schedule: a pure function of (now, settings, history). Only `Weekly`
//! and `history`, at the end, read the journal, to hand that function what it needs.
//!
//! Occurrences are computed in local wall-clock time, so 19:00 stays 19:00 across
//! daylight-saving changes. A meeting held up to three days before an occurrence counts for it
//! (done early), and missed weeks do not pile up: there is one overdue meeting with a count.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Serialize;

use crate::domain::Settings;
use crate::error::StoreError;
use crate::store::Store;

/// How early a meeting may be held and still count for the coming occurrence.
pub const EARLY: Duration = Duration::days(3);
/// How long after its time a meeting is "due" before it becomes "overdue".
pub const DUE_FOR: Duration = Duration::hours(24);

#[derive(Debug, Clone, Default)]
pub struct History {
    /// When the couple set up duet: weeks before it are never counted as missed.
    pub started_at: Option<DateTime<Utc>>,
    /// When each meeting was completed or skipped: either covers its week.
    pub done: Vec<DateTime<Utc>>,
    /// Those of `done` that were skips, so a skipped week isn't described as done.
    pub skipped: Vec<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum WeeklyStatus {
    Upcoming {
        at: DateTime<Utc>,
    },
    Due {
        since: DateTime<Utc>,
    },
    Overdue {
        since: DateTime<Utc>,
        missed: u32,
    },
    DoneThisWeek {
        at: DateTime<Utc>,
        next: DateTime<Utc>,
    },
    SkippedThisWeek {
        at: DateTime<Utc>,
        next: DateTime<Utc>,
    },
}

impl WeeklyStatus {
    pub fn wants_meeting(&self) -> bool {
        matches!(
            self,
            WeeklyStatus::Due { .. } | WeeklyStatus::Overdue { .. }
        )
    }

    /// The next time the meeting is on the calendar (for due/overdue: when it fell due).
    pub fn next_at(&self) -> DateTime<Utc> {
        match *self {
            WeeklyStatus::Upcoming { at } => at,
            WeeklyStatus::Due { since } | WeeklyStatus::Overdue { since, .. } => since,
            WeeklyStatus::DoneThisWeek { next, .. }
            | WeeklyStatus::SkippedThisWeek { next, .. } => next,
        }
    }
}

/// The instant of the check-in on local `date` at the settings' time. On the night clocks
/// spring forward, a time inside the gap moves to just after it; when they fall back, the
/// earlier of the two moments is used.
pub fn occurrence_on<Tz: TimeZone>(tz: &Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    // A minute at a time: the first local time that exists is the end of the gap
    // (30-minute steps would turn 02:15 into 03:15).
    for m in 0..=24 * 60 {
        if let Some(t) = tz
            .from_local_datetime(&(naive + Duration::minutes(m)))
            .earliest()
        {
            return t.with_timezone(&Utc);
        }
    }
    // No zone has a gap this long; fall back to reading the time as UTC.
    date.and_time(time).and_utc()
}

/// The local date of the most recent scheduled day at or before `now`'s local date whose
/// occurrence is not in the future.
fn last_occurrence_date<Tz: TimeZone>(now: &DateTime<Tz>, s: &Settings) -> NaiveDate {
    let today = now.naive_local().date();
    let back =
        (today.weekday().num_days_from_monday() + 7 - s.weekly_weekday.num_days_from_monday()) % 7;
    let date = today - Duration::days(back as i64);
    if occurrence_on(&now.timezone(), date, s.weekly_time) > now.with_timezone(&Utc) {
        date - Duration::days(7)
    } else {
        date
    }
}

/// From when the schedule counts: the journal's start, or the weekly day's or time's last
/// change if later (a change applies from the next occurrence on, never backwards).
fn counts_from(s: &Settings, started: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    started.max(s.weekly_from)
}

/// The scheduled date a meeting held now belongs to: the coming one once its early window has
/// opened, or when the most recent one came before the journal did (`started`); otherwise the
/// most recent one (late, or overdue).
pub fn meeting_date<Tz: TimeZone>(
    now: DateTime<Tz>,
    s: &Settings,
    started: Option<DateTime<Utc>>,
) -> NaiveDate {
    let last = last_occurrence_date(&now, s);
    let next = last + Duration::days(7);
    let tz = now.timezone();
    let early = now.with_timezone(&Utc) >= occurrence_on(&tz, next, s.weekly_time) - EARLY;
    let before_the_journal =
        counts_from(s, started).is_some_and(|t| occurrence_on(&tz, last, s.weekly_time) < t);
    if early || before_the_journal {
        next
    } else {
        last
    }
}

/// The first scheduled check-in strictly after `now`.
pub fn next_occurrence<Tz: TimeZone>(now: DateTime<Tz>, s: &Settings) -> DateTime<Utc> {
    let date = last_occurrence_date(&now, s) + Duration::days(7);
    occurrence_on(&now.timezone(), date, s.weekly_time)
}

pub fn weekly_status<Tz: TimeZone>(now: DateTime<Tz>, s: &Settings, h: &History) -> WeeklyStatus {
    let status = covered_status(now, s, h);
    match status {
        WeeklyStatus::DoneThisWeek { at, next } if h.skipped.contains(&at) => {
            WeeklyStatus::SkippedThisWeek { at, next }
        }
        other => other,
    }
}

fn covered_status<Tz: TimeZone>(now: DateTime<Tz>, s: &Settings, h: &History) -> WeeklyStatus {
    let tz = now.timezone();
    let now_utc = now.with_timezone(&Utc);
    let last_date = last_occurrence_date(&now, s);
    let at = |d: NaiveDate| occurrence_on(&tz, d, s.weekly_time);
    let last = at(last_date);
    let next = at(last_date + Duration::days(7));
    let latest_done = h.done.iter().filter(|d| **d <= now_utc).max().copied();

    if let Some(d) = latest_done {
        if d >= next - EARLY {
            return WeeklyStatus::DoneThisWeek {
                at: d,
                next: at(last_date + Duration::days(14)),
            };
        }
        if d >= last - EARLY {
            return if now_utc < next - EARLY {
                WeeklyStatus::DoneThisWeek { at: d, next }
            } else {
                WeeklyStatus::Upcoming { at: next }
            };
        }
    }
    let Some(started) = counts_from(s, h.started_at) else {
        return WeeklyStatus::Upcoming { at: next };
    };
    if started > last {
        return WeeklyStatus::Upcoming { at: next };
    }
    let mut missed = 1u32;
    let mut since = last;
    let mut date = last_date - Duration::days(7);
    loop {
        let o = at(date);
        let covered = latest_done.is_some_and(|d| d >= o - EARLY);
        if o < started || covered || missed >= 520 {
            break;
        }
        missed += 1;
        since = o;
        date -= Duration::days(7);
    }
    if missed == 1 && now_utc < last + DUE_FOR {
        WeeklyStatus::Due { since: last }
    } else {
        WeeklyStatus::Overdue { since, missed }
    }
}

/// Whether it's the evening before the meeting (a gentle reminder): within 36 hours of it.
pub fn is_eve<Tz: TimeZone>(now: DateTime<Tz>, status: &WeeklyStatus) -> bool {
    match *status {
        WeeklyStatus::Upcoming { at } => {
            let left = at - now.with_timezone(&Utc);
            left > Duration::zero() && left <= Duration::hours(36)
        }
        _ => false,
    }
}

/// A short human line for the header, status and remind.
pub fn describe<Tz: TimeZone>(now: DateTime<Tz>, status: &WeeklyStatus) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let tz = now.timezone();
    let local = |t: DateTime<Utc>| t.with_timezone(&tz);
    let today = now.naive_local().date();
    let when = |t: DateTime<Utc>| {
        let l = local(t);
        let days = (l.naive_local().date() - today).num_days();
        let day = match days {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            -1 => "yesterday".to_string(),
            2..=6 => l.format("%A").to_string(),
            _ => l.format("%a %-d %b").to_string(),
        };
        format!("{day} {}", l.format("%H:%M"))
    };
    match *status {
        WeeklyStatus::Upcoming { at } => {
            let days = (local(at).naive_local().date() - today).num_days();
            let rel = match days {
                0 => "today".to_string(),
                1 => "in 1 day".to_string(),
                n => format!("in {n} days"),
            };
            format!("Weekly check-in {} ({rel})", when(at))
        }
        WeeklyStatus::Due { since } => format!("Weekly check-in is due (since {})", when(since)),
        WeeklyStatus::Overdue { since, missed } => {
            let weeks = if missed == 1 {
                "1 week missed".to_string()
            } else {
                format!("{missed} weeks missed")
            };
            format!("Weekly check-in overdue since {} ({weeks})", when(since))
        }
        WeeklyStatus::DoneThisWeek { at, next } => {
            format!("Weekly check-in done {} · next {}", when(at), when(next))
        }
        WeeklyStatus::SkippedThisWeek { next, .. } => {
            format!("Weekly check-in skipped this week · next {}", when(next))
        }
    }
}

/// A few words of the same, for a narrow header.
pub fn describe_short<Tz: TimeZone>(now: DateTime<Tz>, status: &WeeklyStatus) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let tz = now.timezone();
    let today = now.naive_local().date();
    let day = |t: DateTime<Utc>| {
        let l = t.with_timezone(&tz);
        match (l.naive_local().date() - today).num_days() {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            _ => l.format("%a").to_string(),
        }
    };
    match *status {
        WeeklyStatus::Upcoming { at } => {
            let days = (at.with_timezone(&tz).naive_local().date() - today).num_days();
            let when = format!(
                "Weekly: {} {}",
                day(at),
                at.with_timezone(&tz).format("%H:%M")
            );
            if days >= 2 {
                format!("{when} · in {days} days")
            } else {
                when
            }
        }
        WeeklyStatus::Due { .. } => "Weekly check-in due".into(),
        WeeklyStatus::Overdue { missed, .. } if missed > 1 => {
            format!("Weekly overdue · {missed} missed")
        }
        WeeklyStatus::Overdue { .. } => "Weekly check-in overdue".into(),
        WeeklyStatus::DoneThisWeek { next, .. } => format!("Weekly done ✓ · next {}", day(next)),
        WeeklyStatus::SkippedThisWeek { next, .. } => {
            format!("Weekly skipped · next {}", day(next))
        }
    }
}

/// Consecutive scheduled weeks, counting back from the most recent one, that had a meeting.
/// A week whose occurrence is still ahead and not yet done doesn't break the streak.
pub fn meeting_streak<Tz: TimeZone>(now: DateTime<Tz>, s: &Settings, h: &History) -> u32 {
    let tz = now.timezone();
    let now_utc = now.with_timezone(&Utc);
    let mut date = last_occurrence_date(&now, s) + Duration::days(7);
    // Only meetings held count toward the streak; a skipped week doesn't extend it.
    let covered = |o: DateTime<Utc>| {
        h.done
            .iter()
            .filter(|d| !h.skipped.contains(d))
            .any(|d| *d >= o - EARLY && *d < o + Duration::days(4) && *d <= now_utc)
    };
    let mut streak = 0;
    let mut first = true;
    loop {
        let o = occurrence_on(&tz, date, s.weekly_time);
        let skipped = h
            .skipped
            .iter()
            .any(|d| *d >= o - EARLY && *d < o + Duration::days(4) && *d <= now_utc);
        if covered(o) {
            streak += 1;
        } else if skipped || !(first || o + DUE_FOR > now_utc) {
            // A week still due (not yet late) doesn't break the streak; a missed or skipped
            // one does.
            break;
        }
        first = false;
        date -= Duration::days(7);
        if streak > 5200 || o < h.started_at.unwrap_or(o) - Duration::days(7) {
            break;
        }
    }
    streak
}

/// Evenings in a row on which both partners checked in, forgiving one missed evening in any
/// seven: `both` holds the evenings both checked in (any order), `today` is the current evening.
/// Tonight not yet done doesn't break the streak.
pub fn evening_streak(today: NaiveDate, both: &[NaiveDate]) -> u32 {
    let set: std::collections::HashSet<NaiveDate> = both.iter().copied().collect();
    let mut day = if set.contains(&today) {
        today
    } else {
        today - Duration::days(1)
    };
    let mut streak = 0;
    let mut misses: Vec<NaiveDate> = Vec::new();
    loop {
        if set.contains(&day) {
            streak += 1;
        } else {
            // Forgive one miss per rolling week, but never two in a row.
            let recent = misses.iter().any(|m| (*m - day).num_days() < 7);
            if recent || !set.contains(&(day - Duration::days(1))) {
                break;
            }
            misses.push(day);
        }
        day -= Duration::days(1);
    }
    streak
}

/// The weekly check-in as every place shows it (the app's header, `duet status`, `duet remind`):
/// its state, a line and a few words about it, and the run of weeks kept.
#[derive(Debug, Clone)]
pub struct Weekly {
    pub status: WeeklyStatus,
    pub line: String,
    /// The same, in a few words, for narrow places.
    pub short: String,
    pub meeting_streak: u32,
}

impl Weekly {
    /// Reads the settings and the meetings held, and works out where the weekly check-in stands.
    pub fn read<Tz: TimeZone>(store: &Store, now: DateTime<Tz>) -> Result<Weekly, StoreError>
    where
        Tz::Offset: std::fmt::Display,
    {
        let settings = store.settings()?;
        let history = history(store, &now, &settings)?;
        let status = weekly_status(now.clone(), &settings, &history);
        Ok(Weekly {
            status,
            line: describe(now.clone(), &status),
            short: describe_short(now.clone(), &status),
            meeting_streak: meeting_streak(now, &settings, &history),
        })
    }
}

/// The meetings held or skipped, as the schedule needs them: each by when it was settled, or,
/// held ahead of its week's early window (a journal's first week), from that window on, and
/// until then as settled now. Either way it covers its own week, as W files it.
pub fn history<Tz: TimeZone>(
    store: &Store,
    now: &DateTime<Tz>,
    s: &Settings,
) -> Result<History, StoreError> {
    // Ten years of weeks is more than any streak or missed-week count needs.
    let meetings = store.meeting_times(520)?;
    let now_utc = now.with_timezone(&Utc);
    let covers = |week: NaiveDate, t: DateTime<Utc>| {
        let window = occurrence_on(&now.timezone(), week, s.weekly_time) - EARLY;
        if t.max(window) <= now_utc {
            t.max(window)
        } else {
            t.max(now_utc)
        }
    };
    Ok(History {
        started_at: store.started_at()?,
        done: meetings
            .iter()
            .filter_map(|m| m.completed_at.or(m.skipped_at).map(|t| covers(m.week, t)))
            .collect(),
        skipped: meetings
            .iter()
            .filter(|m| m.completed_at.is_none())
            .filter_map(|m| m.skipped_at.map(|t| covers(m.week, t)))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, Weekday};

    fn settings() -> Settings {
        Settings::default()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn empty_history_is_upcoming_next_sunday() {
        let tz = FixedOffset::east_opt(0).unwrap();
        let now = tz.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap(); // Monday
        let st = weekly_status(now, &settings(), &History::default());
        assert_eq!(
            st,
            WeeklyStatus::Upcoming {
                at: utc("2026-11-29T19:00:00Z")
            }
        );
    }

    #[test]
    fn evening_streak_forgives_one_miss_a_week() {
        let d = |n: i64| NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() - Duration::days(n);
        let all: Vec<_> = (0..10).map(d).collect();
        assert_eq!(evening_streak(d(0), &all), 10);
        let one_miss: Vec<_> = (0..10).filter(|n| *n != 3).map(d).collect();
        assert_eq!(evening_streak(d(0), &one_miss), 9);
        let two_close: Vec<_> = (0..10).filter(|n| *n != 3 && *n != 5).map(d).collect();
        assert_eq!(evening_streak(d(0), &two_close), 4);
        let tonight_pending: Vec<_> = (1..5).map(d).collect();
        assert_eq!(evening_streak(d(0), &tonight_pending), 4);
        assert_eq!(evening_streak(d(0), &[]), 0);
        let _ = Weekday::Sun;
    }
}
