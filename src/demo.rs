//! A synthetic couple for trying duet and for benchmarks: years of evenings, deterministic for
//! a seed. Built in memory as a `Snapshot` and written in one transaction.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use serde_json::json;

use crate::domain::{
    self, Agreement, AgreementEvent, AgreementStatus, Answers, CheckIn, Consent, EventKind,
    Meeting, Partner, Repair, RepairResponse, Response, Seat, Settings, Win,
};
use crate::prompts;
use crate::store::Snapshot;

const APPRECIATIONS: &[&str] = &[
    "You made coffee before I woke up",
    "You listened without fixing",
    "You texted when you were running late",
    "You handled the kids' bedtime",
    "You laughed at my terrible joke",
    "You asked about my day and waited for the answer",
    "You kept your phone away at dinner",
    "You told me the truth even though it was hard",
];
const NEEDS: &[&str] = &[
    "An early night",
    "A walk together",
    "Ten quiet minutes after work",
    "A hug when I get home",
    "To plan the weekend together",
    "",
];
/// Whom a win is about: the two of them, or the partner who didn't log it.
#[derive(Clone, Copy)]
enum About {
    Us,
    Other,
}

/// Each win with whom it is about and the tag that fits it.
const WINS: &[(&str, About, &str)] = &[
    (
        "We talked about money without raising our voices",
        About::Us,
        "money",
    ),
    ("Cooked dinner together", About::Us, "home"),
    ("Said sorry first", About::Other, "talk"),
    ("Kept the phone-free dinner", About::Us, "home"),
    ("Remembered the appointment", About::Other, "family"),
    ("Went for a walk in the rain", About::Us, "outside"),
    ("Asked for help instead of sulking", About::Other, "talk"),
    ("Laughed until we cried", About::Us, "kindness"),
];
const TAGS: &[&str] = &["home", "talk", "kindness", "money", "family", "outside"];
const AGREEMENTS: &[(&str, &str)] = &[
    ("Phones away at dinner", "attention"),
    ("Text if we'll be more than 20 minutes late", "reliability"),
    ("No big decisions after 10pm", "conflict"),
    ("One evening a week just for us", "time"),
    ("Ask before inviting family over", "family"),
    ("Share passwords for the shared accounts", "transparency"),
    ("Take a break when voices rise", "conflict"),
    ("Say what we need instead of hinting", "honesty"),
];

struct Gen {
    rng: fastrand::Rng,
}

impl Gen {
    fn id(&mut self) -> String {
        let mut bytes = [0u8; 16];
        for b in &mut bytes {
            *b = self.rng.u8(..);
        }
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }

    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.rng.usize(..xs.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }
}

fn at(date: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default())
        .and_utc()
}

/// `years` of a couple's life ending on `today`, the same every time for the same `seed`.
pub fn generate(years: u32, seed: u64, today: NaiveDate) -> Snapshot {
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(seed),
    };
    let days = (years as i64) * 365;
    let start = today - Duration::days(days);
    let partners: Vec<Partner> = [("Alex", Seat::First), ("Sam", Seat::Second)]
        .iter()
        .map(|(name, seat)| Partner {
            id: g.id(),
            seat: *seat,
            name: name.to_string(),
            color: domain::default_color(*seat).into(),
            created_at: at(start, 20, 0),
        })
        .collect();
    let ids = [partners[0].id.clone(), partners[1].id.clone()];
    let (checkins, wins) = evenings(&mut g, &ids, start, days);
    let (agreements, agreement_events) = agreement_history(&mut g, &ids, start, today, years);
    let meetings = weekly_check_ins(&mut g, &ids, start, today);
    let (repairs, repair_responses) = repairs(&mut g, &ids, start, today);
    Snapshot {
        partners,
        settings: Settings {
            weekly_weekday: Weekday::Sun,
            ..Settings::default()
        },
        checkins,
        agreements,
        agreement_events,
        wins,
        meetings,
        repairs,
        repair_responses,
        evening_prompts: Vec::new(),
        prompt_stars: Vec::new(),
        summary_choices: Vec::new(),
    }
}

const REPAIRS: &[(&str, &str, &str)] = &[
    (
        "I checked my phone while you were telling me about your day",
        "You probably felt like it didn't matter to me",
        "Phone face down when we talk",
    ),
    (
        "I was short with you when I got home",
        "It must have felt like walking into a cold room",
        "Take ten minutes to land before we talk",
    ),
    (
        "I forgot to text that I'd be late",
        "You waited and worried",
        "Text as soon as I know",
    ),
    (
        "I made plans for Saturday without asking you",
        "It may have felt like your time didn't count",
        "Ask before I say yes to things for both of us",
    ),
    (
        "I brought up the old argument again",
        "You may have felt we were going backwards",
        "",
    ),
];

/// Now and then one of them takes responsibility for something; the other answers a few days
/// later, most often with thanks or forgiveness, sometimes "not yet" and forgiveness after.
fn repairs(
    g: &mut Gen,
    ids: &[String; 2],
    start: NaiveDate,
    today: NaiveDate,
) -> (Vec<Repair>, Vec<RepairResponse>) {
    let mut repairs = Vec::new();
    let mut answers = Vec::new();
    let mut evening = start + Duration::days(10);
    while evening < today {
        let by = g.rng.usize(..2);
        let (what, affected, differently) = REPAIRS[g.rng.usize(..REPAIRS.len())];
        let made = at(evening, 21, 10);
        let repair = Repair {
            id: g.id(),
            by: ids[by].clone(),
            evening,
            what_happened: what.into(),
            how_it_affected: affected.into(),
            do_differently: differently.into(),
            agreement_id: None,
            created_at: made,
            updated_at: made,
            revision: 1,
        };
        let mut day = evening + Duration::days(g.rng.i64(1..5));
        let mut answer = |g: &mut Gen, day: NaiveDate, response: Response, note: &str| {
            answers.push(RepairResponse {
                id: g.id(),
                repair_id: repair.id.clone(),
                partner_id: ids[1 - by].clone(),
                response,
                note: note.into(),
                at: at(day, 20, 40),
                evening: day,
            });
        };
        if day < today {
            if g.chance(0.2) {
                answer(g, day, Response::NotYet, "I need a little more time");
                day += Duration::days(g.rng.i64(3..10));
            }
            if day < today {
                let r = [Response::Heard, Response::Thanks, Response::Forgive][g.rng.usize(..3)];
                answer(g, day, r, "");
            }
        }
        repairs.push(repair);
        evening += Duration::days(g.rng.i64(12..30));
    }
    (repairs, answers)
}

/// Every evening from `start`: the check-ins (mood drifting as moods do) and the odd win.
fn evenings(
    g: &mut Gen,
    ids: &[String; 2],
    start: NaiveDate,
    days: i64,
) -> (Vec<CheckIn>, Vec<Win>) {
    let mut checkins = Vec::new();
    let mut wins = Vec::new();
    let mut mood = [3i32, 3i32];
    for d in 0..days {
        let evening = start + Duration::days(d);
        let both = g.chance(0.88);
        for (seat, pid) in ids.iter().enumerate() {
            if !(both || g.chance(0.2)) {
                continue;
            }
            // A walk that drifts back toward "good", as most evenings are.
            let pull = if mood[seat] < 3 {
                1
            } else if mood[seat] > 4 {
                -1
            } else {
                0
            };
            let step = g.rng.i32(-1..=1) + if g.chance(0.35) { pull } else { 0 };
            mood[seat] = (mood[seat] + step).clamp(1, 5);
            let closeness = (mood[seat] + g.rng.i32(-1..=1)).clamp(1, 5);
            let created = at(evening, 20 + seat as u32, g.rng.u32(0..60));
            checkins.push(CheckIn {
                id: g.id(),
                partner_id: pid.clone(),
                evening,
                mood: mood[seat] as u8,
                closeness: closeness as u8,
                appreciation: g.pick(APPRECIATIONS).into(),
                need: g.pick(NEEDS).into(),
                prompt_id: prompts::for_evening(evening).map(|p| p.id.clone()),
                prompt_answer: if g.chance(0.4) {
                    "We talked about it over dinner.".into()
                } else {
                    String::new()
                },
                note: String::new(),
                created_at: created,
                updated_at: created,
                revision: 1,
            });
        }
        if g.chance(0.45) {
            let by = Seat::ALL[g.rng.usize(..2)];
            // Drawn as always, so a seed makes the same couple as before; whom a win is
            // about and its tag now come with its words.
            let _ = g.rng.u8(..3);
            let created = at(evening, 21, g.rng.u32(0..60));
            let celebrated = g.chance(0.6);
            let id = g.id();
            let (text, about, tag) = WINS[g.rng.usize(..WINS.len())];
            let _ = g.pick(TAGS);
            wins.push(Win {
                id,
                text: text.into(),
                logged_by: ids[by].clone(),
                about: match about {
                    About::Us => None,
                    About::Other => Some(ids[by.other()].clone()),
                },
                evening,
                tags: vec![tag.to_string()],
                celebrated_by: celebrated.then(|| ids[by.other()].clone()),
                celebrated_at: celebrated.then_some(created + Duration::hours(1)),
                created_at: created,
                revision: 1,
                edited_at: None,
                deleted_at: None,
            });
        }
    }
    (checkins, wins)
}

/// Agreements proposed through the years, most agreed, reviewed and some retired, each with
/// its history.
fn agreement_history(
    g: &mut Gen,
    ids: &[String; 2],
    start: NaiveDate,
    today: NaiveDate,
    years: u32,
) -> (Vec<Agreement>, Vec<AgreementEvent>) {
    let days = (today - start).num_days();
    let mut agreements = Vec::new();
    let mut agreement_events = Vec::new();
    let count = (years as usize * 4).clamp(4, 40);
    for i in 0..count {
        let (title, category) = AGREEMENTS[i % AGREEMENTS.len()];
        let proposed = start + Duration::days((days * i as i64) / count as i64);
        // The same boundary agreed again years later, as couples do.
        let title = if i < AGREEMENTS.len() {
            title.to_string()
        } else {
            format!("{title} (renewed {})", proposed.year())
        };
        let by = Seat::ALL[i % 2];
        let weeks = [2u8, 4, 8][i % 3];
        let id = g.id();
        let mut event = |g: &mut Gen,
                         who: Option<&str>,
                         day: NaiveDate,
                         kind: EventKind,
                         detail: serde_json::Value| {
            agreement_events.push(event_of(g, &id, who, day, kind, detail))
        };
        event(
            g,
            Some(&ids[by]),
            proposed,
            EventKind::Proposed,
            json!({"title": title, "details": "", "category": category, "review_every_weeks": weeks}),
        );
        let agreed = g.chance(0.85);
        let mut status = AgreementStatus::Proposed;
        let mut consents = vec![Consent {
            partner_id: ids[by].clone(),
            at: at(proposed, 21, 30),
        }];
        let mut next_review = None;
        if agreed {
            let day = proposed + Duration::days(1);
            consents.push(Consent {
                partner_id: ids[by.other()].clone(),
                at: at(day, 21, 30),
            });
            event(
                g,
                Some(&ids[by.other()]),
                day,
                EventKind::Consented,
                json!({}),
            );
            event(
                g,
                None,
                day,
                EventKind::Agreed,
                json!({"status": {"from": "proposed", "to": "agreed"}}),
            );
            status = AgreementStatus::Agreed;
            let mut review = day + Duration::weeks(weeks as i64);
            while review < today {
                for pid in ids {
                    let mark = if g.chance(0.75) {
                        "honored"
                    } else {
                        "struggled"
                    };
                    let detail = json!({"mark": mark, "note": ""});
                    event(g, Some(pid), review, EventKind::Reviewed, detail);
                }
                review += Duration::weeks(weeks as i64);
            }
            next_review = Some(review);
            if i + 3 < count && g.chance(0.25) {
                status = AgreementStatus::Retired;
                event(
                    g,
                    Some(&ids[by]),
                    review - Duration::weeks(weeks as i64),
                    EventKind::Retired,
                    json!({"status": {"from": "agreed", "to": "retired"}}),
                );
            }
        }
        agreements.push(Agreement {
            id: id.clone(),
            title,
            details: String::new(),
            category: category.into(),
            proposed_by: ids[by].clone(),
            status,
            review_every_weeks: weeks,
            next_review,
            consents,
            created_at: at(proposed, 21, 30),
            updated_at: at(proposed, 21, 30),
            revision: 1,
        });
    }
    (agreements, agreement_events)
}

fn event_of(
    g: &mut Gen,
    agreement_id: &str,
    who: Option<&str>,
    day: NaiveDate,
    kind: EventKind,
    detail: serde_json::Value,
) -> AgreementEvent {
    AgreementEvent {
        id: g.id(),
        agreement_id: agreement_id.to_string(),
        partner_id: who.map(String::from),
        at: at(day, 21, 30),
        evening: day,
        kind,
        detail,
    }
}

/// A weekly check-in most Sundays, a few of them skipped.
const GOOD_TIMES: &[(&str, &str)] = &[
    ("A walk by the river", "Saturday morning"),
    ("Breakfast out", "Sunday"),
    ("Film night with popcorn", "Friday evening"),
    ("Cook something new together", "Wednesday"),
    ("Board games, phones away", "Thursday evening"),
];

/// A week's trust readings and its good time, from a generator of the week's own, so the rest
/// of the couple stays as it always was for a seed. Trust grows slowly, with ups and downs.
fn week_of_trust(
    ids: &[String; 2],
    start: NaiveDate,
    sunday: NaiveDate,
    today: NaiveDate,
) -> Answers {
    let mut rng = fastrand::Rng::with_seed(sunday.to_epoch_days() as u64);
    let span = (today - start).num_days().max(1) as f64;
    let grown = (sunday - start).num_days() as f64 / span;
    let mut trust = std::collections::BTreeMap::new();
    for id in ids {
        let rating = (2.0 + grown * 2.5 + rng.f64() * 1.4 - 0.7)
            .round()
            .clamp(1.0, 5.0) as u8;
        let words = if rng.f64() < 0.3 {
            "Talking before bed helped".to_string()
        } else {
            String::new()
        };
        trust.insert(id.clone(), domain::Trust { rating, words });
    }
    let (what, when) = GOOD_TIMES[rng.usize(..GOOD_TIMES.len())];
    let done = sunday + Duration::days(6) < today && rng.f64() < 0.7;
    Answers {
        trust: Some(trust),
        good_time: Some(domain::GoodTime {
            done_at: done.then(|| at(sunday + Duration::days(6), 12, 0)),
            what: what.into(),
            when: when.into(),
        }),
        ..Answers::default()
    }
}

fn weekly_check_ins(
    g: &mut Gen,
    ids: &[String; 2],
    start: NaiveDate,
    today: NaiveDate,
) -> Vec<Meeting> {
    let mut meetings = Vec::new();
    let mut sunday =
        start + Duration::days((7 - start.weekday().num_days_from_sunday() as i64) % 7);
    while sunday < today {
        if g.chance(0.9) {
            let held = at(sunday, 19, 45);
            let skipped = g.chance(0.1);
            let answers = if skipped {
                Answers::default()
            } else {
                let appreciations = [
                    (ids[0].clone(), g.pick(APPRECIATIONS).to_string()),
                    (ids[1].clone(), g.pick(APPRECIATIONS).to_string()),
                ];
                Answers {
                    step: Some(7),
                    appreciations: Some(appreciations.into_iter().collect()),
                    ..week_of_trust(ids, start, sunday, today)
                }
            };
            meetings.push(Meeting {
                id: g.id(),
                week: sunday,
                started_at: held,
                answers,
                intentions: if skipped {
                    Vec::new()
                } else {
                    vec![g
                        .pick(&[
                            "Two walks together",
                            "Phones away at dinner",
                            "Plan a date",
                            "Say thank you more",
                        ])
                        .to_string()]
                },
                completed_at: (!skipped).then_some(held),
                skipped_at: skipped.then_some(held),
                skip_reason: skipped.then(|| "Travelling".to_string()),
                updated_at: held,
                revision: 1,
            });
        }
        sunday += Duration::days(7);
    }
    meetings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_couple() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let a = generate(1, 7, today);
        let b = generate(1, 7, today);
        assert_eq!(a, b);
        assert_ne!(generate(1, 8, today).checkins, a.checkins);
        let evenings = 365.0;
        let both = a.checkins.len() as f64 / 2.0;
        assert!(both / evenings > 0.8 && both / evenings < 1.0, "{both}");
        assert!(a.wins.len() > 100, "a few wins a week");
        assert!(a.meetings.len() > 40, "most weeks");
        assert!(a.agreements.len() >= 4 && !a.agreement_events.is_empty());
    }
}
