//! Pairing two devices. The first makes the journal's sync key and the merge document, and
//! leaves them in the shared folder sealed with a one-time code; the second opens them with
//! the code, builds its journal from them (its own rows, if it had any, merged in), and
//! removes them. Both documents then share one beginning, which is what lets them merge.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::crypto::{key_from_code, new_pairing_code, normalize_code, random_bytes, SyncKey};
use super::doc::{absorbed, Doc};
use super::engine::{session_actor, Outcome, Sync};
use super::folder::Folder;
use crate::domain::{new_id, Partner};
use crate::error::SyncError;
use crate::store::{Pairing, Store, SyncTable};

const BUNDLE_MAGIC: &[u8] = b"duet-pairing-1\n";
const SALT: usize = 16;

/// What the bundle holds besides the document.
#[derive(Debug, Serialize, Deserialize)]
struct Invitation {
    journal_id: String,
    key: String,
    device: String,
    partner: Option<String>,
}

fn folder_problem(path: &Path, e: &std::io::Error) -> SyncError {
    SyncError::Folder {
        path: path.to_path_buf(),
        reason: crate::store::io_reason(e),
    }
}

fn usable_folder(folder: &Path) -> Result<(), SyncError> {
    if !folder.is_dir() {
        return Err(SyncError::Folder {
            path: folder.to_path_buf(),
            reason: "there is no folder there".into(),
        });
    }
    Ok(())
}

/// A journal not paired yet, and the shared folder as a full path: what init and join need.
fn unpaired_into(store: &Store, folder: &Path) -> Result<PathBuf, SyncError> {
    if let Some(p) = store.pairing()? {
        return Err(SyncError::AlreadyPaired {
            folder: p.folder.display().to_string(),
        });
    }
    usable_folder(folder)?;
    folder
        .canonicalize()
        .map_err(|e| folder_problem(folder, &e))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    text.len()
        .is_multiple_of(2)
        .then(|| {
            (0..text.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
                .collect()
        })
        .flatten()
}

/// `duet sync init`: pairs this journal through `folder`, as `me`'s device; gives the code
/// to open the pairing with on the other device.
pub fn init(
    store: &mut Store,
    folder: &Path,
    me: &str,
    now: DateTime<Utc>,
) -> Result<String, SyncError> {
    let folder = unpaired_into(store, folder)?;
    let key = SyncKey::random();
    let pairing = Pairing {
        journal_id: new_id(),
        device_id: new_id(),
        me: Some(me.to_string()),
        folder: folder.clone(),
        key: key.bytes().to_vec(),
        next_seq: 1,
        sent_heads: Vec::new(),
        last_sync: None,
        last_error: None,
        doc_version: 0,
    };
    let mut doc = Doc::new(&session_actor());
    for (t, row) in store.synced_rows()? {
        doc.write_row(t, &t.key_of(&row), &row);
    }
    doc.commit();
    let saved = doc.save();
    let heads: Vec<String> = doc.heads().iter().map(|h| h.to_string()).collect();
    let code = new_pairing_code();
    let shared = Folder::new(&folder, &pairing.journal_id);
    let invitation = Invitation {
        journal_id: pairing.journal_id.clone(),
        key: hex(key.bytes()),
        device: pairing.device_id.clone(),
        partner: pairing.me.clone(),
    };
    shared
        .write_bundle(&seal_bundle(&shared, &code, &invitation, &saved))
        .map_err(|e| folder_problem(&folder, &e))?;
    let written = store.atomically(|st| {
        st.start_pairing(&Pairing {
            sent_heads: heads.clone(),
            ..pairing.clone()
        })?;
        st.replace_doc(&saved)?;
        st.clear_outbox()?;
        st.set_sync_result(now, None)
    });
    if let Err(e) = written {
        let _ = shared.remove_bundle();
        return Err(e.into());
    }
    Ok(code)
}

fn seal_bundle(folder: &Folder, code: &str, invitation: &Invitation, doc: &[u8]) -> Vec<u8> {
    let mut salt = [0u8; SALT];
    random_bytes(&mut salt);
    let plain_code = normalize_code(code).expect("a code just made");
    let key = key_from_code(&plain_code, &salt);
    let head = serde_json::to_vec(invitation).unwrap_or_default();
    let mut plain = (head.len() as u32).to_le_bytes().to_vec();
    plain.extend_from_slice(&head);
    plain.extend_from_slice(doc);
    let mut out = BUNDLE_MAGIC.to_vec();
    out.extend_from_slice(&salt);
    out.extend_from_slice(&key.seal(&folder.bundle_place(), &plain));
    out
}

fn open_bundle(folder: &Folder, code: &str, bytes: &[u8]) -> Option<(Invitation, Vec<u8>)> {
    let rest = bytes.strip_prefix(BUNDLE_MAGIC)?;
    let (salt, sealed) = (rest.get(..SALT)?, rest.get(SALT..)?);
    let plain = key_from_code(code, salt).open(&folder.bundle_place(), sealed)?;
    let len = u32::from_le_bytes(plain.get(..4)?.try_into().ok()?) as usize;
    let invitation: Invitation = serde_json::from_slice(plain.get(4..4 + len)?).ok()?;
    (invitation.journal_id == folder.journal()).then(|| (invitation, plain[4 + len..].to_vec()))
}

/// What joining did.
#[derive(Debug)]
pub struct Joined {
    pub me: Partner,
    pub partners: Vec<Partner>,
    /// Rows this journal had before, now merged in.
    pub own_rows: usize,
    pub first_step: Outcome,
}

/// `duet sync join`: opens the pairing waiting in `folder` with `code`, builds this journal
/// from it (rows it already had are merged in, words both wrote both kept), and asks `who` to
/// say whose device this is.
pub fn join(
    store: &mut Store,
    folder: &Path,
    code: &str,
    who: &dyn Fn(&[Partner]) -> Result<Partner, SyncError>,
    now: DateTime<Utc>,
) -> Result<Joined, SyncError> {
    let folder = unpaired_into(store, folder)?;
    let waiting = Folder::waiting_bundles(&folder).map_err(|e| folder_problem(&folder, &e))?;
    if waiting.is_empty() {
        return Err(SyncError::NoBundle { path: folder });
    }
    let code = normalize_code(code).ok_or(SyncError::WrongCode)?;
    let (shared, invitation, saved) = waiting
        .into_iter()
        .find_map(|f| {
            let bytes = f.read_bundle().ok()?;
            let (inv, doc) = open_bundle(&f, &code, &bytes)?;
            Some((f, inv, doc))
        })
        .ok_or(SyncError::WrongCode)?;
    let key = unhex(&invitation.key)
        .and_then(|k| SyncKey::from_bytes(&k))
        .ok_or(SyncError::WrongCode)?;
    let mut doc =
        Doc::load(&[saved], &session_actor()).map_err(|e| SyncError::Doc(e.to_string()))?;
    let bundle_heads: Vec<String> = doc.heads().iter().map(|h| h.to_string()).collect();
    let partners: Vec<Partner> = doc
        .keys(SyncTable::Partners)
        .iter()
        .filter_map(|k| doc.read_row(SyncTable::Partners, k))
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    let me = who(&partners)?;
    // Each partner's own device: the first one already speaks for whoever paired it.
    if invitation.partner.as_deref() == Some(me.id.as_str()) {
        let other = partners
            .iter()
            .find(|p| p.id != me.id)
            .map_or("the other partner", |p| p.name.as_str());
        return Err(SyncError::Rule(format!(
            "the first device is {}'s; this one would be {other}'s (--me {other}). Nothing was changed",
            me.name
        )));
    }
    let own_rows = absorb_own_rows(store, &mut doc, &partners, now)?;
    doc.commit();
    let rows: Vec<(SyncTable, Value)> = SyncTable::ALL
        .into_iter()
        .flat_map(|t| {
            doc.keys(t)
                .into_iter()
                .filter_map(|k| doc.read_row(t, &k))
                .map(|r| (t, r))
                .collect::<Vec<_>>()
        })
        .collect();
    let pairing = Pairing {
        journal_id: invitation.journal_id.clone(),
        device_id: new_id(),
        me: Some(me.id.clone()),
        folder: folder.clone(),
        key: key.bytes().to_vec(),
        next_seq: 1,
        sent_heads: bundle_heads,
        last_sync: None,
        last_error: None,
        doc_version: 0,
    };
    let saved = doc.save();
    let mut pairing = pairing;
    pairing.doc_version = store.atomically(|st| {
        st.replace_shared_rows(&rows)?;
        st.start_pairing(&pairing)?;
        let version = st.replace_doc(&saved)?;
        st.clear_outbox()?;
        Ok(version)
    })?;
    // The code was used: nothing readable with it stays in the folder.
    let _ = shared.remove_bundle();
    let mut sync = Sync::with(doc, pairing)?;
    let first_step = sync.step(store, now)?;
    Ok(Joined {
        me,
        partners,
        own_rows,
        first_step,
    })
}

/// The rows this journal had before joining, merged into the document: its partners are the
/// document's (by seat), and where both have the same row, words both wrote are both kept.
/// A backup copy is made first.
fn absorb_own_rows(
    store: &mut Store,
    doc: &mut Doc,
    partners: &[Partner],
    now: DateTime<Utc>,
) -> Result<usize, SyncError> {
    let own = store.synced_rows()?;
    let mine = store.partners()?;
    if mine.is_empty() {
        return Ok(0);
    }
    if let Some(db) = store.path().map(Path::to_path_buf) {
        let mut name = db.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".before-join-{}", now.format("%Y%m%d-%H%M%S")));
        store.backup_to(&db.with_file_name(name))?;
    }
    let mut count = 0;
    for (t, row) in own {
        if t == SyncTable::Partners || t == SyncTable::Settings {
            continue;
        }
        // Ids are random and unique, so each of ours can be put right wherever it stands.
        let mut text = row.to_string();
        for p in &mine {
            if let Some(q) = partners.iter().find(|q| q.seat == p.seat) {
                text = text.replace(&p.id, &q.id);
            }
        }
        let Ok(row) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let key = t.key_of(&row);
        let merged = match doc.read_row(t, &key) {
            Some(theirs) => absorbed(t, &row, &theirs),
            None => row,
        };
        doc.write_row(t, &key, &merged);
        count += 1;
    }
    Ok(count)
}

/// `duet sync leave`: this journal keeps every row and stops syncing; the other device's
/// journal is untouched.
pub fn leave(store: &Store) -> Result<Pairing, SyncError> {
    let p = store.pairing()?.ok_or(SyncError::NotPaired)?;
    store.leave_pairing()?;
    Ok(p)
}
