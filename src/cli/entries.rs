//! Everyday entries from the shell: a win, a check-in, the agreements, where things stand,
//! and the one-line reminder.

use chrono::{DateTime, TimeZone};
use serde_json::json;

use super::{Run, StatusArg};
use crate::domain::{self, AgreementStatus, CheckInUpdate, Partner, WinDraft};
use crate::error::CliError;
use crate::schedule;
use crate::store::{self, FileKind, Store, WinEdit, WinFilter, WinSaved};

pub(super) fn win<Tz: TimeZone>(
    r: &mut Run<Tz>,
    text: String,
    by: Option<String>,
    about: Option<String>,
    tags: Vec<String>,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let draft = WinDraft {
        text,
        about: None,
        tags,
    };
    // Checked before opening, so bad input never creates or touches a journal.
    draft.validated()?;
    let mut store = r.open()?;
    let couple = store.couple()?;
    let by = match by.filter(|b| !b.trim().is_empty()) {
        Some(name) => find_partner(&couple, &name)?.id.clone(),
        // A paired device is one partner's: what is logged on it is theirs.
        None => store
            .pairing()?
            .and_then(|p| p.me)
            .unwrap_or_else(|| couple[0].id.clone()),
    };
    own_device(&store, &couple, &by)?;
    let about = about_id(&couple, about.as_deref().unwrap_or("us"))?;
    let evening = store.evening_at(&r.now)?;
    let logged = store.log_win(&by, &WinDraft { about, ..draft }, evening, r.utc())?;
    let so_far = if logged.count == 1 {
        "your first win".to_string()
    } else {
        format!("{} wins so far", logged.count)
    };
    let whose = couple
        .iter()
        .find(|p| p.id == logged.win.logged_by)
        .map_or("?", |p| p.name.as_str());
    let about_whom = logged
        .win
        .about
        .as_deref()
        .and_then(|id| couple.iter().find(|p| p.id == id))
        .map_or("us", |p| p.name.as_str());
    r.say(format!(
        "Saved: \"{}\" ({whose} → {about_whom}; {so_far})",
        logged.win.text
    ))?;
    if let Some(m) = logged.milestone {
        r.say(m.to_string())?;
    }
    Ok(())
}

/// A partner's id for "about", or none for "us".
fn about_id(couple: &[Partner; 2], about: &str) -> Result<Option<String>, CliError> {
    if about.trim().eq_ignore_ascii_case("us") {
        Ok(None)
    } else {
        Ok(Some(find_partner(couple, about)?.id.clone()))
    }
}

/// The win an id (or the start of one, as `duet wins` shows it) names.
fn win_by_id(store: &Store, id: &str) -> Result<domain::Win, CliError> {
    let id = id.trim().to_lowercase();
    let shown = crate::text::shown(&id);
    if id.len() < 4 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(CliError::Usage(format!(
            "\"{shown}\" isn't a win's id; `duet wins` shows them (the first 8 characters are enough)"
        )));
    }
    let mut found = store.wins_by_id_prefix(&id)?;
    match found.len() {
        0 => Err(CliError::Usage(format!(
            "no win has the id {shown}; `duet wins` shows them"
        ))),
        1 => Ok(found.remove(0)),
        _ => Err(CliError::Usage(format!(
            "{shown} is the start of more than one win's id; give more of it"
        ))),
    }
}

/// `duet win --edit ID TEXT`: new words, and whom it is about or its tags when given.
pub(super) fn edit_win<Tz: TimeZone>(
    r: &mut Run<Tz>,
    id: &str,
    text: Option<String>,
    about: Option<String>,
    tags: Vec<String>,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let text = text.unwrap_or_default();
    WinDraft {
        text: text.clone(),
        about: None,
        tags: tags.clone(),
    }
    .validated()?;
    let mut store = r.open()?;
    let couple = store.couple()?;
    let base = win_by_id(&store, id)?;
    if base.deleted_at.is_some() {
        return Err(CliError::Usage(format!(
            "that win is deleted; bring it back first: duet win --restore {}",
            short_id(&base.id)
        )));
    }
    let mut edit = WinEdit::of(&base);
    edit.text = text;
    if let Some(a) = about {
        edit.about = about_id(&couple, &a)?;
    }
    if !tags.is_empty() {
        edit.tags = tags;
    }
    match store.edit_win(&base, &edit, r.utc())? {
        WinSaved::Saved(w) => r.say(format!("Changed: \"{}\"", w.text)),
        // Read and written in one transaction; only a write in between gets here.
        WinSaved::Conflict { .. } => Err(CliError::Usage(
            "the win was changed elsewhere just now; nothing was changed, try again".into(),
        )),
    }
}

pub(super) fn delete_win<Tz: TimeZone>(r: &mut Run<Tz>, id: &str) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let mut store = r.open()?;
    let w = win_by_id(&store, id)?;
    if w.deleted_at.is_some() {
        return Err(CliError::Usage(format!(
            "\"{}\" is deleted already; nothing changed",
            w.text
        )));
    }
    store.delete_win(&w.id, r.utc())?;
    r.say(format!(
        "Deleted \"{}\". To bring it back: duet win --restore {}",
        w.text,
        short_id(&w.id)
    ))
}

pub(super) fn restore_win<Tz: TimeZone>(r: &mut Run<Tz>, id: &str) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let mut store = r.open()?;
    let w = win_by_id(&store, id)?;
    if w.deleted_at.is_none() {
        return Err(CliError::Usage(format!(
            "\"{}\" isn't deleted; nothing to bring back",
            w.text
        )));
    }
    let w = store.restore_win(&w.id)?;
    r.say(format!("Brought back \"{}\".", w.text))
}

fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// `duet wins`: newest first, each with its short id.
pub(super) fn list_wins<Tz: TimeZone>(r: &mut Run<Tz>, count: usize) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let store = r.open()?;
    let couple = store.couple()?;
    let name = |id: &str| {
        couple
            .iter()
            .find(|p| p.id == id)
            .map_or("?".to_string(), |p| p.name.clone())
    };
    let wins = store.wins(&WinFilter::default(), count)?;
    if wins.is_empty() {
        return r.say("No wins yet. Log one: duet win \"A walk together\"".into());
    }
    for w in wins {
        let about = w.about.as_deref().map_or("us".to_string(), name);
        let tags: String = w.tags.iter().map(|t| format!(" #{t}")).collect();
        let heart = if w.celebrated_by.is_some() {
            " ♥"
        } else {
            ""
        };
        r.say(format!(
            "{}  {}  {}  ({} → {about}){tags}{heart}",
            short_id(&w.id),
            w.evening.format("%a %-d %b %Y"),
            w.text,
            name(&w.logged_by)
        ))?;
    }
    Ok(())
}

/// An answer left out (or empty) keeps what was already written tonight.
pub(super) fn checkin<Tz: TimeZone>(
    r: &mut Run<Tz>,
    by: Option<String>,
    (mood, closeness): (i64, i64),
    appreciation: Option<String>,
    need: Option<String>,
    note: Option<String>,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let given = |t: Option<String>| t.filter(|t| !t.is_empty());
    let update = CheckInUpdate {
        mood: domain::rating("mood", mood)?,
        closeness: domain::rating("closeness", closeness)?,
        appreciation: given(appreciation),
        need: given(need),
        note: given(note),
        prompt: None,
    };
    // Checked before opening, so bad input never creates or touches a journal.
    update.clone().onto(None).validated()?;
    let mut store = r.open()?;
    let couple = store.couple()?;
    let me = store.pairing()?.and_then(|p| p.me);
    let partner = match (by.filter(|b| !b.trim().is_empty()), me) {
        (Some(name), _) => find_partner(&couple, &name)?.clone(),
        // A paired device is one partner's: a check-in on it is theirs.
        (None, Some(id)) => couple
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .ok_or_else(|| CliError::Usage("say who is checking in with --by NAME".into()))?,
        (None, None) => {
            return Err(CliError::Usage(
                "say who is checking in with --by NAME (or set DUET_PARTNER)".into(),
            ))
        }
    };
    own_device(&store, &couple, &partner.id)?;
    let evening = store.evening_at(&r.now)?;
    let c = store.check_in(&partner.id, evening, update, r.utc())?;
    r.say(format!(
        "{} checked in for the evening of {}: mood {} ({}), closeness {} ({}).",
        partner.name,
        c.evening.format("%a %-d %b"),
        c.mood,
        domain::mood_word(c.mood),
        c.closeness,
        domain::closeness_word(c.closeness)
    ))
}

pub(super) fn agreements<Tz: TimeZone>(
    r: &mut Run<Tz>,
    status: Option<StatusArg>,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let status = status.map(StatusArg::status);
    let store = r.open()?;
    let couple = store.couple()?;
    let list = store.agreements(status)?;
    if list.is_empty() {
        let text = match status {
            Some(s) => format!("No {} agreements.", s.as_str()),
            None => "No agreements yet. Propose one in the app (duet, then 2).".into(),
        };
        r.say(text)?;
    }
    for a in list {
        let by = couple
            .iter()
            .find(|p| p.id == a.proposed_by)
            .map(|p| p.name.as_str())
            .unwrap_or("?");
        let review = a
            .next_review
            .map(|d| format!(" · review {}", d.format("%-d %b")))
            .unwrap_or_default();
        r.say(format!(
            "[{:<8}] {} (proposed by {by}{review})",
            a.status.as_str(),
            a.title
        ))?;
    }
    Ok(())
}

pub(super) fn status<Tz: TimeZone>(r: &mut Run<Tz>, json: bool) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let store = r.open()?;
    let couple = store.couple()?;
    let evening = store.evening_at(&r.now)?;
    let schedule::Weekly {
        status: weekly,
        line,
        ..
    } = schedule::Weekly::read(&store, r.now.clone())?;
    let mut tonight = Vec::new();
    for p in &couple {
        tonight.push((p, store.checkin(&p.id, evening)?.is_some()));
    }
    let wins = store.win_count()?;
    let checkins = store.checkin_count()?;
    let agreements = store.agreement_counts()?;
    if json {
        let v = json!({
            "evening": evening,
            "partners": tonight.iter().map(|(p, done)| json!({"name": p.name, "checked_in_tonight": done})).collect::<Vec<_>>(),
            "weekly": { "status": weekly, "text": line },
            "counts": {
                "wins": wins,
                "checkins": checkins,
                // Every status, with 0 when there is none: scripts read every key.
                "agreements": crate::domain::AgreementStatus::ALL
                    .iter()
                    .map(|s| {
                        let n = agreements.iter().find(|(x, _)| x == s).map_or(0, |(_, n)| *n);
                        (s.as_str().to_string(), json!(n))
                    })
                    .collect::<serde_json::Map<_, _>>(),
                "repairs": store.repairs()?.len(),
            }
        });
        r.say(serde_json::to_string_pretty(&v).unwrap_or_default())?;
    } else {
        r.say(format!(
            "{} & {} · evening of {}",
            couple[0].name,
            couple[1].name,
            evening.format("%a %-d %b %Y")
        ))?;
        let t: Vec<String> = tonight
            .iter()
            .map(|(p, done)| {
                format!(
                    "{} {}",
                    p.name,
                    if *done { "checked in ✓" } else { "not yet" }
                )
            })
            .collect();
        r.say(format!("Tonight: {}", t.join(" · ")))?;
        r.say(line)?;
        let agreed = agreements
            .iter()
            .filter(|(s, _)| *s == AgreementStatus::Agreed)
            .map(|(_, n)| n)
            .sum::<i64>();
        let open_ones = agreements
            .iter()
            .filter(|(s, _)| matches!(s, AgreementStatus::Proposed | AgreementStatus::Revisit))
            .map(|(_, n)| n)
            .sum::<i64>();
        r.say(format!(
            "Wins: {wins} · Check-ins: {checkins} · Agreements: {agreed} agreed, {open_ones} open"
        ))?;
    }
    Ok(())
}

pub(super) fn remind<Tz: TimeZone>(r: &mut Run<Tz>) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    // A reminder in a shell's rc file must never create a journal, complain, or stop
    // a shell from starting to ask for a passphrase.
    if !r.db.exists() || (store::file_kind(r.db) == FileKind::Locked && r.asker.file.is_none()) {
        return Ok(());
    }
    let store = r.open()?;
    let Ok(couple) = store.couple() else {
        return Ok(());
    };
    if let Some(line) = reminder(&store, &couple, r.now.clone())? {
        r.say(line)?;
    }
    Ok(())
}

/// What `duet remind` says, if anything: the weekly check-in when it is due, otherwise tonight's
/// check-in once the weekly time of day has passed and someone hasn't checked in.
pub fn reminder<Tz: TimeZone>(
    store: &Store,
    couple: &[Partner; 2],
    now: DateTime<Tz>,
) -> Result<Option<String>, CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let settings = store.settings()?;
    let weekly = schedule::Weekly::read(store, now.clone())?;
    if weekly.status.wants_meeting() {
        return Ok(Some(format!(
            "duet: {} — open duet and press W.",
            weekly.line
        )));
    }
    if now.naive_local().time() >= settings.weekly_time {
        let evening = store.evening_at(&now)?;
        let mut waiting = Vec::new();
        for p in couple {
            if store.checkin(&p.id, evening)?.is_none() {
                waiting.push(p.name.as_str());
            }
        }
        if !waiting.is_empty() {
            return Ok(Some(format!(
                "duet: tonight's check-in is waiting for {}.",
                waiting.join(" and ")
            )));
        }
    }
    Ok(None)
}

/// A paired device is one partner's: the other's words are written on their own device.
pub(super) fn own_device(store: &Store, couple: &[Partner; 2], id: &str) -> Result<(), CliError> {
    let Some(me) = store.pairing()?.and_then(|p| p.me) else {
        return Ok(());
    };
    if me == id {
        return Ok(());
    }
    let name = |id: &str| {
        couple
            .iter()
            .find(|p| p.id == id)
            .map_or("?".to_string(), |p| p.name.clone())
    };
    Err(CliError::Usage(format!(
        "this is {}'s device; {} writes on their own",
        name(&me),
        name(id)
    )))
}

/// A name as typed loosely: case and accents folded ("zoe" for "Zoë").
fn loose(s: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    s.trim()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// A partner by name, however it was typed: case and accents folded, and the first word alone
/// is enough when it is unique ("Ravi" for "Ravi 🌙"). An exact name comes first.
pub(super) fn find_partner<'a>(
    couple: &'a [Partner; 2],
    name: &str,
) -> Result<&'a Partner, CliError> {
    let n = loose(name);
    let unique = |f: &dyn Fn(&Partner) -> bool| -> Option<&'a Partner> {
        let found: Vec<&Partner> = couple.iter().filter(|p| f(p)).collect();
        (found.len() == 1).then(|| found[0])
    };
    let first_word = |p: &Partner| {
        loose(&p.name)
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    couple
        .iter()
        .find(|p| domain::fold(&p.name) == domain::fold(name))
        .or_else(|| unique(&|p| !n.is_empty() && loose(&p.name) == n))
        .or_else(|| unique(&|p| !n.is_empty() && first_word(p) == n))
        .ok_or_else(|| {
            CliError::Usage(format!(
                "no partner called \"{}\"; the partners are {} and {}",
                crate::text::shown(name.trim()),
                couple[0].name,
                couple[1].name
            ))
        })
}
