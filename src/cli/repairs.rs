//! `duet repair`, `duet respond` and `duet repairs`: taking responsibility from the shell, and
//! answering when ready.

use chrono::TimeZone;

use super::entries::{find_partner, own_device};
use super::Run;
use crate::domain::{self, Partner, RepairDraft, Response};
use crate::error::CliError;
use crate::store::{RepairWithAnswers, Store};

fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

fn name_of(couple: &[Partner; 2], id: &str) -> String {
    couple
        .iter()
        .find(|p| p.id == id)
        .map_or("?".to_string(), |p| p.name.clone())
}

/// Whose device this is, or the partner named; on a shared device, a name is needed.
fn who(store: &Store, couple: &[Partner; 2], by: Option<String>) -> Result<String, CliError> {
    match by.filter(|b| !b.trim().is_empty()) {
        Some(name) => Ok(find_partner(couple, &name)?.id.clone()),
        None => store.pairing()?.and_then(|p| p.me).ok_or_else(|| {
            CliError::Usage(format!(
                "whose words are these? add --by {} or --by {}",
                couple[0].name, couple[1].name
            ))
        }),
    }
}

/// The agreement a title (or the start of its words) or an id names.
fn agreement_named(store: &Store, name: &str) -> Result<String, CliError> {
    let n = domain::fold(name);
    let all = store.agreements(None)?;
    let exact: Vec<_> = all
        .iter()
        .filter(|a| domain::fold(&a.title) == n || a.id.starts_with(&n))
        .collect();
    let found: Vec<_> = if exact.is_empty() {
        all.iter()
            .filter(|a| !n.is_empty() && domain::fold(&a.title).contains(&n))
            .collect()
    } else {
        exact
    };
    match found.as_slice() {
        [a] => Ok(a.id.clone()),
        [] => Err(CliError::Usage(format!(
            "no agreement is called \"{}\"; `duet agreements` lists them",
            crate::text::shown(name)
        ))),
        _ => Err(CliError::Usage(format!(
            "\"{}\" names more than one agreement; give more of its title",
            crate::text::shown(name)
        ))),
    }
}

pub(super) struct RepairArgs {
    pub what: String,
    pub affected: Option<String>,
    pub differently: Option<String>,
    pub agreement: Option<String>,
    pub by: Option<String>,
}

/// `duet repair "what happened"`.
pub(super) fn repair<Tz: TimeZone>(r: &mut Run<Tz>, args: RepairArgs) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let draft = RepairDraft {
        what_happened: args.what,
        how_it_affected: args.affected.unwrap_or_default(),
        do_differently: args.differently.unwrap_or_default(),
        agreement_id: None,
    };
    draft.validated()?;
    let mut store = r.open()?;
    let couple = store.couple()?;
    let by = who(&store, &couple, args.by)?;
    own_device(&store, &couple, &by)?;
    let agreement_id = match args.agreement {
        Some(a) => Some(agreement_named(&store, &a)?),
        None => None,
    };
    let evening = store.evening_at(&r.now)?;
    let repair = store.add_repair(
        &by,
        &RepairDraft {
            agreement_id,
            ..draft
        },
        evening,
        r.utc(),
    )?;
    let other = couple
        .iter()
        .find(|p| p.id != by)
        .map_or("Your partner".to_string(), |p| p.name.clone());
    r.say(format!(
        "Written down. {other} can answer when they're ready (duet respond {}).",
        short_id(&repair.id)
    ))?;
    let words = format!("{} {}", repair.what_happened, repair.how_it_affected);
    if let Some(note) = domain::excuse_note(&words) {
        r.say(note.to_string())?;
    }
    Ok(())
}

/// The repair an id (or its first characters, as `duet repairs` shows them) names.
fn repair_by_id(store: &Store, id: &str) -> Result<RepairWithAnswers, CliError> {
    let id = id.trim().to_lowercase();
    let shown = crate::text::shown(&id);
    if id.len() < 4 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(CliError::Usage(format!(
            "\"{shown}\" isn't a repair's id; `duet repairs` shows them (4 or more of its first characters)"
        )));
    }
    let mut found: Vec<_> = store
        .repairs()?
        .into_iter()
        .filter(|r| r.repair.id.starts_with(&id))
        .collect();
    match found.len() {
        0 => Err(CliError::Usage(format!(
            "no repair has the id {shown}; `duet repairs` shows them"
        ))),
        1 => Ok(found.remove(0)),
        _ => Err(CliError::Usage(format!(
            "{shown} is the start of more than one repair's id; give more of it"
        ))),
    }
}

/// `duet respond ID heard|thanks|forgive|not-yet`.
pub(super) fn respond<Tz: TimeZone>(
    r: &mut Run<Tz>,
    id: &str,
    response: &str,
    note: Option<String>,
    by: Option<String>,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let response = Response::parse(response).ok_or_else(|| {
        CliError::Usage(format!(
            "\"{}\" isn't an answer; say heard, thanks, forgive or not-yet",
            crate::text::shown(response)
        ))
    })?;
    let note = domain::optional_text("the note", note.as_deref().unwrap_or(""))?;
    let mut store = r.open()?;
    let couple = store.couple()?;
    let found = repair_by_id(&store, id)?;
    // Only the other partner answers, so there is no one else it could be.
    let other = couple
        .iter()
        .find(|p| p.id != found.repair.by)
        .map(|p| p.id.clone())
        .unwrap_or_default();
    let by = match by.filter(|b| !b.trim().is_empty()) {
        Some(name) => find_partner(&couple, &name)?.id.clone(),
        None => other,
    };
    own_device(&store, &couple, &by)?;
    let evening = store.evening_at(&r.now)?;
    store.respond_to_repair(&found.repair.id, &by, response, &note, evening, r.utc())?;
    let line = match response {
        Response::NotYet => "Saved: not yet. Come back to it whenever you're ready.".to_string(),
        r => format!("Saved: “{}”.", r.words()),
    };
    r.say(line)
}

/// `duet repairs --share-words` / `--keep-words`: one partner's own choice.
pub(super) fn share_words<Tz: TimeZone>(
    r: &mut Run<Tz>,
    yes: bool,
    by: Option<String>,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let mut store = r.open()?;
    let couple = store.couple()?;
    let by = who(&store, &couple, by)?;
    own_device(&store, &couple, &by)?;
    store.share_repair_words(&by, yes, r.utc())?;
    let both = store.both_share_repair_words()?;
    let name = name_of(&couple, &by);
    let line = match (yes, both) {
        (true, true) => {
            format!("{name} said yes too: the summary now includes the words of repairs.")
        }
        (true, false) => format!(
            "{name} lets the words of repairs into the summary; they go in once you both said yes."
        ),
        (false, _) => format!("{name} keeps the words of repairs out of the summary."),
    };
    r.say(line)
}

/// `duet repairs`: newest first, each with its answer so far.
pub(super) fn list<Tz: TimeZone>(r: &mut Run<Tz>) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let store = r.open()?;
    let couple = store.couple()?;
    let all = store.repairs()?;
    if all.is_empty() {
        return r.say(
            "No repairs yet. When you want to take responsibility for something: duet repair \"what happened\""
                .into(),
        );
    }
    for x in all {
        let rep = &x.repair;
        let answer = match x.current() {
            Some(a) => format!(
                "{}: {}{}",
                name_of(&couple, &a.partner_id),
                a.response.words(),
                if a.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", a.note)
                }
            ),
            None => "not answered yet".into(),
        };
        r.say(format!(
            "{}  {}  {}: {}  · {answer}",
            short_id(&rep.id),
            rep.evening.format("%a %-d %b %Y"),
            name_of(&couple, &rep.by),
            crate::text::fit(&rep.what_happened, 60),
        ))?;
    }
    Ok(())
}
