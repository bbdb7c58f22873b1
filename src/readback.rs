//! Reading the past back as plain text: an evening, a week's check-in. The words of a
//! check-in are shared the way the reveal shares them, here as in the app.

use crate::domain::{self, describe_event, CheckIn, Meeting, Partner};
use crate::store::EveningRecord;

/// The words of a check-in are shown once both partners checked in that evening (the reveal's
/// own rule); an evening only one of them checked in shows only that they did.
pub fn shareable(r: &EveningRecord) -> bool {
    r.checkins.len() == 2
}

/// The evening with the check-ins' words taken out when they aren't to be shown. A private
/// note is never shown.
pub fn private_part(r: EveningRecord) -> EveningRecord {
    let share = shareable(&r);
    words_shown(r, share)
}

/// The evening with its check-ins' words shown or not (tonight's wait for the reveal).
pub fn words_shown(mut r: EveningRecord, shown: bool) -> EveningRecord {
    for c in &mut r.checkins {
        if !shown {
            *c = hidden(c);
        }
        c.note.clear();
    }
    r
}

/// Whether a check-in's words were taken out (no saved check-in has a mood of 0).
fn is_hidden(c: &CheckIn) -> bool {
    c.mood == 0
}

/// A check-in with nothing of its own left in it: only that it happened.
fn hidden(c: &CheckIn) -> CheckIn {
    CheckIn {
        mood: 0,
        closeness: 0,
        appreciation: String::new(),
        need: String::new(),
        prompt_answer: String::new(),
        note: String::new(),
        ..c.clone()
    }
}

fn name_in(couple: &[Partner; 2], id: &str) -> String {
    couple
        .iter()
        .find(|p| p.id == id)
        .map_or("?".into(), |p| p.name.clone())
}

/// An evening as lines of plain text.
pub fn evening_lines(r: &EveningRecord, couple: &[Partner; 2]) -> Vec<String> {
    let mut out = vec![r.evening.format("%A %-d %B %Y").to_string()];
    for p in couple {
        out.extend(partner_lines(r, p, false));
    }
    out.extend(shared_lines(r, couple));
    out
}

/// One partner's check-in that evening: figures and words, or why they aren't shown. `narrow`:
/// for a column beside the other partner's.
pub fn partner_lines(r: &EveningRecord, p: &Partner, narrow: bool) -> Vec<String> {
    let Some(c) = r.checkins.iter().find(|c| c.partner_id == p.id) else {
        return vec![format!("{}: didn't check in.", p.name)];
    };
    if is_hidden(c) {
        let why = if shareable(r) {
            "tonight's words wait for the reveal"
        } else {
            "the words stay private: only one of you checked in that evening"
        };
        return vec![format!("{}: checked in ({why}).", p.name)];
    }
    let edited = if c.revision > 1 { " (edited)" } else { "" };
    let (mood, close) = (
        domain::mood_word(c.mood),
        domain::closeness_word(c.closeness),
    );
    let mut out = vec![if narrow {
        format!(
            "{}: {} {mood} · {} {close}{edited}",
            p.name, c.mood, c.closeness
        )
    } else {
        format!(
            "{}: mood {} ({mood}), closeness {} ({close}){edited}",
            p.name, c.mood, c.closeness
        )
    }];
    let indent = if narrow { "" } else { "  " };
    for (label, text) in [
        ("Appreciates", &c.appreciation),
        ("Needs", &c.need),
        ("On the prompt", &c.prompt_answer),
    ] {
        if !text.is_empty() {
            let text = text.replace('\n', &format!("\n{indent}  "));
            out.push(format!("{indent}{label}: {text}"));
        }
    }
    out
}

/// What the evening held besides the check-ins: its prompt, wins, reviews, the weekly check-in.
pub fn shared_lines(r: &EveningRecord, couple: &[Partner; 2]) -> Vec<String> {
    let mut out = Vec::new();
    let prompt = r
        .checkins
        .iter()
        .find(|c| !is_hidden(c) && !c.prompt_answer.is_empty())
        .and_then(|c| c.prompt_id.as_deref())
        .and_then(crate::prompts::by_id);
    if let Some(p) = prompt {
        out.push(format!("The prompt: {}", p.text));
    }
    out.extend(wins_and_reviews(r, couple));
    if let Some(m) = &r.meeting {
        let state = if m.completed_at.is_some() {
            "held"
        } else if m.skipped_at.is_some() {
            "skipped"
        } else {
            "started"
        };
        out.push(format!("Weekly check-in: {state}"));
    }
    out
}

/// The evening's wins, then its reviews (both partners' of one agreement on one line).
pub fn wins_and_reviews(r: &EveningRecord, couple: &[Partner; 2]) -> Vec<String> {
    let mut out = Vec::new();
    for w in &r.wins {
        let heart = if w.celebrated_by.is_some() {
            "♥"
        } else {
            "•"
        };
        let about = w
            .about
            .as_deref()
            .map_or("us".into(), |id| name_in(couple, id));
        out.push(format!(
            "Win {heart} {} ({} → {about})",
            w.text,
            name_in(couple, &w.logged_by)
        ));
    }
    let mut reviewed: Vec<(&str, Vec<String>)> = Vec::new();
    for e in &r.reviews {
        let who = e.partner_id.as_deref().map(|id| name_in(couple, id));
        let said = describe_event(e.kind, who.as_deref(), &e.detail);
        match reviewed.iter_mut().find(|(id, _)| *id == e.agreement_id) {
            Some((_, all)) => all.push(said),
            None => reviewed.push((&e.agreement_id, vec![said])),
        }
    }
    for (id, said) in reviewed {
        let title = r
            .agreement_titles
            .get(id)
            .map_or("an agreement", String::as_str);
        out.push(format!("Review of \"{title}\": {}", said.join("; ")));
    }
    for rep in &r.repairs {
        out.push(format!(
            "Repair: {} took responsibility: {}",
            name_in(couple, &rep.by),
            crate::text::fit(&rep.what_happened.replace('\n', " "), 60)
        ));
    }
    for (a, what) in &r.repair_answers {
        out.push(format!(
            "Repair answered: {}: {} (to “{}”)",
            name_in(couple, &a.partner_id),
            a.response.words(),
            crate::text::fit(&what.replace('\n', " "), 40)
        ));
    }
    out
}

/// A week's check-in, step by step, as lines of plain text.
pub fn meeting_lines(m: &Meeting, couple: &[Partner; 2]) -> Vec<String> {
    let mut out = vec![format!(
        "Weekly check-in, week of {}",
        m.week.format("%a %-d %b %Y")
    )];
    if let Some(reason) = &m.skip_reason {
        out.push(format!("Skipped: {reason}"));
    }
    let a = &m.answers;
    let mut say = |label: String, text: Option<&String>| {
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            out.push(format!("{label}: {}", t.replace('\n', "\n  ")));
        }
    };
    say(
        "How last week's intention went".into(),
        a.last_week.as_ref(),
    );
    for p in couple {
        let of = |map: &Option<std::collections::BTreeMap<String, String>>| {
            map.as_ref().and_then(|m| m.get(&p.id)).cloned()
        };
        say(
            format!("{} appreciated", p.name),
            of(&a.appreciations).as_ref(),
        );
    }
    say("What went right".into(), a.went_right.as_ref());
    say("How the week felt".into(), a.week_felt.as_ref());
    if let Some(h) = &a.hard {
        say(format!("Hard ({})", name_in(couple, &h.by)), Some(&h.what));
        say("Would like instead".into(), Some(&h.request));
    }
    for p in couple {
        if let Some(t) = a.trust.as_ref().and_then(|m| m.get(&p.id)) {
            let words = if t.words.is_empty() {
                String::new()
            } else {
                format!(" · {}", t.words.replace('\n', " "))
            };
            say(
                format!("How safe and trusting it felt to {}", p.name),
                Some(&format!(
                    "{} ({}){words}",
                    t.rating,
                    domain::trust_word(t.rating)
                )),
            );
        }
    }
    if let Some(g) = &a.good_time {
        let when = if g.when.is_empty() {
            String::new()
        } else {
            format!(", {}", g.when)
        };
        let done = if g.done_at.is_some() { " (done)" } else { "" };
        say(
            "A good time planned".into(),
            Some(&format!("{}{when}{done}", g.what)),
        );
    }
    for p in couple {
        let loved = a.loved.as_ref().and_then(|m| m.get(&p.id)).cloned();
        say(
            format!("What would make {} feel loved", p.name),
            loved.as_ref(),
        );
    }
    say("Intention".into(), m.intentions.first());
    out
}
