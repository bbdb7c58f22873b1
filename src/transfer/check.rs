//! Every rule the app enforces on input, applied to every row of an export file before any of
//! it is written: ids, references, text, ranges and dates.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::invalid;
use crate::domain::{self, Answers, Meeting, Partner};
use crate::error::{TransferError, ValidationError};
use crate::store::Snapshot;

fn field(at: String) -> impl Fn(ValidationError) -> TransferError {
    move |e| invalid(at.clone(), e.to_string())
}

/// The one spelling of an id: a UUID, lower-case and hyphenated. The same export with its ids
/// written another way ("{…}", "urn:uuid:…", upper-case) is then the same rows, not new ones.
pub(super) fn canonical(id: &mut String) {
    if let Ok(u) = uuid::Uuid::parse_str(id) {
        *id = u.hyphenated().to_string();
    }
}

fn canonical_keys<V>(map: &mut Option<BTreeMap<String, V>>) {
    if let Some(m) = map.take() {
        *map = Some(
            m.into_iter()
                .map(|(mut k, v)| {
                    canonical(&mut k);
                    (k, v)
                })
                .collect(),
        );
    }
}

/// Every id and every reference to one, respelled the one way.
pub(super) fn canonical_ids(s: &mut Snapshot) {
    for p in &mut s.partners {
        canonical(&mut p.id);
    }
    for c in &mut s.checkins {
        canonical(&mut c.id);
        canonical(&mut c.partner_id);
    }
    for a in &mut s.agreements {
        canonical(&mut a.id);
        canonical(&mut a.proposed_by);
        for c in &mut a.consents {
            canonical(&mut c.partner_id);
        }
    }
    for e in &mut s.agreement_events {
        canonical(&mut e.id);
        canonical(&mut e.agreement_id);
        if let Some(p) = &mut e.partner_id {
            canonical(p);
        }
    }
    for w in &mut s.wins {
        canonical(&mut w.id);
        canonical(&mut w.logged_by);
        for p in [&mut w.about, &mut w.celebrated_by].into_iter().flatten() {
            canonical(p);
        }
    }
    for m in &mut s.meetings {
        canonical(&mut m.id);
        let a = &mut m.answers;
        canonical_keys(&mut a.agreements);
        canonical_keys(&mut a.appreciations);
        canonical_keys(&mut a.loved);
        canonical_keys(&mut a.recorded);
        canonical_keys(&mut a.trust);
        if let Some(h) = &mut a.hard {
            canonical(&mut h.by);
        }
    }
    super::check_repairs::canonical_ids(s);
}

pub(super) fn check_id(
    at: &str,
    id: &str,
    seen: &mut HashSet<String>,
) -> Result<(), TransferError> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(invalid(
            format!("{at}.id"),
            format!("\"{}\" is not a UUID", crate::text::shown(id)),
        ));
    }
    if !seen.insert(id.to_string()) {
        return Err(invalid(
            format!("{at}.id"),
            format!("the id {id} appears twice"),
        ));
    }
    Ok(())
}

/// A date every reader of the journal can write and read back: years 0000 to 9999.
pub(super) fn date(at: String, d: NaiveDate) -> Result<(), TransferError> {
    if (0..=9999).contains(&d.year()) {
        Ok(())
    } else {
        Err(invalid(at, "the date must fall in the years 0000 to 9999"))
    }
}

fn instant(at: String, t: &DateTime<Utc>) -> Result<(), TransferError> {
    date(at, t.date_naive())
}

pub(super) fn instants<'a>(
    at: &str,
    times: impl IntoIterator<Item = (&'static str, Option<&'a DateTime<Utc>>)>,
) -> Result<(), TransferError> {
    for (name, t) in times {
        if let Some(t) = t {
            instant(format!("{at}.{name}"), t)?;
        }
    }
    Ok(())
}

/// Any text at all: the same characters are refused here as in the app's own fields.
pub(super) fn text(at: String, t: &str) -> Result<(), TransferError> {
    domain::optional_text("the text", t)
        .map(|_| ())
        .map_err(field(at))
}

/// Every string inside a JSON value (an agreement's history detail), keys included.
fn json_texts(at: &str, v: &serde_json::Value) -> Result<(), TransferError> {
    match v {
        serde_json::Value::String(s) => text(at.to_string(), s),
        serde_json::Value::Array(xs) => xs
            .iter()
            .enumerate()
            .try_for_each(|(i, x)| json_texts(&format!("{at}[{i}]"), x)),
        serde_json::Value::Object(o) => o.iter().try_for_each(|(k, x)| {
            text(at.to_string(), k)?;
            json_texts(&format!("{at}.{k}"), x)
        }),
        _ => Ok(()),
    }
}

pub(super) fn check(s: &Snapshot) -> Result<(), TransferError> {
    let mut ids = HashSet::new();
    check_partners(&s.partners, &mut ids)?;
    instants(
        "$.settings",
        [("weekly_from", s.settings.weekly_from.as_ref())],
    )?;
    let known = |at: String, id: &str| -> Result<(), TransferError> {
        if s.partners.iter().any(|p| p.id == id) {
            Ok(())
        } else {
            Err(invalid(
                at,
                format!("unknown partner {}", crate::text::shown(id)),
            ))
        }
    };
    check_checkins(s, &mut ids, &known)?;
    let agreements = check_agreements(s, &mut ids, &known)?;
    check_events(s, &mut ids, &agreements, &known)?;
    check_wins(s, &mut ids, &known)?;
    super::check_repairs::check(s, &mut ids, &agreements, &known)?;
    let mut weeks = HashSet::new();
    for (i, m) in s.meetings.iter().enumerate() {
        let at = format!("$.meetings[{i}]");
        check_id(&at, &m.id, &mut ids)?;
        if !weeks.insert(m.week) {
            return Err(invalid(
                format!("{at}.week"),
                format!("a second meeting for the week of {}", m.week),
            ));
        }
        check_meeting(&at, m)?;
    }
    Ok(())
}

pub(super) type Known<'a> = dyn Fn(String, &str) -> Result<(), TransferError> + 'a;

fn check_checkins(
    s: &Snapshot,
    ids: &mut HashSet<String>,
    known: &Known,
) -> Result<(), TransferError> {
    let mut pairs = HashSet::new();
    for (i, c) in s.checkins.iter().enumerate() {
        let at = format!("$.checkins[{i}]");
        check_id(&at, &c.id, ids)?;
        known(format!("{at}.partner_id"), &c.partner_id)?;
        date(format!("{at}.evening"), c.evening)?;
        instants(
            &at,
            [
                ("created_at", Some(&c.created_at)),
                ("updated_at", Some(&c.updated_at)),
            ],
        )?;
        if let Some(p) = &c.prompt_id {
            text(format!("{at}.prompt_id"), p)?;
        }
        domain::CheckInDraft::from(c)
            .validated()
            .map_err(field(at.clone()))?;
        if !pairs.insert((c.partner_id.clone(), c.evening)) {
            return Err(invalid(
                at,
                format!("a second check-in for the same partner on {}", c.evening),
            ));
        }
    }
    Ok(())
}

fn check_agreements(
    s: &Snapshot,
    ids: &mut HashSet<String>,
    known: &Known,
) -> Result<HashSet<String>, TransferError> {
    let mut agreement_ids = HashSet::new();
    for (i, a) in s.agreements.iter().enumerate() {
        let at = format!("$.agreements[{i}]");
        check_id(&at, &a.id, ids)?;
        agreement_ids.insert(a.id.clone());
        known(format!("{at}.proposed_by"), &a.proposed_by)?;
        domain::AgreementDraft {
            title: a.title.clone(),
            details: a.details.clone(),
            category: a.category.clone(),
            review_every_weeks: a.review_every_weeks,
        }
        .validated()
        .map_err(field(at.clone()))?;
        if let Some(d) = a.next_review {
            date(format!("{at}.next_review"), d)?;
        }
        instants(
            &at,
            [
                ("created_at", Some(&a.created_at)),
                ("updated_at", Some(&a.updated_at)),
            ],
        )?;
        for (j, c) in a.consents.iter().enumerate() {
            known(format!("{at}.consents[{j}].partner_id"), &c.partner_id)?;
            instant(format!("{at}.consents[{j}].at"), &c.at)?;
        }
    }
    Ok(agreement_ids)
}

fn check_events(
    s: &Snapshot,
    ids: &mut HashSet<String>,
    agreements: &HashSet<String>,
    known: &Known,
) -> Result<(), TransferError> {
    for (i, e) in s.agreement_events.iter().enumerate() {
        let at = format!("$.agreement_events[{i}]");
        check_id(&at, &e.id, ids)?;
        if !agreements.contains(&e.agreement_id) {
            return Err(invalid(
                format!("{at}.agreement_id"),
                "no agreement with this id in the file",
            ));
        }
        if let Some(p) = &e.partner_id {
            known(format!("{at}.partner_id"), p)?;
        }
        instant(format!("{at}.at"), &e.at)?;
        date(format!("{at}.evening"), e.evening)?;
        json_texts(&format!("{at}.detail"), &e.detail)?;
    }
    Ok(())
}

fn check_wins(s: &Snapshot, ids: &mut HashSet<String>, known: &Known) -> Result<(), TransferError> {
    for (i, w) in s.wins.iter().enumerate() {
        let at = format!("$.wins[{i}]");
        check_id(&at, &w.id, ids)?;
        known(format!("{at}.logged_by"), &w.logged_by)?;
        if let Some(p) = &w.about {
            known(format!("{at}.about"), p)?;
        }
        if let Some(p) = &w.celebrated_by {
            known(format!("{at}.celebrated_by"), p)?;
        }
        date(format!("{at}.evening"), w.evening)?;
        instants(
            &at,
            [
                ("created_at", Some(&w.created_at)),
                ("celebrated_at", w.celebrated_at.as_ref()),
            ],
        )?;
        domain::WinDraft {
            text: w.text.clone(),
            about: w.about.clone(),
            tags: w.tags.clone(),
        }
        .validated()
        .map_err(field(at.clone()))?;
    }
    Ok(())
}

fn check_meeting(at: &str, m: &Meeting) -> Result<(), TransferError> {
    date(format!("{at}.week"), m.week)?;
    instants(
        at,
        [
            ("started_at", Some(&m.started_at)),
            ("updated_at", Some(&m.updated_at)),
            ("completed_at", m.completed_at.as_ref()),
            ("skipped_at", m.skipped_at.as_ref()),
        ],
    )?;
    if let Some(r) = &m.skip_reason {
        domain::optional_text("the reason", r).map_err(field(format!("{at}.skip_reason")))?;
    }
    for (i, t) in m.intentions.iter().enumerate() {
        text(format!("{at}.intentions[{i}]"), t)?;
    }
    check_answers(&format!("{at}.answers"), &m.answers)
}

/// Every word written at a weekly check-in passes the same rules as a check-in's.
fn check_answers(at: &str, a: &Answers) -> Result<(), TransferError> {
    let single = [
        ("agreements_note", &a.agreements_note),
        ("last_week", &a.last_week),
        ("week_felt", &a.week_felt),
        ("went_right", &a.went_right),
    ];
    for (name, t) in single {
        if let Some(t) = t {
            text(format!("{at}.{name}"), t)?;
        }
    }
    for (name, map) in [("appreciations", &a.appreciations), ("loved", &a.loved)] {
        for (k, t) in map.iter().flatten() {
            text(format!("{at}.{name}"), k)?;
            text(format!("{at}.{name}.{k}"), t)?;
        }
    }
    if let Some(h) = &a.hard {
        for (name, t) in [("by", &h.by), ("what", &h.what), ("request", &h.request)] {
            text(format!("{at}.hard.{name}"), t)?;
        }
    }
    for k in a.agreements.iter().flatten().map(|(k, _)| k) {
        text(format!("{at}.agreements"), k)?;
    }
    for k in a.recorded.iter().flatten().map(|(k, _)| k) {
        text(format!("{at}.recorded"), k)?;
    }
    for (k, t) in a.trust.iter().flatten() {
        text(format!("{at}.trust"), k)?;
        text(format!("{at}.trust.{k}.words"), &t.words)?;
        if !(1..=5).contains(&t.rating) {
            return Err(invalid(
                format!("{at}.trust.{k}.rating"),
                "a rating goes from 1 to 5",
            ));
        }
    }
    if let Some(g) = &a.good_time {
        text(format!("{at}.good_time.what"), &g.what)?;
        text(format!("{at}.good_time.when"), &g.when)?;
        if let Some(d) = &g.done_at {
            instants(&format!("{at}.good_time"), [("done_at", Some(d))])?;
        }
    }
    Ok(())
}

fn check_partners(ps: &[Partner], ids: &mut HashSet<String>) -> Result<(), TransferError> {
    if ps.len() != 2 {
        return Err(invalid(
            "$.partners",
            format!("a journal has exactly two partners (found {})", ps.len()),
        ));
    }
    for (i, p) in ps.iter().enumerate() {
        let at = format!("$.partners[{i}]");
        check_id(&at, &p.id, ids)?;
        domain::name(&p.name).map_err(field(format!("{at}.name")))?;
        domain::color(&p.color).map_err(field(format!("{at}.color")))?;
        if p.seat != domain::Seat::ALL[i] {
            return Err(invalid(
                format!("{at}.seat"),
                "seats must be 1 and 2, in order",
            ));
        }
        instant(format!("{at}.created_at"), &p.created_at)?;
    }
    Ok(())
}
