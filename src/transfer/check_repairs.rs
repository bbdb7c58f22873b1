//! The rules for repairs and their answers, and for the evenings' prompts and stars, applied
//! to an export file before any of it is written.

use std::collections::HashSet;

use super::check::{check_id, date, instants, text, Known};
use super::invalid;
use crate::domain;
use crate::error::TransferError;
use crate::store::Snapshot;

/// Every id a repair or an answer refers to, respelled the one way.
pub(super) fn canonical_ids(s: &mut Snapshot) {
    use super::check::canonical;
    for r in &mut s.repairs {
        canonical(&mut r.id);
        canonical(&mut r.by);
        if let Some(a) = &mut r.agreement_id {
            canonical(a);
        }
    }
    for a in &mut s.repair_responses {
        canonical(&mut a.id);
        canonical(&mut a.repair_id);
        canonical(&mut a.partner_id);
    }
    for p in &mut s.prompt_stars {
        canonical(&mut p.partner_id);
    }
    for c in &mut s.summary_choices {
        canonical(&mut c.partner_id);
    }
}

/// A prompt is named by a short id of letters, digits and dashes.
fn prompt_id(at: String, id: &str) -> Result<(), TransferError> {
    let ok = !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(invalid(at, "not a prompt's name"))
    }
}

pub(super) fn check(
    s: &Snapshot,
    ids: &mut HashSet<String>,
    agreements: &HashSet<String>,
    known: &Known,
) -> Result<(), TransferError> {
    let mut authors = std::collections::HashMap::new();
    for (i, r) in s.repairs.iter().enumerate() {
        let at = format!("$.repairs[{i}]");
        check_id(&at, &r.id, ids)?;
        known(format!("{at}.by"), &r.by)?;
        if let Some(a) = &r.agreement_id {
            if !agreements.contains(a) {
                return Err(invalid(
                    format!("{at}.agreement_id"),
                    "an agreement not in the file",
                ));
            }
        }
        date(format!("{at}.evening"), r.evening)?;
        instants(
            &at,
            [
                ("created_at", Some(&r.created_at)),
                ("updated_at", Some(&r.updated_at)),
            ],
        )?;
        domain::RepairDraft {
            what_happened: r.what_happened.clone(),
            how_it_affected: r.how_it_affected.clone(),
            do_differently: r.do_differently.clone(),
            agreement_id: r.agreement_id.clone(),
        }
        .validated()
        .map_err(|e| invalid(at.clone(), e.to_string()))?;
        authors.insert(r.id.as_str(), r.by.as_str());
    }
    for (i, a) in s.repair_responses.iter().enumerate() {
        let at = format!("$.repair_responses[{i}]");
        check_id(&at, &a.id, ids)?;
        known(format!("{at}.partner_id"), &a.partner_id)?;
        match authors.get(a.repair_id.as_str()) {
            None => {
                return Err(invalid(
                    format!("{at}.repair_id"),
                    "a repair not in the file",
                ))
            }
            Some(by) if *by == a.partner_id => {
                return Err(invalid(
                    format!("{at}.partner_id"),
                    "a repair is answered by the other partner",
                ))
            }
            Some(_) => {}
        }
        date(format!("{at}.evening"), a.evening)?;
        instants(&at, [("at", Some(&a.at))])?;
        text(format!("{at}.note"), &a.note)?;
    }
    let mut evenings = HashSet::new();
    for (i, p) in s.evening_prompts.iter().enumerate() {
        let at = format!("$.evening_prompts[{i}]");
        date(format!("{at}.evening"), p.evening)?;
        if !evenings.insert(p.evening) {
            return Err(invalid(
                format!("{at}.evening"),
                "a second prompt for one evening",
            ));
        }
        prompt_id(format!("{at}.prompt_id"), &p.prompt_id)?;
        instants(&at, [("updated_at", Some(&p.updated_at))])?;
    }
    let mut stars = HashSet::new();
    for (i, p) in s.prompt_stars.iter().enumerate() {
        let at = format!("$.prompt_stars[{i}]");
        known(format!("{at}.partner_id"), &p.partner_id)?;
        prompt_id(format!("{at}.prompt_id"), &p.prompt_id)?;
        if !stars.insert((&p.partner_id, &p.prompt_id)) {
            return Err(invalid(at, "a second star for one prompt"));
        }
        instants(&at, [("updated_at", Some(&p.updated_at))])?;
    }
    let mut chose = HashSet::new();
    for (i, c) in s.summary_choices.iter().enumerate() {
        let at = format!("$.summary_choices[{i}]");
        known(format!("{at}.partner_id"), &c.partner_id)?;
        if !chose.insert(&c.partner_id) {
            return Err(invalid(at, "a second choice by one partner"));
        }
        instants(&at, [("updated_at", Some(&c.updated_at))])?;
    }
    Ok(())
}
