//! One sync step: this device's saves since the last step go into the merge document, the other
//! devices' new files come in, the rows they touched are written, and this device's new
//! changes go out as one new file. The journal's part is one transaction; the folder's part
//! comes after it, so a kill anywhere leaves nothing half done.

use std::collections::{BTreeSet, HashSet};

use automerge::{Change, ChangeHash};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::crypto::{random_bytes, Opened, SyncKey};
use super::doc::Doc;
use super::folder::Folder;
use crate::error::{StoreError, SyncError};
use crate::store::{Pairing, Store, SyncTable};

const MAGIC: &[u8] = b"duet-chunk-1\n";
/// After this many pieces, or one this large, the document is saved whole again: a whole save
/// is compressed, and loading stays quick.
const PIECES: usize = 32;
const LARGE_PIECE: usize = 256 * 1024;
/// After this many files of its own, a device writes one that holds them all.
const OWN_FILES: usize = 200;

/// Who wrote a file, inside its sealing.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    device: String,
    partner: Option<String>,
    written_at: DateTime<Utc>,
}

fn encode(header: &Header, changes: &[Change]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    let head = serde_json::to_vec(header).unwrap_or_default();
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    for c in changes {
        let bytes = c.raw_bytes();
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    out
}

fn decode(bytes: &[u8]) -> Option<(Header, Vec<Change>)> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut next = || -> Option<&[u8]> {
        let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let part = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some(part)
    };
    let header: Header = serde_json::from_slice(next()?).ok()?;
    let mut changes = Vec::new();
    while let Some(part) = next() {
        changes.push(Change::from_bytes(part.to_vec()).ok()?);
    }
    rest.is_empty().then_some((header, changes))
}

/// What a step did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Rows of the journal written from the other devices' changes.
    pub rows_changed: usize,
    pub files_read: usize,
    /// Files that can't be read yet: still arriving, cut short, or sealed with another key.
    pub files_waiting: usize,
    /// Files sealed with another key: another pairing's, not this one's.
    pub other_key: usize,
    /// Files under a sealed file's name that aren't sealed files at all; left alone.
    pub foreign: usize,
    /// The folder holds another journal's files and none of this one's other devices: the
    /// other device was paired with another journal.
    pub other_journal: bool,
    /// This device wrote a new file.
    pub sent: bool,
    /// Rows from another device that couldn't be written here, said in a line.
    pub problems: Vec<String>,
}

/// Where syncing stands, in a word for the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    Synced,
    /// Files are still arriving (or arrived cut short, and will be read when whole).
    Receiving,
    FolderMissing,
    /// The other device is paired with another journal.
    OtherJournal,
    /// Files sealed with another key are in this journal's folder.
    KeyMismatch,
}

impl SyncState {
    pub fn word(self) -> &'static str {
        match self {
            SyncState::Synced => "synced",
            SyncState::Receiving => "receiving",
            SyncState::FolderMissing => "folder missing",
            SyncState::OtherJournal => "paired with another journal",
            SyncState::KeyMismatch => "key mismatch",
        }
    }
}

impl Outcome {
    pub fn state(&self) -> SyncState {
        if self.other_key > 0 {
            SyncState::KeyMismatch
        } else if self.other_journal {
            SyncState::OtherJournal
        } else if self.files_waiting > 0 {
            SyncState::Receiving
        } else {
            SyncState::Synced
        }
    }
}

pub struct Sync {
    doc: Doc,
    pairing: Pairing,
    key: SyncKey,
    folder: Folder,
    /// Changes that came from files: never sent back in this device's own.
    received: HashSet<ChangeHash>,
    /// One past the highest number of this device's files in the folder: a journal restored
    /// from a backup never numbers a file as one the partner may already have applied.
    own_next: u64,
}

/// A fresh actor for each session: a journal restored from a backup then never reuses the
/// numbers of changes it had already sent.
pub(super) fn session_actor() -> [u8; 16] {
    let mut a = [0u8; 16];
    random_bytes(&mut a);
    a
}

fn heads_of(texts: &[String]) -> Vec<ChangeHash> {
    texts.iter().filter_map(|h| h.parse().ok()).collect()
}

impl Sync {
    /// This journal's sync, if it is paired; reading the merge document takes a moment on a
    /// journal of many years, so the app does it after its first frame.
    pub fn open(store: &Store) -> Result<Option<Sync>, SyncError> {
        let Some(mut pairing) = store.pairing()? else {
            return Ok(None);
        };
        let pieces = store.doc_pieces()?;
        let mut doc =
            Doc::load(&pieces, &session_actor()).map_err(|e| SyncError::Doc(e.to_string()))?;
        // Many pieces are saved whole again, as one: that loads quicker the next time.
        if pieces.len() > 1 {
            if let Some(v) = store.replace_doc_if_unchanged(pairing.doc_version, &doc.save())? {
                pairing.doc_version = v;
            }
        }
        Ok(Some(Sync::with(doc, pairing)?))
    }

    pub(super) fn with(doc: Doc, pairing: Pairing) -> Result<Sync, SyncError> {
        let key = SyncKey::from_bytes(&pairing.key)
            .ok_or_else(|| SyncError::Doc("the sync key isn't 32 bytes".into()))?;
        Ok(Sync {
            folder: Folder::new(&pairing.folder, &pairing.journal_id),
            doc,
            pairing,
            key,
            received: HashSet::new(),
            own_next: 0,
        })
    }

    pub fn pairing(&self) -> &Pairing {
        &self.pairing
    }

    pub fn folder(&self) -> &Folder {
        &self.folder
    }

    /// One step: see the module's comment. When it fails part way, what it merged in memory
    /// is dropped and read again from the journal, which kept only what was committed.
    pub fn step(&mut self, store: &mut Store, now: DateTime<Utc>) -> Result<Outcome, SyncError> {
        let result = self.step_once(store, now);
        if result.is_err() {
            // Whatever the failed step counted is gone with it: read afresh, even after a
            // failed reread.
            self.pairing.doc_version = -1;
            self.reread(store)?;
        }
        result
    }

    /// The document and the pairing as the journal has them now.
    fn reread(&mut self, store: &Store) -> Result<(), SyncError> {
        self.doc = Doc::load(&store.doc_pieces()?, &session_actor())
            .map_err(|e| SyncError::Doc(e.to_string()))?;
        self.pairing = store.pairing()?.ok_or(SyncError::NotPaired)?;
        self.received.clear();
        Ok(())
    }

    fn step_once(&mut self, store: &mut Store, now: DateTime<Utc>) -> Result<Outcome, SyncError> {
        let listing = self.folder.list().map_err(|e| SyncError::Folder {
            path: self.folder.root().to_path_buf(),
            reason: crate::store::io_reason(&e),
        })?;
        let mut out = Outcome {
            // While this journal's own pairing waits for the other device, older journals'
            // files beside it say nothing about who it is paired with.
            other_journal: listing.other_journals > 0
                && !listing.bundle
                && listing.devices.keys().all(|d| *d == self.pairing.device_id),
            ..Outcome::default()
        };
        self.own_next = listing
            .devices
            .get(&self.pairing.device_id)
            .and_then(|seqs| seqs.last())
            .map_or(0, |last| last + 1);
        let incoming = self.incoming(store, &listing, &mut out)?;
        let sent = store.atomically(|st| self.within(st, &incoming, now, &mut out))?;
        out.sent = sent?;
        self.compact_own(store, &listing, now)?;
        Ok(out)
    }

    /// The journal's part of a step, in one transaction, and this device's new file: written
    /// in it too, so two processes syncing the same journal (the app and `duet sync`) take
    /// turns. A folder that can't be written doesn't undo the rest; the next step sends.
    fn within(
        &mut self,
        st: &mut Store,
        incoming: &[(String, u64, Vec<Change>)],
        now: DateTime<Utc>,
        out: &mut Outcome,
    ) -> Result<Result<bool, SyncError>, StoreError> {
        // Another process may have synced this journal since this one last looked.
        if st.pairing()?.map(|p| p.doc_version) != Some(self.pairing.doc_version) {
            self.reread(st).map_err(|e| match e {
                SyncError::Store(e) => e,
                e => StoreError::Sql(e.to_string()),
            })?;
        }
        let doc = &mut self.doc;
        let saved = st.outbox()?;
        for (t, key) in &saved {
            if let Some(row) = st.synced_row(*t, key)? {
                doc.write_row(*t, key, &row);
            }
        }
        doc.commit();
        let mut touched = apply_ready(doc, incoming, &mut self.received)?;
        // This device's own rows too read back by the couple's rules (a week held here and
        // skipped here reads as held), so every device ends with the same rows.
        touched.extend(saved);
        for (device, seq, changes) in incoming {
            if changes.iter().all(|c| doc.has_change(&c.hash())) {
                st.mark_applied(device, *seq)?;
                out.files_read += 1;
            } else {
                out.files_waiting += 1;
            }
        }
        for (t, key) in &touched {
            write_touched(st, doc, *t, key, out)?;
        }
        st.clear_outbox()?;
        let sent = self.send(st, now)?;
        let piece = self.doc.save_incremental();
        if !piece.is_empty() {
            let (pieces, version) = st.add_doc_piece(&piece)?;
            self.pairing.doc_version = version;
            if pieces > PIECES || piece.len() > LARGE_PIECE {
                self.pairing.doc_version = st.replace_doc(&self.doc.save())?;
            }
        }
        let problem = match &sent {
            Err(e) => Some(e.to_string()),
            Ok(_) => out.problems.first().cloned(),
        };
        st.set_sync_result(now, problem.as_deref())?;
        Ok(sent)
    }

    /// The files of any device (this one's too: after a restore from a backup, they hold what
    /// it had sent since) not yet applied, opened; those that can't be are counted as waiting.
    #[allow(clippy::type_complexity)]
    fn incoming(
        &self,
        store: &Store,
        listing: &super::folder::Listing,
        out: &mut Outcome,
    ) -> Result<Vec<(String, u64, Vec<Change>)>, StoreError> {
        let mut files = Vec::new();
        for (device, seqs) in &listing.devices {
            let applied = store.applied_files(device)?;
            for seq in seqs.iter().filter(|s| !applied.contains(s)) {
                let place = self.folder.place(device, *seq);
                let opened = match self.folder.read(device, *seq) {
                    Ok(sealed) => match self.key.open_telling(&place, &sealed) {
                        Opened::Plain(plain) => decode(&plain).filter(|(h, _)| h.device == *device),
                        Opened::OtherKey => {
                            out.other_key += 1;
                            continue;
                        }
                        Opened::Foreign => {
                            out.foreign += 1;
                            continue;
                        }
                        Opened::Damaged => None,
                    },
                    Err(_) => None,
                };
                match opened {
                    Some((header, changes)) => {
                        if *device != self.pairing.device_id {
                            store.note_device(
                                device,
                                header.partner.as_deref(),
                                header.written_at,
                            )?;
                        }
                        files.push((device.clone(), *seq, changes));
                    }
                    None => out.files_waiting += 1,
                }
            }
        }
        Ok(files)
    }

    /// This device's changes since its last file, as a new file; none when there are none.
    /// The outer result is the journal's; the inner one says whether the folder took it.
    fn send(
        &mut self,
        st: &mut Store,
        now: DateTime<Utc>,
    ) -> Result<Result<bool, SyncError>, StoreError> {
        let sent = heads_of(&self.pairing.sent_heads);
        let received = &self.received;
        let changes: Vec<Change> = self
            .doc
            .changes_since(&sent)
            .into_iter()
            .filter(|c| !received.contains(&c.hash()))
            .collect();
        let heads: Vec<String> = self.doc.heads().iter().map(|h| h.to_string()).collect();
        if changes.is_empty() {
            if heads != self.pairing.sent_heads {
                st.set_sent(self.pairing.next_seq, &heads)?;
                self.pairing.sent_heads = heads;
            }
            return Ok(Ok(false));
        }
        let first_free = self.pairing.next_seq.max(self.own_next);
        let seq = match self.write_own(&changes, first_free, now) {
            Ok(seq) => seq,
            Err(e) => return Ok(Err(e)),
        };
        st.mark_applied(&self.pairing.device_id, seq)?;
        st.set_sent(seq + 1, &heads)?;
        self.pairing.next_seq = seq + 1;
        self.pairing.sent_heads = heads;
        Ok(Ok(true))
    }

    fn write_own(
        &self,
        changes: &[Change],
        seq: u64,
        now: DateTime<Utc>,
    ) -> Result<u64, SyncError> {
        let header = Header {
            device: self.pairing.device_id.clone(),
            partner: self.pairing.me.clone(),
            written_at: now,
        };
        let plain = encode(&header, changes);
        self.folder
            .write_new(&self.pairing.device_id, seq, |place| {
                self.key.seal(place, &plain)
            })
            .map_err(|e| SyncError::Folder {
                path: self.folder.root().to_path_buf(),
                reason: crate::store::io_reason(&e),
            })
    }

    /// Ten years stay a few files: once this device has many, one new file holds all they
    /// held, and they go.
    fn compact_own(
        &mut self,
        store: &mut Store,
        listing: &super::folder::Listing,
        now: DateTime<Utc>,
    ) -> Result<(), SyncError> {
        let own = &self.pairing.device_id;
        let Some(seqs) = listing.devices.get(own).filter(|s| s.len() > OWN_FILES) else {
            return Ok(());
        };
        let own = own.clone();
        let seqs = seqs.clone();
        // In a transaction: two processes never compact (or send) at once.
        let written = store.atomically(|st| {
            let mut changes = Vec::new();
            for seq in &seqs {
                let place = self.folder.place(&own, *seq);
                let Some((_, mut c)) = self
                    .folder
                    .read(&own, *seq)
                    .ok()
                    .and_then(|s| self.key.open(&place, &s))
                    .and_then(|p| decode(&p))
                else {
                    // A file of ours that can't be read (or is gone) is left as it is.
                    return Ok(None);
                };
                changes.append(&mut c);
            }
            let first_free = self.pairing.next_seq.max(seqs[seqs.len() - 1] + 1);
            let Ok(seq) = self.write_own(&changes, first_free, now) else {
                return Ok(None);
            };
            st.mark_applied(&own, seq)?;
            st.set_sent(seq + 1, &self.pairing.sent_heads)?;
            self.pairing.next_seq = seq + 1;
            Ok(Some(seq))
        })?;
        if written.is_some() {
            for old in &seqs {
                if self.folder.remove_own(&own, *old).is_ok() {
                    store.forget_applied(&own, *old)?;
                }
            }
        }
        Ok(())
    }
}

/// Applies every incoming change whose dependencies are here (or come in the same files), in
/// an order that respects them; the others wait for the files they need.
fn apply_ready(
    doc: &mut Doc,
    incoming: &[(String, u64, Vec<Change>)],
    received: &mut HashSet<ChangeHash>,
) -> Result<BTreeSet<(SyncTable, String)>, StoreError> {
    let mut have: HashSet<ChangeHash> = HashSet::new();
    let mut batch: Vec<Change> = Vec::new();
    let mut left: Vec<&Change> = incoming.iter().flat_map(|(_, _, c)| c).collect();
    loop {
        let before = left.len();
        left.retain(|c| {
            let h = c.hash();
            received.insert(h);
            if have.contains(&h) || doc.has_change(&h) {
                return false;
            }
            if c.deps()
                .iter()
                .all(|d| have.contains(d) || doc.has_change(d))
            {
                have.insert(h);
                batch.push((*c).clone());
                return false;
            }
            true
        });
        if left.len() == before {
            break;
        }
    }
    if batch.is_empty() {
        return Ok(BTreeSet::new());
    }
    match doc.apply(batch.clone()) {
        Ok(touched) => Ok(touched),
        // One change the engine refuses mustn't hold back every other: one at a time, in
        // the order their dependencies need, each that applies is kept; those that don't
        // (and any that need them) stay out and are counted as waiting.
        Err(_) => {
            let mut touched = BTreeSet::new();
            for c in batch {
                let deps_here = c.deps().iter().all(|d| doc.has_change(d));
                if deps_here {
                    if let Ok(t) = doc.apply(vec![c]) {
                        touched.extend(t);
                    }
                }
            }
            Ok(touched)
        }
    }
}

/// A row the other device touched, read from the document by the couple's rules and written
/// here. One that can't be written is named, and the rest go on.
fn write_touched(
    st: &mut Store,
    doc: &Doc,
    t: SyncTable,
    key: &str,
    out: &mut Outcome,
) -> Result<(), StoreError> {
    let Some(row) = doc.read_row(t, key) else {
        return Ok(());
    };
    let written = st.atomically(|st| st.put_synced_row(t, &row));
    match written {
        Ok(changed) => out.rows_changed += usize::from(changed),
        Err(StoreError::Invalid(e)) => out.problems.push(format!(
            "a {} row from the other device couldn't be written here ({e})",
            t.name()
        )),
        Err(StoreError::Sql(e)) => out.problems.push(format!(
            "a {} row from the other device couldn't be written here ({e})",
            t.name()
        )),
        Err(e) => return Err(e),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_the_engine_refuses_holds_back_no_other() {
        let win = |id: &str| {
            serde_json::json!({"id": id, "text": id, "logged_by": "p1", "about": null,
                "evening": "2026-11-23", "tags": [], "celebrated_by": null,
                "celebrated_at": null, "created_at": "2026-11-23T20:00:00Z",
                "edited_at": null, "deleted_at": null})
        };
        let mut here = Doc::new(b"here");
        let start = here.save();
        // Two documents that wrongly share an actor: the same number, other content.
        let mut one = Doc::load(std::slice::from_ref(&start), b"twin").unwrap();
        one.write_row(SyncTable::Wins, "w1", &win("w1"));
        one.commit();
        let mut two = Doc::load(std::slice::from_ref(&start), b"twin").unwrap();
        two.write_row(SyncTable::Wins, "w2", &win("w2"));
        two.commit();
        let mut fine = Doc::load(&[start], b"fine").unwrap();
        fine.write_row(SyncTable::Wins, "w3", &win("w3"));
        fine.commit();
        let heads = here.heads();
        let incoming = vec![
            ("a".to_string(), 1, one.changes_since(&heads)),
            ("b".to_string(), 1, two.changes_since(&heads)),
            ("c".to_string(), 1, fine.changes_since(&heads)),
        ];
        let touched = apply_ready(&mut here, &incoming, &mut HashSet::new()).unwrap();
        assert!(
            touched.contains(&(SyncTable::Wins, "w3".to_string())),
            "{touched:?}"
        );
        assert!(here.read_row(SyncTable::Wins, "w3").is_some());
    }

    #[test]
    fn a_file_reads_back_whole_or_not_at_all() {
        let mut d = Doc::new(b"x");
        let changes = d.changes_since(&[]);
        let h = Header {
            device: "d".into(),
            partner: None,
            written_at: DateTime::UNIX_EPOCH,
        };
        let bytes = encode(&h, &changes);
        let (back, got) = decode(&bytes).unwrap();
        assert_eq!((back.device.as_str(), got.len()), ("d", changes.len()));
        assert!(decode(&bytes[..bytes.len() - 3]).is_none());
        assert!(decode(b"something else").is_none());
    }
}
