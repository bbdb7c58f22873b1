//! A readable Markdown summary of a stretch of time: to keep, or to bring to a counsellor.
//!
//! The daily check-ins' own words stay private; the summary gives their figures. What the
//! couple wrote together (weekly meetings, agreements, wins) is quoted.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::domain::{describe_event, AgreementStatus, Partner};
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
    let st = Stretch {
        store,
        couple: store.couple()?,
        from,
        to,
    };
    let couple = &st.couple;
    let mut out = Vec::new();
    out.push(format!(
        "# {} & {} — a summary from duet",
        md(&couple[0].name),
        md(&couple[1].name)
    ));
    out.push(String::new());
    out.push(format!(
        "From {} to {}. Written by duet on {}. The daily check-ins' own words are not included; their figures are.",
        date(from),
        date(to),
        date(now.naive_local().date())
    ));

    evenings(&st, &now, &mut out)?;
    meetings(&st, &mut out)?;
    agreements(&st, &mut out)?;
    wins(&st, &mut out)?;
    repairs(&st, &mut out)?;
    Ok(out.iter().map(|l| format!("{l}\n")).collect())
}

/// The stretch a summary covers, and whose it is.
struct Stretch<'a> {
    store: &'a Store,
    couple: [Partner; 2],
    from: NaiveDate,
    to: NaiveDate,
}

impl Stretch<'_> {
    fn name(&self, id: &str) -> String {
        self.couple
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "?".into())
    }
}

/// How the evenings went, in figures only.
fn evenings<Tz: TimeZone>(
    st: &Stretch,
    now: &DateTime<Tz>,
    out: &mut Vec<String>,
) -> Result<(), StoreError>
where
    Tz::Offset: std::fmt::Display,
{
    let ratings = st.store.ratings_between(st.from, st.to)?;
    let days = (st.to - st.from).num_days() + 1;
    let per_evening = st.store.checkins_per_evening(st.from, st.to)?;
    let both = per_evening.iter().filter(|(_, n)| *n >= 2).count();
    let one = per_evening.iter().filter(|(_, n)| *n == 1).count();
    out.push(String::new());
    out.push("## How the evenings went".into());
    out.push(String::new());
    out.push(format!(
        "- Evenings you both checked in: {both} of {days} (one of you: {one})."
    ));
    for p in st.couple.iter() {
        let mine: Vec<_> = ratings.iter().filter(|r| r.seat == p.seat).collect();
        let moods: Vec<u8> = mine.iter().map(|r| r.mood).collect();
        let close: Vec<u8> = mine.iter().map(|r| r.closeness).collect();
        if mine.is_empty() {
            out.push(format!("- {}: no check-ins in this stretch.", md(&p.name)));
        } else {
            out.push(format!(
                "- {}: average mood {} and closeness {} (1–5), over {} evening{}.",
                md(&p.name),
                average(&moods),
                average(&close),
                mine.len(),
                if mine.len() == 1 { "" } else { "s" }
            ));
        }
    }
    out.push(format!(
        "- Closeness over the last four weeks of this stretch: {}.",
        closeness_direction(&ratings, st.to).word()
    ));
    let wins = st.store.wins_between(st.from, st.to)?;
    let celebrated = wins.iter().filter(|w| w.celebrated_by.is_some()).count();
    out.push(format!(
        "- Wins logged: {} ({} celebrated by the other).",
        wins.len(),
        celebrated
    ));
    let reviews = st.store.reviews_by_month(st.from, st.to)?;
    let (honored, marks) = reviews
        .iter()
        .fold((0, 0), |(h, t), (_, hh, tt)| (h + hh, t + tt));
    if marks > 0 {
        out.push(format!(
            "- Agreement reviews: {honored} of {marks} marks were \"honored\"."
        ));
    }
    if st.to >= now.naive_local().date() - Duration::days(1) {
        let t = Trends::load(st.store, Span::Month, st.to, now.with_timezone(&Utc))?;
        if t.diverging {
            out.push(
                "- This last week your closeness differed by 2 or more on most evenings.".into(),
            );
        }
    }
    Ok(())
}

/// Each weekly check-in in the stretch, in the words the couple wrote together.
fn meetings(st: &Stretch, out: &mut Vec<String>) -> Result<(), StoreError> {
    out.push(String::new());
    out.push("## Weekly check-ins".into());
    let meetings: Vec<_> = st
        .store
        .recent_meetings(usize::MAX >> 1)?
        .into_iter()
        .filter(|m| m.week >= st.from && m.week <= st.to)
        .collect();
    if meetings.is_empty() {
        out.push(String::new());
        out.push("None in this stretch.".into());
    }
    for m in &meetings {
        out.push(String::new());
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
        out.push(format!("### Week of {} — {state}", date(m.week)));
        let a = &m.answers;
        let by_partner = |map: &Option<std::collections::BTreeMap<String, String>>, id: &str| {
            map.as_ref().and_then(|m| m.get(id)).and_then(|t| quote(t))
        };
        if let Some(t) = a.last_week.as_deref().and_then(quote) {
            out.push(format!("- How last week's intention went: {t}"));
        }
        for p in st.couple.iter() {
            if let Some(t) = by_partner(&a.appreciations, &p.id) {
                out.push(format!("- {} appreciated: {t}", md(&p.name)));
            }
        }
        if let Some(t) = a.went_right.as_deref().and_then(quote) {
            out.push(format!("- What went right: {t}"));
        }
        if let Some(t) = a.week_felt.as_deref().and_then(quote) {
            out.push(format!("- How the week felt: {t}"));
        }
        if let Some(hard) = &a.hard {
            if let Some(t) = quote(&hard.what) {
                let by = md(&st.name(&hard.by));
                let request = quote(&hard.request).unwrap_or_default();
                out.push(format!(
                    "- Hard this week ({by}): {t} — and would like instead: {request}"
                ));
            }
        }
        for p in st.couple.iter() {
            if let Some(t) = by_partner(&a.loved, &p.id) {
                out.push(format!("- What would make {} feel loved: {t}", md(&p.name)));
            }
        }
        // One line, whatever was typed: a list inside the bold would break it.
        if let Some(t) = m.intentions.first().filter(|t| !t.trim().is_empty()) {
            out.push(format!("- Intention for the week: **{}**", md(t)));
        }
    }
    Ok(())
}

/// The agreements, with their history in the stretch.
fn agreements(st: &Stretch, out: &mut Vec<String>) -> Result<(), StoreError> {
    out.push(String::new());
    out.push("## Agreements".into());
    let agreements: Vec<_> = st
        .store
        .agreements(None)?
        .into_iter()
        .filter(|a| a.created_at.date_naive() <= st.to)
        .collect();
    if agreements.is_empty() {
        out.push(String::new());
        out.push("None in this stretch.".into());
    }
    for ag in &agreements {
        out.push(String::new());
        out.push(format!("### {} ({})", md(&ag.title), ag.status.as_str()));
        let mut facts = vec![format!("proposed by {}", md(&st.name(&ag.proposed_by)))];
        if !ag.category.is_empty() {
            facts.push(md(&ag.category));
        }
        facts.push(format!(
            "reviewed every {}",
            crate::text::count(ag.review_every_weeks, "week")
        ));
        if let (Some(d), true) = (ag.next_review, ag.status != AgreementStatus::Retired) {
            facts.push(format!("next review {}", date(d)));
        }
        out.push(facts.join(" · "));
        if !ag.details.is_empty() {
            out.push(String::new());
            out.push(md(&ag.details));
        }
        let events: Vec<_> = st
            .store
            .agreement_events(&ag.id)?
            .into_iter()
            .filter(|e| e.evening >= st.from && e.evening <= st.to)
            .collect();
        if !events.is_empty() {
            out.push(String::new());
            for e in events {
                let who = e.partner_id.as_deref().map(|id| st.name(id));
                out.push(format!(
                    "- {}: {}",
                    date(e.evening),
                    md(&describe_event(e.kind, who.as_deref(), &e.detail))
                ));
            }
        }
    }
    Ok(())
}

/// Wins, newest first.
fn wins(st: &Stretch, out: &mut Vec<String>) -> Result<(), StoreError> {
    out.push(String::new());
    out.push("## Wins".into());
    out.push(String::new());
    out.push("Who logged each, and whom it was about; ♥ means the other celebrated it.".into());
    out.push(String::new());
    let mut wins = st.store.wins(&WinFilter::default(), usize::MAX >> 1)?;
    wins.retain(|w| w.evening >= st.from && w.evening <= st.to);
    if wins.is_empty() {
        out.push("None logged in this stretch.".into());
    }
    for w in wins {
        let about = w
            .about
            .as_deref()
            .map(|id| st.name(id))
            .unwrap_or_else(|| "us".into());
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
        out.push(format!(
            "- {} — {} ({} → {}){tags}{heart}",
            date(w.evening),
            md(&w.text),
            md(&st.name(&w.logged_by)),
            md(&about)
        ));
    }
    Ok(())
}

/// Repairs only as counts: their words are between the two of them. Counted together, not
/// per partner, and by the answer that stands, so it never reads as a score.
fn repairs(st: &Stretch, out: &mut Vec<String>) -> Result<(), StoreError> {
    use crate::domain::Response;
    let taken = st.store.repairs_between(st.from, st.to)?;
    if taken.is_empty() {
        return Ok(());
    }
    let mut standing = Vec::new();
    for r in &taken {
        let answers = st.store.repair_responses(&r.id)?;
        if let Some(a) = crate::domain::current_response(&answers) {
            standing.push(a.response);
        }
    }
    let count = |r: Response| standing.iter().filter(|x| **x == r).count();
    out.push(String::new());
    out.push("## Repairs".into());
    out.push(String::new());
    let words = st.store.both_share_repair_words()?;
    out.push(if words {
        "You both chose to include their words.".into()
    } else {
        "Counts only; the words stay in the journal (they come in once you both choose so).".into()
    });
    out.push(String::new());
    out.push(format!(
        "- Responsibility taken: {} time{}",
        taken.len(),
        if taken.len() == 1 { "" } else { "s" }
    ));
    out.push(format!(
        "- Answered so far: {} (forgiven {}, thanked {}, heard {})",
        count(Response::Forgive) + count(Response::Thanks) + count(Response::Heard),
        count(Response::Forgive),
        count(Response::Thanks),
        count(Response::Heard)
    ));
    if words {
        out.push(String::new());
        for r in &taken {
            let answer = crate::domain::current_response(&st.store.repair_responses(&r.id)?)
                .map(|a| format!(" — {}: {}", md(&st.name(&a.partner_id)), a.response.words()))
                .unwrap_or_default();
            out.push(format!(
                "- {} — {}: {}{answer}",
                date(r.evening),
                md(&st.name(&r.by)),
                md(&r.what_happened.replace('\n', " "))
            ));
        }
    }
    Ok(())
}
