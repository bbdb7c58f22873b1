//! The versioned JSON export, and an import that validates the whole file before writing.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{self, Partner};
use crate::error::{TransferError, ValidationError};
use crate::store::{ImportCounts, Snapshot, Store};

pub const FORMAT: &str = "duet-export";
pub const VERSION: u32 = 1;

/// The file's shape. Spelled out rather than flattened from `Snapshot`, because serde can't
/// refuse unknown fields through a flatten.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportFile {
    format: String,
    version: u32,
    partners: Vec<domain::Partner>,
    settings: domain::Settings,
    checkins: Vec<domain::CheckIn>,
    agreements: Vec<domain::Agreement>,
    agreement_events: Vec<domain::AgreementEvent>,
    wins: Vec<domain::Win>,
    meetings: Vec<domain::Meeting>,
}

impl ExportFile {
    fn new(s: Snapshot) -> Self {
        ExportFile {
            format: FORMAT.into(),
            version: VERSION,
            partners: s.partners,
            settings: s.settings,
            checkins: s.checkins,
            agreements: s.agreements,
            agreement_events: s.agreement_events,
            wins: s.wins,
            meetings: s.meetings,
        }
    }

    fn into_snapshot(self) -> Snapshot {
        Snapshot {
            partners: self.partners,
            settings: self.settings,
            checkins: self.checkins,
            agreements: self.agreements,
            agreement_events: self.agreement_events,
            wins: self.wins,
            meetings: self.meetings,
        }
    }
}

pub fn export_json(store: &Store) -> Result<String, TransferError> {
    let file = ExportFile::new(store.snapshot()?);
    let mut s = serde_json::to_string_pretty(&file).map_err(|e| TransferError::Invalid {
        at: "$".into(),
        reason: e.to_string(),
    })?;
    s.push('\n');
    Ok(s)
}

fn invalid(at: impl Into<String>, reason: impl Into<String>) -> TransferError {
    TransferError::Invalid {
        at: at.into(),
        reason: reason.into(),
    }
}

/// Parses and checks a whole export file; nothing is written.
pub fn parse(text: &str) -> Result<Snapshot, TransferError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| TransferError::Json {
        line: e.line(),
        column: e.column(),
        reason: strip_position(&e.to_string()),
    })?;
    let obj = value
        .as_object()
        .ok_or_else(|| invalid("$", "expected a duet export (a JSON object)"))?;
    match obj.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        _ => {
            return Err(invalid(
                "$.format",
                "this is not a duet export (format should be \"duet-export\")",
            ))
        }
    }
    match obj.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == VERSION as u64 => {}
        Some(v) if v > VERSION as u64 => {
            return Err(invalid(
                "$.version",
                format!(
                    "version {v} was written by a newer duet; this one reads version {VERSION}"
                ),
            ))
        }
        _ => {
            return Err(invalid(
                "$.version",
                format!("unsupported version (expected {VERSION})"),
            ))
        }
    }
    let file: ExportFile = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." {
            "$".to_string()
        } else {
            format!("$.{path}")
        };
        invalid(at, strip_position(&e.into_inner().to_string()))
    })?;
    let snap = file.into_snapshot();
    check(&snap)?;
    Ok(snap)
}

fn strip_position(s: &str) -> String {
    s.split(" at line ").next().unwrap_or(s).to_string()
}

/// Reads an export into the journal all-or-nothing. Rows already present (by id) are kept.
pub fn import_json(
    store: &mut Store,
    text: &str,
    now: DateTime<Utc>,
) -> Result<ImportCounts, TransferError> {
    let snap = parse(text)?;
    Ok(store.import_snapshot(&snap, now)?)
}

fn field(at: String) -> impl Fn(ValidationError) -> TransferError {
    move |e| invalid(at.clone(), e.to_string())
}

fn check_id(at: &str, id: &str, seen: &mut HashSet<String>) -> Result<(), TransferError> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(invalid(
            format!("{at}.id"),
            format!("\"{id}\" is not a UUID"),
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

/// Every rule the app enforces on input, applied to every row of the file.
fn check(s: &Snapshot) -> Result<(), TransferError> {
    let mut ids = HashSet::new();
    check_partners(&s.partners, &mut ids)?;
    let known = |at: String, id: &str| -> Result<(), TransferError> {
        if s.partners.iter().any(|p| p.id == id) {
            Ok(())
        } else {
            Err(invalid(at, format!("unknown partner {id}")))
        }
    };
    let mut pairs = HashSet::new();
    for (i, c) in s.checkins.iter().enumerate() {
        let at = format!("$.checkins[{i}]");
        check_id(&at, &c.id, &mut ids)?;
        known(format!("{at}.partner_id"), &c.partner_id)?;
        let draft = domain::CheckInDraft {
            mood: c.mood,
            closeness: c.closeness,
            appreciation: c.appreciation.clone(),
            need: c.need.clone(),
            prompt_id: c.prompt_id.clone(),
            prompt_answer: c.prompt_answer.clone(),
            note: c.note.clone(),
        };
        draft.validated().map_err(field(at.clone()))?;
        if !pairs.insert((c.partner_id.clone(), c.evening)) {
            return Err(invalid(
                at,
                format!("a second check-in for the same partner on {}", c.evening),
            ));
        }
    }
    let mut agreement_ids = HashSet::new();
    for (i, a) in s.agreements.iter().enumerate() {
        let at = format!("$.agreements[{i}]");
        check_id(&at, &a.id, &mut ids)?;
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
        for (j, c) in a.consents.iter().enumerate() {
            known(format!("{at}.consents[{j}].partner_id"), &c.partner_id)?;
        }
    }
    for (i, e) in s.agreement_events.iter().enumerate() {
        let at = format!("$.agreement_events[{i}]");
        check_id(&at, &e.id, &mut ids)?;
        if !agreement_ids.contains(&e.agreement_id) {
            return Err(invalid(
                format!("{at}.agreement_id"),
                "no agreement with this id in the file",
            ));
        }
        if let Some(p) = &e.partner_id {
            known(format!("{at}.partner_id"), p)?;
        }
    }
    for (i, w) in s.wins.iter().enumerate() {
        let at = format!("$.wins[{i}]");
        check_id(&at, &w.id, &mut ids)?;
        known(format!("{at}.logged_by"), &w.logged_by)?;
        if let Some(p) = &w.about {
            known(format!("{at}.about"), p)?;
        }
        if let Some(p) = &w.celebrated_by {
            known(format!("{at}.celebrated_by"), p)?;
        }
        domain::WinDraft {
            text: w.text.clone(),
            about: w.about.clone(),
            tags: w.tags.clone(),
        }
        .validated()
        .map_err(field(at.clone()))?;
    }
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
        if let Some(r) = &m.skip_reason {
            domain::optional_text("the reason", r).map_err(field(format!("{at}.skip_reason")))?;
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
    }
    Ok(())
}
