//! The versioned JSON export, and an import that validates the whole file before writing.

mod check;
mod check_repairs;

use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::TransferError;
use crate::store::{ImportCounts, Snapshot, Store};

/// The largest file `duet import` reads: room for a couple of centuries of evenings (fifty
/// years export as about 28 MB), refused at once beyond that so memory stays bounded.
pub const MAX_IMPORT_BYTES: u64 = 128 * 1024 * 1024;

pub const FORMAT: &str = "duet-export";
/// 2: rows carry their revision, and wins when they were edited or deleted. Version 1 files
/// still import (every row at revision 1, nothing edited or deleted).
/// 3: repairs and their answers, the evenings' chosen prompts, starred prompts and each
/// partner's choice about repairs' words in the summary; older files have none.
/// 4: the settings may say when the weekly day or time last changed (`weekly_from`).
pub const VERSION: u32 = 4;
/// The oldest version this duet still reads.
const OLDEST_VERSION: u32 = 1;

/// The file's shape. Spelled out rather than flattened from `Snapshot`, because serde can't
/// refuse unknown fields through a flatten.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportFile {
    format: String,
    version: u32,
    partners: Vec<crate::domain::Partner>,
    settings: crate::domain::Settings,
    checkins: Vec<crate::domain::CheckIn>,
    agreements: Vec<crate::domain::Agreement>,
    agreement_events: Vec<crate::domain::AgreementEvent>,
    wins: Vec<crate::domain::Win>,
    meetings: Vec<crate::domain::Meeting>,
    #[serde(default)]
    repairs: Vec<crate::domain::Repair>,
    #[serde(default)]
    repair_responses: Vec<crate::domain::RepairResponse>,
    #[serde(default)]
    evening_prompts: Vec<crate::domain::EveningPrompt>,
    #[serde(default)]
    prompt_stars: Vec<crate::domain::PromptStar>,
    #[serde(default)]
    summary_choices: Vec<crate::domain::SummaryChoice>,
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
            repairs: s.repairs,
            repair_responses: s.repair_responses,
            evening_prompts: s.evening_prompts,
            prompt_stars: s.prompt_stars,
            summary_choices: s.summary_choices,
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
            repairs: self.repairs,
            repair_responses: self.repair_responses,
            evening_prompts: self.evening_prompts,
            prompt_stars: self.prompt_stars,
            summary_choices: self.summary_choices,
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

/// Just enough of a file to tell whether it is a duet export, and of which version; the rest
/// is skipped without being kept.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    format: Option<serde_json::Value>,
    #[serde(default)]
    version: Option<serde_json::Value>,
}

/// Reads an export file, refusing at once one too large to be an export.
pub fn read_file(path: &Path) -> Result<String, TransferError> {
    let unreadable = |e: std::io::Error| TransferError::Read {
        path: path.to_owned(),
        reason: crate::store::io_reason(&e),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let too_big = || TransferError::TooLarge {
        path: path.to_owned(),
        max_mib: MAX_IMPORT_BYTES / (1024 * 1024),
    };
    if file.metadata().map_err(unreadable)?.len() > MAX_IMPORT_BYTES {
        return Err(too_big());
    }
    // A pipe or a file still growing says nothing of its size up front.
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|_| invalid("$", "the file is not UTF-8 text"))
}

/// Parses and checks a whole export file; nothing is written.
pub fn parse(text: &str) -> Result<Snapshot, TransferError> {
    let header: Header = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => invalid("$", "expected a duet export (a JSON object)"),
        _ => TransferError::Json {
            line: e.line(),
            column: e.column(),
            reason: strip_position(&e.to_string()),
        },
    })?;
    // serde would also read the two fields from a list.
    if !text.trim_start().starts_with('{') {
        return Err(invalid("$", "expected a duet export (a JSON object)"));
    }
    match header.format.as_ref().and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        _ => {
            return Err(invalid(
                "$.format",
                "this is not a duet export (format should be \"duet-export\")",
            ))
        }
    }
    match header.version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if (OLDEST_VERSION as u64..=VERSION as u64).contains(&v) => {}
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
    let de = &mut serde_json::Deserializer::from_str(text);
    let file: ExportFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." {
            "$".to_string()
        } else {
            format!("$.{path}")
        };
        invalid(at, strip_position(&e.into_inner().to_string()))
    })?;
    let mut snap = file.into_snapshot();
    check::canonical_ids(&mut snap);
    check::check(&snap)?;
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
