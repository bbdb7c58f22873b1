//! Trend figures: pure functions of the grouped rows the store returns, so each is tested on
//! its own with made-up evenings.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::Seat;
use crate::store::{Rating, Store};

/// The gentle note suggesting a counsellor, and why (first line is the note itself).
pub const COUNSELLOR_NOTE: &str = include_str!("../assets/counsellor-note.txt");

/// How far back the charts look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Month,
    Quarter,
    Year,
}

impl Span {
    pub const ALL: [Span; 3] = [Span::Month, Span::Quarter, Span::Year];

    pub fn days(self) -> i64 {
        match self {
            Span::Month => 30,
            Span::Quarter => 90,
            Span::Year => 365,
        }
    }

    pub fn next(self) -> Span {
        Span::ALL[(Span::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1) % 3]
    }

    pub fn prev(self) -> Span {
        Span::ALL[(Span::ALL.iter().position(|s| *s == self).unwrap_or(0) + 2) % 3]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Mood,
    Closeness,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Rising,
    Steady,
    Falling,
    /// Too few check-ins in one of the two fortnights to say.
    Unclear,
}

impl Direction {
    pub fn word(self) -> &'static str {
        match self {
            Direction::Rising => "rising",
            Direction::Steady => "steady",
            Direction::Falling => "falling",
            Direction::Unclear => "not clear yet",
        }
    }
}

/// "Signs of rebuilding": the last four weeks, in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signs {
    pub closeness: Direction,
    pub evenings_together: u32,
    /// Evenings of the last four weeks the journal existed for: 28, or fewer at first.
    pub evenings_so_far: u32,
    pub wins: i64,
    /// (honored, all marks) in agreement reviews.
    pub kept: (i64, i64),
    /// How safe and trusting the weeks felt, lately against before.
    pub trust: Direction,
    /// (answered, taken) of the repairs of the last eight weeks; only the first is shown.
    pub repairs: (usize, usize),
}

/// How many weeks of trust readings the pane shows.
pub const TRUST_WEEKS: usize = 16;

/// Each week's trust reading by seat, oldest first, for the weeks with a weekly check-in.
pub type TrustWeeks = Vec<(NaiveDate, [Option<u8>; 2])>;

/// Both partners' trust readings of the last four weeks against the four before.
pub fn trust_direction(weeks: &TrustWeeks, today: NaiveDate) -> Direction {
    let window = |from: i64, to: i64| {
        let xs: Vec<u8> = weeks
            .iter()
            .filter(|(w, _)| (today - *w).num_days() >= from && (today - *w).num_days() < to)
            .flat_map(|(_, r)| r.iter().flatten().copied())
            .collect();
        (xs.len() >= 2).then(|| avg(xs.into_iter())).flatten()
    };
    match (window(0, 28), window(28, 56)) {
        (Some(now), Some(before)) if now - before > 0.3 => Direction::Rising,
        (Some(now), Some(before)) if before - now > 0.3 => Direction::Falling,
        (Some(_), Some(_)) => Direction::Steady,
        _ => Direction::Unclear,
    }
}

/// A week's rating as a bar an eighth to a full cell high; a week without one as a dot.
pub fn trust_bars(weeks: &TrustWeeks, seat: usize, today: NaiveDate) -> String {
    let monday = crate::domain::week_start(today);
    (0..TRUST_WEEKS as i64)
        .rev()
        .map(|w| {
            let from = monday - Duration::weeks(w);
            let rating = weeks
                .iter()
                .find(|(d, _)| *d >= from && *d < from + Duration::weeks(1))
                .and_then(|(_, r)| r[seat]);
            match rating {
                Some(1) => '▁',
                Some(2) => '▃',
                Some(3) => '▄',
                Some(4) => '▆',
                Some(_) => '█',
                None => '·',
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trends {
    pub span: Span,
    pub today: NaiveDate,
    pub ratings: Vec<Rating>,
    /// Check-ins per evening over the last year, for the calendar.
    pub per_evening: Vec<(NaiveDate, u8)>,
    pub wins_per_week: Vec<(NaiveDate, i64)>,
    pub reviews_by_month: Vec<(String, i64, i64)>,
    pub signs: Signs,
    /// Most evenings of the past week, your closeness differed by 2 or more.
    pub diverging: bool,
    /// Three weeks in a row with both partners' closeness averaging 2 or lower, and the note not
    /// set aside in the last fortnight.
    pub counsellor: bool,
    pub trust_weeks: TrustWeeks,
    /// The partners' names, by seat.
    pub names: [String; 2],
}

fn avg(xs: impl Iterator<Item = u8>) -> Option<f64> {
    let (sum, n) = xs.fold((0u32, 0u32), |(s, n), x| (s + x as u32, n + 1));
    (n > 0).then(|| sum as f64 / n as f64)
}

/// Closeness (both partners) over the last 14 evenings against the 14 before.
pub fn closeness_direction(ratings: &[Rating], today: NaiveDate) -> Direction {
    let window = |from: i64, to: i64| {
        let xs: Vec<u8> = ratings
            .iter()
            .filter(|r| {
                (today - r.evening).num_days() >= from && (today - r.evening).num_days() < to
            })
            .map(|r| r.closeness)
            .collect();
        (xs.len() >= 3).then(|| avg(xs.into_iter())).flatten()
    };
    match (window(0, 14), window(14, 28)) {
        (Some(now), Some(before)) if now - before > 0.3 => Direction::Rising,
        (Some(now), Some(before)) if before - now > 0.3 => Direction::Falling,
        (Some(_), Some(_)) => Direction::Steady,
        _ => Direction::Unclear,
    }
}

/// Evenings in the week up to `today` on which both checked in, and those where their
/// closeness differed by two or more.
fn both_evenings(ratings: &[Rating], from: NaiveDate, to: NaiveDate) -> Vec<(u8, u8)> {
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let a = ratings
            .iter()
            .find(|r| r.evening == day && r.seat == Seat::First);
        let b = ratings
            .iter()
            .find(|r| r.evening == day && r.seat == Seat::Second);
        if let (Some(a), Some(b)) = (a, b) {
            out.push((a.closeness, b.closeness));
        }
        day += Duration::days(1);
    }
    out
}

pub fn diverging(ratings: &[Rating], today: NaiveDate) -> bool {
    let week = both_evenings(ratings, today - Duration::days(6), today);
    let apart = week.iter().filter(|(a, b)| a.abs_diff(*b) >= 2).count();
    week.len() >= 3 && apart * 2 > week.len()
}

/// Both partners' average closeness at 2 or lower in each of the last three weeks (each with
/// at least two check-ins from each partner).
pub fn counsellor_suggested(ratings: &[Rating], today: NaiveDate) -> bool {
    (0..3).all(|w| {
        let to = today - Duration::days(7 * w);
        let from = to - Duration::days(6);
        Seat::ALL.iter().all(|seat| {
            let xs: Vec<u8> = ratings
                .iter()
                .filter(|r| r.seat == *seat && r.evening >= from && r.evening <= to)
                .map(|r| r.closeness)
                .collect();
            xs.len() >= 2 && avg(xs.into_iter()).is_some_and(|a| a <= 2.0)
        })
    })
}

/// The note may come back a fortnight after it was set aside.
pub fn counsellor_note_due(
    suggested: bool,
    dismissed: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    suggested && dismissed.is_none_or(|d| now - d >= Duration::days(14))
}

impl Trends {
    /// Everything the Trends pane shows, from a handful of grouped queries.
    pub fn load(
        store: &Store,
        span: Span,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Trends, crate::error::StoreError> {
        let from = today - Duration::days(span.days().max(56) - 1);
        let ratings = store.ratings_between(from, today)?;
        let year_ago = today - Duration::days(364);
        let per_evening = store.checkins_per_evening(year_ago, today)?;
        let chart_from = today - Duration::days(span.days() - 1);
        // Up to a year of weekly bars, as many as the screen is wide for.
        let weeks_from = crate::domain::week_start(today) - Duration::weeks(51);
        let wins_per_week = store.wins_per_week(weeks_from.min(chart_from), today)?;
        let reviews_by_month = store.reviews_by_month(year_ago, today)?;
        let four_weeks = today - Duration::days(27);
        let evenings_together = per_evening
            .iter()
            .filter(|(d, n)| *d >= four_weeks && *n >= 2)
            .count() as u32;
        let wins = store.count_wins_between(four_weeks, today)?;
        let recent_reviews = store.reviews_by_month(four_weeks, today)?;
        let kept = recent_reviews
            .iter()
            .fold((0, 0), |(h, t), (_, hh, tt)| (h + hh, t + tt));
        let suggested = counsellor_suggested(&ratings, today);
        let dismissed = store.counsellor_note_dismissed_at()?;
        let couple = store.partners()?;
        let trust_from = crate::domain::week_start(today) - Duration::weeks(TRUST_WEEKS as i64);
        let trust_weeks: TrustWeeks = store
            .meetings_between(trust_from, today + Duration::days(6))?
            .into_iter()
            .filter_map(|m| {
                let t = m.answers.trust.as_ref()?;
                let of = |seat: usize| {
                    couple
                        .get(seat)
                        .and_then(|p| t.get(&p.id))
                        .map(|x| x.rating)
                };
                Some((m.week, [of(0), of(1)]))
            })
            .collect();
        let eight_weeks = today - Duration::days(55);
        let taken = store.repairs_between(eight_weeks, today)?;
        let answered = taken
            .iter()
            .filter(|r| {
                store.repair_responses(&r.id).is_ok_and(|a| {
                    a.iter()
                        .any(|a| a.response != crate::domain::Response::NotYet)
                })
            })
            .count();
        let names = [0, 1].map(|i| couple.get(i).map_or(String::new(), |p| p.name.clone()));
        Ok(Trends {
            span,
            today,
            signs: Signs {
                closeness: closeness_direction(&ratings, today),
                evenings_together,
                evenings_so_far: store.started_at()?.map_or(28, |t| {
                    ((today - t.date_naive()).num_days() + 1).clamp(1, 28) as u32
                }),
                wins,
                kept,
                trust: trust_direction(&trust_weeks, today),
                repairs: (answered, taken.len()),
            },
            diverging: diverging(&ratings, today),
            counsellor: counsellor_note_due(suggested, dismissed, now),
            ratings: ratings
                .into_iter()
                .filter(|r| r.evening >= chart_from)
                .collect(),
            per_evening,
            wins_per_week,
            reviews_by_month,
            trust_weeks,
            names,
        })
    }

    /// The signs in a few words each, over the last four weeks.
    pub fn sign_lines(&self) -> Vec<String> {
        let s = &self.signs;
        let kept = if s.kept.1 == 0 {
            "no reviews yet".to_string()
        } else {
            format!("{} of {} marks", s.kept.0, s.kept.1)
        };
        let mut lines = vec![
            format!("Closeness: {}", s.closeness.word()),
            format!(
                "Evenings together: {} of {}",
                s.evenings_together, s.evenings_so_far
            ),
            format!("Wins logged: {}", s.wins),
            format!("Agreements kept: {kept}"),
        ];
        if !self.trust_weeks.is_empty() {
            lines.push(format!("Trust, weekly: {}", s.trust.word()));
            for (seat, name) in self.names.iter().enumerate() {
                lines.push(format!(
                    "  {:<8} {}",
                    crate::text::fit(name, 8),
                    trust_bars(&self.trust_weeks, seat, self.today)
                ));
            }
        }
        // Only what was answered: nothing here counts what waits.
        if s.repairs.0 > 0 {
            lines.push(format!("Repairs answered: {}", s.repairs.0));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap() - Duration::days(n)
    }

    /// Both partners every evening for `days`, with closeness from `f(days_ago, seat)`.
    fn evenings(days: i64, f: impl Fn(i64, u8) -> u8) -> Vec<Rating> {
        let mut out = Vec::new();
        for n in (0..days).rev() {
            for seat in [1, 2] {
                out.push(Rating {
                    evening: day(n),
                    seat: Seat::from_number(seat).unwrap(),
                    mood: 3,
                    closeness: f(n, seat),
                });
            }
        }
        out
    }

    #[test]
    fn trust_rises_when_the_last_four_weeks_read_higher_and_shows_as_bars() {
        let today = day(0);
        let week = |w: i64, a: u8, b: Option<u8>| (today - Duration::weeks(w), [Some(a), b]);
        let rising: TrustWeeks = vec![
            week(7, 2, Some(2)),
            week(6, 2, None),
            week(5, 3, Some(2)),
            week(3, 4, Some(3)),
            week(2, 4, Some(4)),
            week(1, 5, None),
        ];
        assert_eq!(trust_direction(&rising, today), Direction::Rising);
        let steady: TrustWeeks = vec![week(6, 3, Some(3)), week(5, 3, None), week(2, 3, Some(3))];
        assert_eq!(trust_direction(&steady, today), Direction::Steady);
        assert_eq!(trust_direction(&Vec::new(), today), Direction::Unclear);
        let bars = trust_bars(&rising, 1, today);
        assert_eq!(bars.chars().count(), TRUST_WEEKS);
        assert!(
            bars.contains('▃') && bars.contains('▆') && bars.contains('·'),
            "{bars}"
        );
    }

    #[test]
    fn closeness_direction_compares_two_fortnights() {
        assert_eq!(
            closeness_direction(&evenings(28, |n, _| if n < 14 { 4 } else { 2 }), day(0)),
            Direction::Rising
        );
        assert_eq!(
            closeness_direction(&evenings(28, |n, _| if n < 14 { 2 } else { 4 }), day(0)),
            Direction::Falling
        );
        assert_eq!(
            closeness_direction(&evenings(28, |_, _| 3), day(0)),
            Direction::Steady
        );
        assert_eq!(
            closeness_direction(&evenings(10, |_, _| 3), day(0)),
            Direction::Unclear
        );
        assert_eq!(closeness_direction(&[], day(0)), Direction::Unclear);
    }

    #[test]
    fn divergence_needs_most_shared_evenings_two_apart() {
        assert!(diverging(
            &evenings(7, |_, seat| if seat == 1 { 5 } else { 2 }),
            day(0)
        ));
        assert!(!diverging(
            &evenings(7, |_, seat| if seat == 1 { 4 } else { 3 }),
            day(0)
        ));
        // Three of seven apart is not most.
        assert!(!diverging(
            &evenings(7, |n, seat| if seat == 1 && n < 3 { 5 } else { 2 }),
            day(0)
        ));
        // Two shared evenings are too few to say anything.
        assert!(!diverging(
            &evenings(2, |_, seat| if seat == 1 { 5 } else { 1 }),
            day(0)
        ));
    }

    #[test]
    fn counsellor_after_three_low_weeks_for_both_only() {
        assert!(counsellor_suggested(&evenings(21, |_, _| 2), day(0)));
        assert!(
            !counsellor_suggested(&evenings(14, |_, _| 1), day(0)),
            "only two weeks"
        );
        assert!(
            !counsellor_suggested(
                &evenings(21, |_, seat| if seat == 1 { 2 } else { 3 }),
                day(0)
            ),
            "one partner is fine"
        );
        assert!(
            !counsellor_suggested(
                &evenings(21, |n, _| if (7..14).contains(&n) { 3 } else { 1 }),
                day(0)
            ),
            "a better week in between"
        );
    }

    #[test]
    fn the_note_returns_no_sooner_than_a_fortnight() {
        let now = DateTime::parse_from_rfc3339("2026-11-23T20:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert!(counsellor_note_due(true, None, now));
        assert!(!counsellor_note_due(
            true,
            Some(now - Duration::days(13)),
            now
        ));
        assert!(counsellor_note_due(
            true,
            Some(now - Duration::days(14)),
            now
        ));
        assert!(!counsellor_note_due(false, None, now));
    }
}
