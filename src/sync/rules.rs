//! The couple's rules for two values written at once for one field (both texts kept, tags
//! joined, a choice left to the engine), and how a row is put into the merge document and read
//! back out of it (a consent counts only for the words it was given to).

use serde_json::{Map, Value};

use crate::store::SyncTable;

/// Between two versions of a longer text written on the two devices at once.
pub const BOTH_TEXTS: &str = "\n\n— and, written at the same time on the other device —\n";
/// Between two versions of a short one (a title, a win).
pub const BOTH_LINES: &str = " / ";

/// How two values written at once for one field become one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    /// Both texts kept, in the engine's order.
    Texts(&'static str),
    /// Every tag of both.
    Union,
    /// A weekly check-in's intention: both, as one.
    Intentions,
    /// What one device set stands against the other's not setting it (a check-in held, a
    /// win deleted): the engine's choice among those set.
    Set,
    /// The engine's choice.
    Last,
    /// The later of two instants (both RFC 3339 in UTC, so the later sorts last).
    Latest,
}

/// A weekly check-in's answers: words written on both devices are both kept; a choice (a
/// verdict, who shares the hard thing, a rating, the step) is the engine's; a good time done
/// on either device is done.
pub(super) fn answers_rule(path: &[String]) -> Rule {
    let step = path.get(1).map(String::as_str).unwrap_or_default();
    let field = path.last().map(String::as_str).unwrap_or_default();
    match (step, field) {
        ("good_time", "done_at") => Rule::Set,
        ("good_time", "what" | "when") | ("trust", "words") | ("hard", "what" | "request") => {
            Rule::Texts(BOTH_TEXTS)
        }
        (
            "agreements_note" | "appreciations" | "last_week" | "loved" | "week_felt"
            | "went_right",
            _,
        ) => Rule::Texts(BOTH_TEXTS),
        _ => Rule::Last,
    }
}

pub(super) fn rule(table: SyncTable, path: &[String]) -> Rule {
    let field = path.last().map(String::as_str).unwrap_or_default();
    match (table, field) {
        (SyncTable::Meetings, "intentions") => Rule::Intentions,
        (SyncTable::Meetings, _) if path.first().is_some_and(|f| f == "answers") => {
            answers_rule(path)
        }
        (SyncTable::Meetings, "skip_reason") => Rule::Texts(BOTH_LINES),
        (SyncTable::Meetings, "completed_at" | "skipped_at") => Rule::Set,
        (SyncTable::Wins, "deleted_at" | "celebrated_by" | "celebrated_at") => Rule::Set,
        (SyncTable::CheckIns, "appreciation" | "need" | "prompt_answer" | "note") => {
            Rule::Texts(BOTH_TEXTS)
        }
        (SyncTable::Agreements, "details") => Rule::Texts(BOTH_TEXTS),
        (SyncTable::Agreements, "title" | "category") => Rule::Texts(BOTH_LINES),
        (SyncTable::Wins, "text") => Rule::Texts(BOTH_LINES),
        (SyncTable::Repairs, "what_happened" | "how_it_affected" | "do_differently") => {
            Rule::Texts(BOTH_TEXTS)
        }
        (SyncTable::Wins, "tags") => Rule::Union,
        // The schedule counts from its latest change, whichever device made it.
        (SyncTable::Settings, "weekly_from") => Rule::Latest,
        _ => Rule::Last,
    }
}

/// Values written at once for one field, in the engine's order (the last is its choice).
pub(super) fn settle(rule: Rule, values: Vec<Value>) -> Value {
    let last = values.last().cloned().unwrap_or(Value::Null);
    let mut texts: Vec<String> = Vec::new();
    match rule {
        Rule::Last => return last,
        Rule::Latest => {
            return values
                .into_iter()
                .filter(|v| v.is_string())
                .max_by(|a, b| a.as_str().cmp(&b.as_str()))
                .unwrap_or(last)
        }
        Rule::Set => {
            return values
                .into_iter()
                .rev()
                .find(|v| !v.is_null())
                .unwrap_or(Value::Null)
        }
        Rule::Texts(between) => {
            for v in &values {
                match v.as_str() {
                    Some(t) if !t.is_empty() && !texts.iter().any(|x| x == t) => {
                        texts.push(t.to_string())
                    }
                    Some(_) => {}
                    None => return last,
                }
            }
            return match texts.len() {
                0 => last,
                _ => Value::String(texts.join(between)),
            };
        }
        Rule::Union | Rule::Intentions => {
            for v in &values {
                let Some(items) = v.as_array() else {
                    return last;
                };
                let items = items.iter().filter_map(Value::as_str);
                let items: Vec<&str> = if rule == Rule::Intentions {
                    items.take(1).collect()
                } else {
                    items.collect()
                };
                for t in items {
                    if !t.is_empty() && !texts.iter().any(|x| x == t) {
                        texts.push(t.to_string());
                    }
                }
            }
        }
    }
    if rule == Rule::Intentions && !texts.is_empty() {
        texts = vec![texts.join(BOTH_LINES)];
    }
    Value::Array(texts.into_iter().map(Value::String).collect())
}

/// A fingerprint of an agreement's words: a consent counts only for the words it was given to.
pub(super) fn words_of(row: &Value) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for f in ["title", "details", "category"] {
        h.update(row[f].as_str().unwrap_or_default().as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A row as the document keeps it: an agreement's consents by partner, each with the words it
/// was given to.
pub(super) fn row_to_doc(t: SyncTable, row: &Value) -> Value {
    let mut row = row.clone();
    if t == SyncTable::Agreements {
        let words = words_of(&row);
        let consents: Map<String, Value> = row["consents"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| {
                let partner = c["partner_id"].as_str()?.to_string();
                let mut fields = Map::new();
                fields.insert("at".into(), c["at"].clone());
                fields.insert("words".into(), Value::String(words.clone()));
                Some((partner, Value::Object(fields)))
            })
            .collect();
        row["consents"] = Value::Object(consents);
    }
    row
}

/// A row as the journal keeps it, with the couple's rules for what both devices did at once:
/// a consent to other words doesn't count (so words changed on one device while the other
/// agreed wait for both again), and a weekly check-in held is held, even if skipped elsewhere.
pub(super) fn row_from_doc(t: SyncTable, mut row: Value) -> Value {
    match t {
        SyncTable::Agreements => {
            let words = words_of(&row);
            let mut consents: Vec<Value> = row["consents"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, c)| c["words"].as_str() == Some(words.as_str()))
                .map(|(partner, c)| serde_json::json!({ "partner_id": partner, "at": c["at"] }))
                .collect();
            consents.sort_by(|a, b| {
                (a["at"].as_str(), a["partner_id"].as_str())
                    .cmp(&(b["at"].as_str(), b["partner_id"].as_str()))
            });
            if row["status"] == "agreed" && consents.len() < 2 {
                row["status"] = Value::String("proposed".into());
            }
            row["consents"] = Value::Array(consents);
        }
        SyncTable::Meetings if !row["completed_at"].is_null() => {
            row["skipped_at"] = Value::Null;
            row["skip_reason"] = Value::Null;
        }
        _ => {}
    }
    row
}
