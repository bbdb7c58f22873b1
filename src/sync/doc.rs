//! The merge document: every shared row under its table and key, each field its own value, so
//! two devices' edits merge field by field, ordered by the engine (never by the clocks).
//!
//! A field's value is kept as its JSON text; an object inside a row (a weekly check-in's
//! answers, a consent, an event's detail) is a map of its own, merged key by key. Where both
//! devices wrote the same field at once, reading it applies the couple's rules: words are
//! both kept, tags are joined, a weekly check-in's intention keeps both, anything else takes
//! the engine's choice. Every device reads the same values in the same order, so every
//! device comes to the same rows.

use std::collections::BTreeSet;

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, Change, ChangeHash, ObjId, ObjType, Prop, ReadDoc, ROOT};
use serde_json::{Map, Value};

use super::rules::{row_from_doc, row_to_doc, rule, settle};
use crate::store::SyncTable;

#[derive(Debug, thiserror::Error)]
#[error("the merge document can't be read: {0}")]
pub struct DocError(String);

impl From<automerge::AutomergeError> for DocError {
    fn from(e: automerge::AutomergeError) -> DocError {
        DocError(e.to_string())
    }
}

pub struct Doc {
    am: AutoCommit,
    /// The heads when the document was last loaded or saved: an incremental save holds what
    /// came after (the engine's own cursor starts empty on every load).
    saved: Vec<ChangeHash>,
}

/// A value read from the document: a scalar's JSON, or a map's fields.
enum Read {
    Scalar(Value),
    Map(ObjId),
}

impl Doc {
    /// A new, empty document with a map for each table. Only the first device makes one; the
    /// other starts from a copy of it, or their rows would hide each other's.
    pub fn new(actor: &[u8]) -> Doc {
        let mut am = AutoCommit::new().with_actor(ActorId::from(actor));
        for t in SyncTable::ALL {
            am.put_object(ROOT, t.name(), ObjType::Map)
                .expect("a map on the root");
        }
        am.commit();
        Doc {
            am,
            saved: Vec::new(),
        }
    }

    /// The document from its saved pieces, in order.
    pub fn load(pieces: &[Vec<u8>], actor: &[u8]) -> Result<Doc, DocError> {
        let mut pieces = pieces.iter();
        let mut am = match pieces.next() {
            Some(first) => AutoCommit::load(first)?,
            None => return Err(DocError("it is empty".into())),
        };
        for p in pieces {
            am.load_incremental(p)?;
        }
        am.set_actor(ActorId::from(actor));
        let saved = am.get_heads();
        Ok(Doc { am, saved })
    }

    pub fn save(&mut self) -> Vec<u8> {
        let bytes = self.am.save();
        self.saved = self.am.get_heads();
        bytes
    }

    /// What changed since the document was loaded or last saved.
    pub fn save_incremental(&mut self) -> Vec<u8> {
        let bytes = self.am.save_after(&self.saved);
        self.saved = self.am.get_heads();
        bytes
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.am.get_heads()
    }

    /// Every change the document has that `heads` don't lead to.
    pub fn changes_since(&mut self, heads: &[ChangeHash]) -> Vec<Change> {
        self.am.get_changes(heads)
    }

    pub fn has_change(&mut self, hash: &ChangeHash) -> bool {
        self.am.get_change_by_hash(hash).is_some()
    }

    pub fn commit(&mut self) {
        self.am.commit();
    }

    /// Applies changes whose dependencies are all here; says which rows they touched. The
    /// rows are found from the changes' own operations, not from what became visible: a
    /// change to the losing side of two values written at once shows nowhere, yet changes
    /// how the row reads.
    pub fn apply(
        &mut self,
        changes: Vec<Change>,
    ) -> Result<BTreeSet<(SyncTable, String)>, DocError> {
        use automerge::legacy::{Key, ObjectId, OpType};
        use std::collections::HashMap;
        let tables: HashMap<String, SyncTable> = SyncTable::ALL
            .into_iter()
            .flat_map(|t| {
                self.tables(t)
                    .into_iter()
                    .map(move |id| (id.to_string(), t))
            })
            .collect();
        // The row of each object these changes make; objects made before are looked up after.
        let mut made: HashMap<String, (SyncTable, String)> = HashMap::new();
        let mut older: BTreeSet<String> = BTreeSet::new();
        let mut touched = BTreeSet::new();
        for c in &changes {
            let e = c.decode();
            let actor = e.actor_id.to_hex_string();
            for (i, op) in e.operations.iter().enumerate() {
                let (ObjectId::Id(obj), Key::Map(key)) = (&op.obj, &op.key) else {
                    continue;
                };
                let obj = obj.to_string();
                let row = match (tables.get(&obj), made.get(&obj)) {
                    (Some(t), _) => (*t, key.to_string()),
                    (None, Some(row)) => row.clone(),
                    (None, None) => {
                        older.insert(obj);
                        continue;
                    }
                };
                if matches!(op.action, OpType::Make(_)) {
                    made.insert(
                        format!("{}@{actor}", e.start_op.get() + i as u64),
                        row.clone(),
                    );
                }
                touched.insert(row);
            }
        }
        self.am.commit();
        self.am.apply_changes(changes)?;
        for obj in older {
            let Ok(obj) = self.am.import_obj(&obj) else {
                continue;
            };
            let Ok(parents) = self.am.parents(&obj) else {
                continue;
            };
            let path: Vec<Prop> = parents.path().into_iter().map(|(_, p)| p).collect();
            if let (Some(Prop::Map(t)), Some(Prop::Map(k))) = (path.first(), path.get(1)) {
                if let Some(t) = SyncTable::from_name(t) {
                    touched.insert((t, k.clone()));
                }
            }
        }
        Ok(touched)
    }

    /// The table's maps: one, unless two devices each made it at once (a table added by a
    /// later version of duet), when rows are read from both and written into both.
    fn tables(&self, t: SyncTable) -> Vec<ObjId> {
        maps_of(self.all(&ROOT, t.name()))
    }

    /// Every key of a table.
    pub fn keys(&self, t: SyncTable) -> Vec<String> {
        let keys: BTreeSet<String> = self
            .tables(t)
            .iter()
            .flat_map(|obj| self.am.keys(obj).collect::<Vec<_>>())
            .collect();
        keys.into_iter().collect()
    }

    /// The values at `prop` of `obj`, every one written at once, in the engine's order.
    fn all(&self, obj: &ObjId, prop: &str) -> Vec<Read> {
        self.am
            .get_all(obj, prop)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(v, id)| match v {
                automerge::Value::Object(ObjType::Map) => Some(Read::Map(id)),
                automerge::Value::Scalar(s) => match s.as_ref() {
                    automerge::ScalarValue::Str(text) => {
                        serde_json::from_str(text).ok().map(Read::Scalar)
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    /// A row as the couple's rules read it, from every version of it written at once.
    pub fn read_row(&self, t: SyncTable, key: &str) -> Option<Value> {
        let value = self.read_in(t, &self.tables(t), key, &mut Vec::new())?;
        Some(row_from_doc(t, value))
    }

    fn read_at(
        &self,
        t: SyncTable,
        obj: &ObjId,
        prop: &str,
        path: &mut Vec<String>,
    ) -> Option<Value> {
        self.read_in(t, std::slice::from_ref(obj), prop, path)
    }

    /// What `prop` reads as across these maps.
    fn read_in(
        &self,
        t: SyncTable,
        objs: &[ObjId],
        prop: &str,
        path: &mut Vec<String>,
    ) -> Option<Value> {
        let reads: Vec<Read> = objs.iter().flat_map(|o| self.all(o, prop)).collect();
        let maps: Vec<&ObjId> = reads
            .iter()
            .filter_map(|r| match r {
                Read::Map(id) => Some(id),
                Read::Scalar(_) => None,
            })
            .collect();
        if !maps.is_empty() {
            // Two devices that each made the same object have two maps here: read as one.
            return Some(Value::Object(self.read_maps(t, &maps, path)));
        }
        let values: Vec<Value> = reads
            .into_iter()
            .filter_map(|r| match r {
                Read::Scalar(v) => Some(v),
                Read::Map(_) => None,
            })
            .collect();
        if values.is_empty() {
            return None;
        }
        Some(settle(rule(t, path), values))
    }

    fn read_maps(
        &self,
        t: SyncTable,
        maps: &[&ObjId],
        path: &mut Vec<String>,
    ) -> Map<String, Value> {
        let keys: BTreeSet<String> = maps.iter().flat_map(|m| self.am.keys(*m)).collect();
        let mut out = Map::new();
        for k in keys {
            path.push(k.clone());
            let mut versions: Vec<Value> = Vec::new();
            let mut objects: Vec<Map<String, Value>> = Vec::new();
            for m in maps {
                match self.read_at(t, m, &k, path) {
                    Some(Value::Object(o)) => objects.push(o),
                    Some(v) => versions.push(v),
                    None => {}
                }
            }
            let value = if !objects.is_empty() {
                Value::Object(merge_objects(t, objects, path))
            } else {
                settle(rule(t, path), versions)
            };
            path.pop();
            out.insert(k, value);
        }
        out
    }

    /// Writes this device's row into the document: only the fields that differ from what the
    /// document reads, so the other device's edits to other fields stand.
    pub fn write_row(&mut self, t: SyncTable, key: &str, row: &Value) {
        let row = row_to_doc(t, row);
        let Value::Object(fields) = row else { return };
        let mut tables = self.tables(t);
        if tables.is_empty() {
            tables.push(
                self.am
                    .put_object(ROOT, t.name(), ObjType::Map)
                    .expect("a map on the root"),
            );
        }
        let mut rows: Vec<ObjId> = tables
            .iter()
            .flat_map(|table| maps_of(self.all(table, key)))
            .collect();
        if rows.is_empty() {
            rows.push(
                self.am
                    .put_object(&tables[0], key, ObjType::Map)
                    .expect("a map in a map"),
            );
        }
        for obj in rows {
            self.write_map(&obj, &fields);
        }
    }

    /// The maps at `prop`: a new one when there is none. Two made at once are both written
    /// to: one made to replace them would hide whatever the other device writes into its
    /// own meanwhile.
    fn maps_at(&mut self, obj: &ObjId, prop: &str) -> Vec<ObjId> {
        let maps = maps_of(self.all(obj, prop));
        if !maps.is_empty() {
            return maps;
        }
        vec![self
            .am
            .put_object(obj, prop, ObjType::Map)
            .expect("a map in a map")]
    }

    fn write_map(&mut self, obj: &ObjId, fields: &Map<String, Value>) {
        let here: Vec<String> = self.am.keys(obj).collect();
        for k in here.iter().filter(|k| !fields.contains_key(*k)) {
            self.am.delete(obj, k.as_str()).expect("a key of a map");
        }
        for (k, v) in fields {
            match v {
                Value::Object(inner) => {
                    for child in self.maps_at(obj, k) {
                        self.write_map(&child, inner);
                    }
                }
                v => {
                    let text = v.to_string();
                    let reads = self.all(obj, k);
                    let same = matches!(reads.as_slice(), [Read::Scalar(x)] if *x == *v);
                    if !same {
                        self.am
                            .put(obj, k.as_str(), text)
                            .expect("a value in a map");
                    }
                }
            }
        }
    }
}

fn maps_of(reads: Vec<Read>) -> Vec<ObjId> {
    reads
        .into_iter()
        .filter_map(|r| match r {
            Read::Map(id) => Some(id),
            Read::Scalar(_) => None,
        })
        .collect()
}

fn merge_objects(
    t: SyncTable,
    objects: Vec<Map<String, Value>>,
    path: &mut Vec<String>,
) -> Map<String, Value> {
    let keys: BTreeSet<String> = objects.iter().flat_map(|o| o.keys().cloned()).collect();
    let mut out = Map::new();
    for k in keys {
        path.push(k.clone());
        let values: Vec<Value> = objects.iter().filter_map(|o| o.get(&k).cloned()).collect();
        let inner: Vec<Map<String, Value>> = values
            .iter()
            .filter_map(|v| v.as_object().cloned())
            .collect();
        let value = if inner.len() == values.len() {
            Value::Object(merge_objects(t, inner, path))
        } else {
            settle(rule(t, path), values)
        };
        path.pop();
        out.insert(k, value);
    }
    out
}

/// A row of this device's own that meets the same row in a document it is joining: words both
/// wrote are both kept; anything else stays as the document has it.
pub fn absorbed(t: SyncTable, here: &Value, doc: &Value) -> Value {
    match (here, doc) {
        (Value::Object(h), Value::Object(d)) => Value::Object(merge_objects(
            t,
            vec![h.clone(), d.clone()],
            &mut Vec::new(),
        )),
        _ => doc.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Two devices: the second starts from a copy of the first's document.
    fn pair() -> (Doc, Doc) {
        let mut a = Doc::new(b"device-a");
        let saved = a.save();
        let b = Doc::load(&[saved], b"device-b").unwrap();
        (a, b)
    }

    /// Each gets what the other has.
    fn exchange(a: &mut Doc, b: &mut Doc) {
        a.commit();
        b.commit();
        let (ha, hb) = (a.heads(), b.heads());
        let to_b = a.changes_since(&hb);
        let to_a = b.changes_since(&ha);
        a.apply(to_a).unwrap();
        b.apply(to_b).unwrap();
    }

    fn checkin(appreciation: &str, mood: u8) -> Value {
        json!({"id": "c1", "partner_id": "p1", "evening": "2026-11-23", "mood": mood,
               "closeness": 3, "appreciation": appreciation, "need": "", "prompt_id": null,
               "prompt_answer": "", "note": "", "created_at": "2026-11-23T20:00:00Z",
               "updated_at": "2026-11-23T20:00:00Z"})
    }

    #[test]
    fn a_document_read_back_has_nothing_new_to_save() {
        let mut a = Doc::new(b"device-a");
        a.write_row(SyncTable::CheckIns, "p1/2026-11-23", &checkin("Tea", 3));
        a.commit();
        let whole = a.save();
        a.write_row(SyncTable::CheckIns, "p1/2026-11-23", &checkin("Tea", 4));
        a.commit();
        let piece = a.save_incremental();
        assert!(!piece.is_empty());
        let mut back = Doc::load(&[whole, piece], b"device-a2").unwrap();
        assert!(back.save_incremental().is_empty(), "read back, saved again");
        assert_eq!(
            back.read_row(SyncTable::CheckIns, "p1/2026-11-23").unwrap()["mood"],
            4
        );
    }

    #[test]
    fn edits_to_different_fields_both_stand() {
        let (mut a, mut b) = pair();
        a.write_row(SyncTable::CheckIns, "p1/2026-11-23", &checkin("Tea", 3));
        exchange(&mut a, &mut b);
        a.write_row(SyncTable::CheckIns, "p1/2026-11-23", &checkin("Tea", 5));
        b.write_row(
            SyncTable::CheckIns,
            "p1/2026-11-23",
            &checkin("Tea, and toast", 3),
        );
        exchange(&mut a, &mut b);
        let row = a.read_row(SyncTable::CheckIns, "p1/2026-11-23").unwrap();
        assert_eq!(
            (row["mood"].as_u64(), row["appreciation"].as_str()),
            (Some(5), Some("Tea, and toast"))
        );
        assert_eq!(Some(row), b.read_row(SyncTable::CheckIns, "p1/2026-11-23"));
    }

    #[test]
    fn the_same_words_written_on_both_keep_both_on_both() {
        let (mut a, mut b) = pair();
        a.write_row(SyncTable::CheckIns, "p1/2026-11-23", &checkin("Tea", 3));
        b.write_row(
            SyncTable::CheckIns,
            "p1/2026-11-23",
            &checkin("The walk", 4),
        );
        exchange(&mut a, &mut b);
        let row = a.read_row(SyncTable::CheckIns, "p1/2026-11-23").unwrap();
        let words = row["appreciation"].as_str().unwrap();
        assert!(
            words.contains("Tea") && words.contains("The walk"),
            "{words}"
        );
        assert_eq!(Some(row), b.read_row(SyncTable::CheckIns, "p1/2026-11-23"));
    }

    #[test]
    fn a_consent_to_old_words_never_counts_for_new_ones() {
        let (mut a, mut b) = pair();
        let agreed = json!({"id": "g", "title": "Phones away", "details": "", "category": "",
            "proposed_by": "p1", "status": "proposed", "review_every_weeks": 4,
            "next_review": null, "consents": [{"partner_id": "p1", "at": "2026-11-01T00:00:00Z"}],
            "created_at": "2026-11-01T00:00:00Z", "updated_at": "2026-11-01T00:00:00Z"});
        a.write_row(SyncTable::Agreements, "g", &agreed);
        exchange(&mut a, &mut b);
        // Sam consents on one device while Alex changes the words on the other.
        let mut consented = agreed.clone();
        consented["status"] = json!("agreed");
        consented["consents"] = json!([{"partner_id": "p1", "at": "2026-11-01T00:00:00Z"},
                                       {"partner_id": "p2", "at": "2026-11-02T00:00:00Z"}]);
        b.write_row(SyncTable::Agreements, "g", &consented);
        let mut edited = agreed.clone();
        edited["title"] = json!("Phones away at dinner");
        edited["consents"] = json!([]);
        a.write_row(SyncTable::Agreements, "g", &edited);
        exchange(&mut a, &mut b);
        let row = a.read_row(SyncTable::Agreements, "g").unwrap();
        assert_eq!(row["title"], "Phones away at dinner");
        assert_eq!(row["status"], "proposed", "{row}");
        assert_eq!(row["consents"], json!([]), "{row}");
        assert_eq!(Some(row), b.read_row(SyncTable::Agreements, "g"));
    }

    #[test]
    fn answers_of_one_step_from_both_devices_are_both_kept_and_held_beats_skipped() {
        let (mut a, mut b) = pair();
        let meeting = |answers: Value, completed: Value, skipped: Value| {
            json!({"id": "m", "week": "2026-11-22", "started_at": "2026-11-22T19:00:00Z",
                   "answers": answers, "intentions": [], "completed_at": completed,
                   "skipped_at": skipped, "skip_reason": null,
                   "updated_at": "2026-11-22T19:00:00Z"})
        };
        a.write_row(
            SyncTable::Meetings,
            "2026-11-22",
            &meeting(
                json!({"appreciations": {"p1": "You cooked"}}),
                json!("2026-11-22T20:00:00Z"),
                Value::Null,
            ),
        );
        b.write_row(
            SyncTable::Meetings,
            "2026-11-22",
            &meeting(
                json!({"appreciations": {"p2": "You listened"}}),
                Value::Null,
                json!("2026-11-22T19:30:00Z"),
            ),
        );
        exchange(&mut a, &mut b);
        let row = a.read_row(SyncTable::Meetings, "2026-11-22").unwrap();
        assert_eq!(
            row["answers"]["appreciations"],
            json!({"p1": "You cooked", "p2": "You listened"})
        );
        assert!(
            row["skipped_at"].is_null() && !row["completed_at"].is_null(),
            "{row}"
        );
        assert_eq!(
            Some(row.clone()),
            b.read_row(SyncTable::Meetings, "2026-11-22")
        );
        // Written again from the merged row, it stays merged.
        b.write_row(SyncTable::Meetings, "2026-11-22", &row);
        exchange(&mut a, &mut b);
        assert_eq!(Some(row), a.read_row(SyncTable::Meetings, "2026-11-22"));
    }

    #[test]
    fn words_written_into_a_row_while_the_other_device_saves_it_again_are_kept() {
        let (mut a, mut b) = pair();
        let meeting = |answers: Value| {
            json!({"id": "m", "week": "2026-11-22", "started_at": "2026-11-22T19:00:00Z",
                   "answers": answers, "intentions": [], "completed_at": null,
                   "skipped_at": null, "skip_reason": null,
                   "updated_at": "2026-11-22T19:00:00Z"})
        };
        // Both start the week's check-in at once.
        a.write_row(
            SyncTable::Meetings,
            "2026-11-22",
            &meeting(json!({"went_right": "A walk"})),
        );
        b.write_row(
            SyncTable::Meetings,
            "2026-11-22",
            &meeting(json!({"week_felt": "Calm"})),
        );
        // A hears of B's first, and saves a step over what it reads...
        a.commit();
        b.commit();
        let to_a = b.changes_since(&a.heads());
        a.apply(to_a).unwrap();
        let mut seen = a.read_row(SyncTable::Meetings, "2026-11-22").unwrap();
        seen["answers"]["step"] = json!(2);
        a.write_row(SyncTable::Meetings, "2026-11-22", &seen);
        // ...while Sam, on B, answers another step.
        let mut sams = b.read_row(SyncTable::Meetings, "2026-11-22").unwrap();
        sams["answers"]["loved"] = json!({"p2": "Breakfast"});
        b.write_row(SyncTable::Meetings, "2026-11-22", &sams);
        exchange(&mut a, &mut b);
        let row = a.read_row(SyncTable::Meetings, "2026-11-22").unwrap();
        assert_eq!(row["answers"]["loved"], json!({"p2": "Breakfast"}), "{row}");
        assert_eq!(row["answers"]["went_right"], "A walk", "{row}");
        assert_eq!(row["answers"]["step"], 2, "{row}");
        assert_eq!(Some(row), b.read_row(SyncTable::Meetings, "2026-11-22"));
    }

    #[test]
    fn a_table_both_devices_made_at_once_keeps_the_rows_of_both() {
        // A document from before the table existed: each device adds it on its first row.
        let mut a = Doc::new(b"device-a");
        a.am.delete(ROOT, SyncTable::Wins.name()).unwrap();
        a.commit();
        let mut b = Doc::load(&[a.save()], b"device-b").unwrap();
        let win = |id: &str, text: &str| {
            json!({"id": id, "text": text, "logged_by": "p1", "about": null,
                   "evening": "2026-11-23", "tags": [], "celebrated_by": null,
                   "celebrated_at": null, "created_at": "2026-11-23T20:00:00Z",
                   "edited_at": null, "deleted_at": null})
        };
        a.write_row(SyncTable::Wins, "w1", &win("w1", "Made tea"));
        b.write_row(SyncTable::Wins, "w2", &win("w2", "Called mum"));
        exchange(&mut a, &mut b);
        for d in [&a, &b] {
            assert_eq!(d.keys(SyncTable::Wins), vec!["w1", "w2"]);
        }
        // An edit on one device reaches the row wherever it was made.
        let mut edited = a.read_row(SyncTable::Wins, "w2").unwrap();
        edited["text"] = json!("Called mum back");
        a.write_row(SyncTable::Wins, "w2", &edited);
        exchange(&mut a, &mut b);
        let row = b.read_row(SyncTable::Wins, "w2").unwrap();
        assert_eq!(row["text"], "Called mum back", "{row}");
        assert_eq!(Some(row), a.read_row(SyncTable::Wins, "w2"));
    }

    #[test]
    fn trust_from_each_device_and_a_good_time_done_on_either_are_kept() {
        let (mut a, mut b) = pair();
        let meeting = |answers: Value| {
            json!({"id": "m", "week": "2026-11-22", "started_at": "2026-11-22T19:00:00Z",
                   "answers": answers, "intentions": [], "completed_at": null,
                   "skipped_at": null, "skip_reason": null,
                   "updated_at": "2026-11-22T19:00:00Z"})
        };
        let good = json!({"what": "A walk", "when": "Saturday"});
        a.write_row(
            SyncTable::Meetings,
            "2026-11-22",
            &meeting(json!({"good_time": good, "trust": {"p1": {"rating": 4}}})),
        );
        exchange(&mut a, &mut b);
        // Sam answers on Sam's device while Alex marks the walk done on Alex's; a verdict
        // chosen differently on each is one of them, never both run together.
        let mut on_b = b.read_row(SyncTable::Meetings, "2026-11-22").unwrap();
        on_b["answers"]["trust"]["p2"] = json!({"rating": 2, "words": "Less rushing"});
        on_b["answers"]["agreements"] = json!({"g": "honored"});
        b.write_row(SyncTable::Meetings, "2026-11-22", &on_b);
        let mut on_a = a.read_row(SyncTable::Meetings, "2026-11-22").unwrap();
        on_a["answers"]["good_time"]["done_at"] = json!("2026-11-28T12:00:00Z");
        on_a["answers"]["agreements"] = json!({"g": "struggled"});
        a.write_row(SyncTable::Meetings, "2026-11-22", &on_a);
        exchange(&mut a, &mut b);
        let row = a.read_row(SyncTable::Meetings, "2026-11-22").unwrap();
        let answers = &row["answers"];
        assert_eq!(answers["trust"]["p1"]["rating"], 4, "{row}");
        assert_eq!(answers["trust"]["p2"]["words"], "Less rushing", "{row}");
        assert_eq!(answers["good_time"]["done_at"], "2026-11-28T12:00:00Z");
        let verdict = answers["agreements"]["g"].as_str().unwrap();
        assert!(["honored", "struggled"].contains(&verdict), "{verdict}");
        let parsed: crate::domain::Meeting =
            serde_json::from_value(row_from_doc(SyncTable::Meetings, row.clone())).unwrap();
        assert_eq!(parsed.answers.trust.unwrap().len(), 2);
        assert_eq!(Some(row), b.read_row(SyncTable::Meetings, "2026-11-22"));
    }

    #[test]
    fn tags_join_and_a_delete_stands_beside_an_edit() {
        let (mut a, mut b) = pair();
        let win = json!({"id": "w", "text": "A walk", "logged_by": "p1", "about": null,
            "evening": "2026-11-23", "tags": ["outside"], "celebrated_by": null,
            "celebrated_at": null, "created_at": "2026-11-23T20:00:00Z",
            "edited_at": null, "deleted_at": null});
        a.write_row(SyncTable::Wins, "w", &win);
        exchange(&mut a, &mut b);
        let mut tagged = win.clone();
        tagged["tags"] = json!(["outside", "rain"]);
        tagged["text"] = json!("A walk in the rain");
        a.write_row(SyncTable::Wins, "w", &tagged);
        let mut deleted = win.clone();
        deleted["tags"] = json!(["outside", "us"]);
        deleted["deleted_at"] = json!("2026-11-24T08:00:00Z");
        b.write_row(SyncTable::Wins, "w", &deleted);
        exchange(&mut a, &mut b);
        let row = a.read_row(SyncTable::Wins, "w").unwrap();
        assert_eq!(row["tags"].as_array().unwrap().len(), 3, "{row}");
        assert_eq!(row["text"], "A walk in the rain");
        assert!(!row["deleted_at"].is_null());
        assert_eq!(Some(row), b.read_row(SyncTable::Wins, "w"));
    }
}
