//! A readable Markdown summary of a stretch of time: to keep, or to bring to a counsellor.
//!
//! The daily check-ins' own words stay private; the summary gives their figures. What the
//! couple wrote together (weekly meetings, agreements, wins) is quoted.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::domain::{describe_event, AgreementStatus};
use crate::error::StoreError;
use crate::store::{Store, WinFilter};
use crate::text::markdown as md;
use crate::trends::{closeness_direction, Span, Trends};

/// A meeting's answer, quoted; an answer written one item per line stays a list, each line a
/// sub-item. Nothing for an empty answer.
fn quote(t: &str) -> Option<String> {
    Some(t).filter(|t| !t.trim().is_empty()).map(|t| {
        let items: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if items.len() > 1 {
            items
                .iter()
                .map(|l| format!("\n  - {}", md(l)))
                .collect::<String>()
        } else {
            md(t)
        }
    })
}

fn date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

fn average(xs: &[u8]) -> String {
    if xs.is_empty() {
        "–".into()
    } else {
        format!(
            "{:.1}",
            xs.iter().map(|x| *x as f64).sum::<f64>() / xs.len() as f64
        )
    }
}

pub fn markdown<Tz: TimeZone>(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Tz>,
) -> Result<String, StoreError>
where
    Tz::Offset: std::fmt::Display,
{
    let couple = store.couple()?;
    let name = |id: &str| {
        couple
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "?".into())
    };
    let mut s = String::new();
    let mut line = |l: String| {
        s.push_str(&l);
        s.push('\n');
    };
    line(format!(
        "# {} & {} — a summary from duet",
        md(&couple[0].name),
        md(&couple[1].name)
    ));
    line(String::new());
    line(format!(
        "From {} to {}. Written by duet on {}. The daily check-ins' own words are not included; their figures are.",
        date(from),
        date(to),
        date(now.naive_local().date())
    ));

    // How the evenings went.
    let ratings = store.ratings_between(from, to)?;
    let days = (to - from).num_days() + 1;
    let per_evening = store.checkins_per_evening(from, to)?;
    let both = per_evening.iter().filter(|(_, n)| *n >= 2).count();
    let one = per_evening.iter().filter(|(_, n)| *n == 1).count();
    line(String::new());
    line("## How the evenings went".into());
    line(String::new());
    line(format!(
        "- Evenings you both checked in: {both} of {days} (one of you: {one})."
    ));
    for p in couple.iter() {
        let mine: Vec<_> = ratings.iter().filter(|r| r.seat == p.seat).collect();
        let moods: Vec<u8> = mine.iter().map(|r| r.mood).collect();
        let close: Vec<u8> = mine.iter().map(|r| r.closeness).collect();
        if mine.is_empty() {
            line(format!("- {}: no check-ins in this stretch.", md(&p.name)));
        } else {
            line(format!(
                "- {}: average mood {} and closeness {} (1–5), over {} evenings.",
                md(&p.name),
                average(&moods),
                average(&close),
                mine.len()
            ));
        }
    }
    line(format!(
        "- Closeness over the last four weeks of this stretch: {}.",
        closeness_direction(&ratings, to).word()
    ));
    let wins = store.wins_between(from, to)?;
    let celebrated = wins.iter().filter(|w| w.celebrated_by.is_some()).count();
    line(format!(
        "- Wins logged: {} ({} celebrated by the other).",
        wins.len(),
        celebrated
    ));
    let reviews = store.reviews_by_month(from, to)?;
    let (honored, marks) = reviews
        .iter()
        .fold((0, 0), |(h, t), (_, hh, tt)| (h + hh, t + tt));
    if marks > 0 {
        line(format!(
            "- Agreement reviews: {honored} of {marks} marks were \"honored\"."
        ));
    }
    if to >= now.naive_local().date() - Duration::days(1) {
        let t = Trends::load(store, Span::Month, to, now.with_timezone(&Utc))?;
        if t.diverging {
            line("- This last week your closeness differed by 2 or more on most evenings.".into());
        }
    }

    // Weekly check-ins.
    line(String::new());
    line("## Weekly check-ins".into());
    let meetings: Vec<_> = store
        .recent_meetings(usize::MAX >> 1)?
        .into_iter()
        .filter(|m| m.week >= from && m.week <= to)
        .collect();
    if meetings.is_empty() {
        line(String::new());
        line("None in this stretch.".into());
    }
    for m in &meetings {
        line(String::new());
        let state = if m.completed_at.is_some() {
            "held".to_string()
        } else if m.skipped_at.is_some() {
            format!(
                "skipped ({})",
                md(m.skip_reason.as_deref().unwrap_or("no reason given"))
            )
        } else {
            "started, not finished".into()
        };
        line(format!("### Week of {} — {state}", date(m.week)));
        let a = &m.answers;
        let by_partner = |map: &Option<std::collections::BTreeMap<String, String>>, id: &str| {
            map.as_ref().and_then(|m| m.get(id)).and_then(|t| quote(t))
        };
        if let Some(t) = a.last_week.as_deref().and_then(quote) {
            line(format!("- How last week's intention went: {t}"));
        }
        for p in couple.iter() {
            if let Some(t) = by_partner(&a.appreciations, &p.id) {
                line(format!("- {} appreciated: {t}", md(&p.name)));
            }
        }
        if let Some(t) = a.went_right.as_deref().and_then(quote) {
            line(format!("- What went right: {t}"));
        }
        if let Some(t) = a.week_felt.as_deref().and_then(quote) {
            line(format!("- How the week felt: {t}"));
        }
        if let Some(hard) = &a.hard {
            if let Some(t) = quote(&hard.what) {
                let by = md(&name(&hard.by));
                let request = quote(&hard.request).unwrap_or_default();
                line(format!(
                    "- Hard this week ({by}): {t} — and would like instead: {request}"
                ));
            }
        }
        for p in couple.iter() {
            if let Some(t) = by_partner(&a.loved, &p.id) {
                line(format!("- What would make {} feel loved: {t}", md(&p.name)));
            }
        }
        if let Some(t) = m.intentions.first().and_then(|t| quote(t)) {
            line(format!("- Intention for the week: **{t}**"));
        }
    }

    // Agreements, with their history in the stretch.
    line(String::new());
    line("## Agreements".into());
    let agreements: Vec<_> = store
        .agreements(None)?
        .into_iter()
        .filter(|a| a.created_at.date_naive() <= to)
        .collect();
    if agreements.is_empty() {
        line(String::new());
        line("None in this stretch.".into());
    }
    for ag in &agreements {
        line(String::new());
        line(format!("### {} ({})", md(&ag.title), ag.status.as_str()));
        let mut facts = vec![format!("proposed by {}", md(&name(&ag.proposed_by)))];
        if !ag.category.is_empty() {
            facts.push(md(&ag.category));
        }
        facts.push(format!("reviewed every {} weeks", ag.review_every_weeks));
        if let (Some(d), true) = (ag.next_review, ag.status != AgreementStatus::Retired) {
            facts.push(format!("next review {}", date(d)));
        }
        line(facts.join(" · "));
        if !ag.details.is_empty() {
            line(String::new());
            line(md(&ag.details));
        }
        let events: Vec<_> = store
            .agreement_events(&ag.id)?
            .into_iter()
            .filter(|e| e.evening >= from && e.evening <= to)
            .collect();
        if !events.is_empty() {
            line(String::new());
            for e in events {
                let who = e.partner_id.as_deref().map(&name);
                line(format!(
                    "- {}: {}",
                    date(e.evening),
                    md(&describe_event(e.kind, who.as_deref(), &e.detail))
                ));
            }
        }
    }

    // Wins, newest first.
    line(String::new());
    line("## Wins".into());
    line(String::new());
    line("Who logged each, and whom it was about; ♥ means the other celebrated it.".into());
    line(String::new());
    let mut wins = store.wins(&WinFilter::default(), usize::MAX >> 1)?;
    wins.retain(|w| w.evening >= from && w.evening <= to);
    if wins.is_empty() {
        line("None logged in this stretch.".into());
    }
    for w in wins {
        let about = w.about.as_deref().map(&name).unwrap_or_else(|| "us".into());
        let heart = if w.celebrated_by.is_some() {
            " ♥"
        } else {
            ""
        };
        let tags = if w.tags.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                w.tags
                    .iter()
                    .map(|t| format!("#{}", md(t)))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        };
        line(format!(
            "- {} — {} ({} → {}){tags}{heart}",
            date(w.evening),
            md(&w.text),
            md(&name(&w.logged_by)),
            md(&about)
        ));
    }
    Ok(s)
}
