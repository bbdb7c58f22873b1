//! `duet sync`: pairing this journal with the other partner's device through a folder the
//! couple already syncs, syncing once, where it stands, and leaving.

use std::path::{Path, PathBuf};

use chrono::TimeZone;

use super::entries::find_partner;
use super::Run;
use crate::domain::Partner;
use crate::error::{CliError, SyncError};
use crate::store::Store;
use crate::sync::{self, Sync};

/// Whose device this is: `--me`, or asked on the terminal.
fn whose(
    r: &Run<impl TimeZone>,
    me: Option<&str>,
    couple: &[Partner],
) -> Result<Partner, CliError> {
    let pair: [Partner; 2] = match couple {
        [a, b] => [a.clone(), b.clone()],
        _ => return Err(crate::error::StoreError::NoPartners.into()),
    };
    let name = match me {
        Some(n) => n.to_string(),
        None => r
            .asker
            .line(&format!(
                "Whose device is this, {} or {}? ",
                pair[0].name, pair[1].name
            ))
            .map_err(|_| {
                CliError::Usage(format!(
                    "say whose device this is with --me NAME ({} or {})",
                    pair[0].name, pair[1].name
                ))
            })?,
    };
    Ok(find_partner(&pair, &name)?.clone())
}

pub(super) fn init<Tz: TimeZone>(
    r: &mut Run<Tz>,
    folder: PathBuf,
    me: Option<String>,
    code_file: Option<PathBuf>,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    if let Some(f) = &code_file {
        if std::fs::symlink_metadata(f).is_ok() {
            return Err(CliError::Usage(format!(
                "{} is already there; the code goes into a new file. Nothing was changed",
                f.display()
            )));
        }
    }
    let mut store = r.open()?;
    let couple = store.couple()?;
    let me = whose(r, me.as_deref(), &couple)?;
    let other = couple
        .iter()
        .find(|p| p.id != me.id)
        .map_or("the other", |p| &p.name);
    let code = sync::init(&mut store, &folder, &me.id, r.utc())?;
    let folder = store.pairing()?.map(|p| p.folder).unwrap_or(folder);
    let shown_folder = shell_word(&folder);
    match code_file {
        Some(f) => {
            super::files::write_private(&f, format!("{code}\n").as_bytes())?;
            r.say(format!(
                "Paired as {}'s device. The pairing code is in {} (it works once).",
                me.name,
                f.display()
            ))?;
        }
        None => {
            r.say(format!("Paired as {}'s device.", me.name))?;
            r.say(String::new())?;
            r.say(format!(
                "Once the folder has synced to {other}'s device, run there:"
            ))?;
            r.say(format!("  duet sync join --folder {shown_folder}"))?;
            r.say("and type this code when it asks (it works once):".into())?;
            r.say(format!("  {code}"))?;
            r.say(String::new())?;
            r.say(
                "Keep the code between the two of you: with the folder, it opens the journal."
                    .into(),
            )?;
        }
    }
    Ok(())
}

/// A path as it can be typed back into a shell.
fn shell_word(p: &Path) -> String {
    let s = p.display().to_string();
    if s.chars()
        .all(|c| c.is_alphanumeric() || "/._-~".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn read_code(r: &Run<impl TimeZone>, code_file: Option<&Path>) -> Result<String, CliError> {
    match code_file {
        Some(f) => {
            let text = std::fs::read_to_string(f).map_err(|e| {
                CliError::Usage(format!(
                    "can't read the code from {}: {}",
                    f.display(),
                    crate::store::io_reason(&e)
                ))
            })?;
            Ok(text.lines().next().unwrap_or_default().to_string())
        }
        None => r
            .asker
            .line("The pairing code shown on the other device: ")
            .map_err(|_| {
                CliError::Usage(
                    "there is no terminal to type the code on; give it with --code-file FILE"
                        .into(),
                )
            }),
    }
}

pub(super) fn join<Tz: TimeZone>(
    r: &mut Run<Tz>,
    folder: PathBuf,
    me: Option<String>,
    code_file: Option<PathBuf>,
) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    if !folder.is_dir() {
        return Err(SyncError::Folder {
            path: folder,
            reason: "there is no folder there".into(),
        }
        .into());
    }
    let code = read_code(r, code_file.as_deref())?;
    let mut store = r.open()?;
    let ask = |ps: &[Partner]| -> Result<Partner, SyncError> {
        whose(r, me.as_deref(), ps).map_err(|e| SyncError::Rule(e.to_string()))
    };
    let joined = sync::join(&mut store, &folder, &code, &ask, r.utc())?;
    r.say(format!(
        "Joined: this is {}'s device, sharing one journal with {}.",
        joined.me.name,
        joined
            .partners
            .iter()
            .find(|p| p.id != joined.me.id)
            .map_or("the other device", |p| p.name.as_str())
    ))?;
    if joined.own_rows > 0 {
        r.say(format!(
            "The {} entries this journal had are merged in; a copy of it from before is beside it (.before-join-…).",
            joined.own_rows
        ))?;
    }
    r.say("duet syncs by itself while it is open; `duet sync` syncs once from the shell.".into())
}

pub(super) fn sync_once<Tz: TimeZone>(r: &mut Run<Tz>) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let mut store = r.open()?;
    let mut sync = Sync::open(&store)?.ok_or(SyncError::NotPaired)?;
    let out = sync.step(&mut store, r.utc())?;
    let came = match out.rows_changed {
        0 => "nothing new came in".to_string(),
        1 => "1 entry came in".to_string(),
        n => format!("{n} entries came in"),
    };
    let went = if out.sent {
        "; this device's changes went out"
    } else {
        ""
    };
    r.say(format!("Synced: {came}{went}."))?;
    if out.state() != sync::SyncState::Synced {
        r.say(format!("Note: {}.", state_sentence(&out)))?;
    }
    for p in &out.problems {
        r.say(format!("Note: {p}."))?;
    }
    Ok(())
}

fn state_sentence(out: &sync::Outcome) -> String {
    match out.state() {
        sync::SyncState::Receiving => format!(
            "{} file{} can't be read yet (still arriving, or cut short); the next sync tries again",
            out.files_waiting,
            if out.files_waiting == 1 { "" } else { "s" }
        ),
        sync::SyncState::KeyMismatch => "the folder has files that can't be opened with this journal's key; `duet sync status` says more".into(),
        sync::SyncState::OtherJournal => "the folder holds another journal's files and none of this one's other device: the other device was paired with another journal. Run `duet sync leave` there, then `duet sync join`".into(),
        s => s.word().to_string(),
    }
}

pub(super) fn status<Tz: TimeZone>(r: &mut Run<Tz>, json: bool) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let store = r.open()?;
    let Some(p) = store.pairing()? else {
        if json {
            return r.say(serde_json::json!({ "paired": false }).to_string());
        }
        return r.say("Not paired: `duet sync init --folder DIR` shares this journal with the other partner's device.".into());
    };
    let couple = store.partners()?;
    let name = |id: Option<&str>| {
        id.and_then(|id| couple.iter().find(|c| c.id == id))
            .map_or("someone".to_string(), |c| c.name.clone())
    };
    let folder = crate::sync::folder::Folder::new(&p.folder, &p.journal_id);
    let listing = folder.list().ok();
    let (waiting, other_key, not_sealed) = unread_files(&store, &p, &folder, listing.as_ref())?;
    let foreign = listing.as_ref().map_or(0, |l| l.foreign) + not_sealed;
    let devices = store.seen_devices()?;
    if json {
        let v = serde_json::json!({
            "paired": true,
            "folder": p.folder,
            "folder_reachable": folder.reachable(),
            "journal": p.journal_id,
            "device": p.device_id,
            "me": p.me,
            "other_devices": devices.iter().map(|d| serde_json::json!({
                "device": d.device, "partner_id": d.partner_id, "last_wrote": d.seen_at,
            })).collect::<Vec<_>>(),
            "files_waiting": waiting,
            "files_with_another_key": other_key,
            "foreign_files": foreign,
            "other_journals": listing.as_ref().map_or(0, |l| l.other_journals),
            "last_sync": p.last_sync,
            "last_error": p.last_error,
        });
        return r.say(serde_json::to_string_pretty(&v).unwrap_or_default());
    }
    r.say(format!(
        "Syncing through {}{}, as {}'s device.",
        p.folder.display(),
        if folder.reachable() {
            ""
        } else {
            " (not there now)"
        },
        name(p.me.as_deref())
    ))?;
    if devices.is_empty() {
        r.say("Nothing has come from the other device yet.".into())?;
    }
    for d in &devices {
        let when = d
            .seen_at
            .map(|t| {
                t.with_timezone(&r.now.timezone())
                    .format("%a %-d %b %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|| "not yet".into());
        r.say(format!(
            "{}'s device ({}) last wrote {when}.",
            name(d.partner_id.as_deref()),
            &d.device[..8.min(d.device.len())]
        ))?;
    }
    let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
    r.say(match waiting {
        0 => "No files waiting.".into(),
        n => format!(
            "{} waiting to be read (still arriving, or cut short: the next sync tries again).",
            files(n)
        ),
    })?;
    if other_key > 0 {
        r.say(format!(
            "{} can't be opened with this journal's key (another pairing's, or not duet's); if the other device was paired again, `duet sync leave` on one device, then pair again.",
            files(other_key)
        ))?;
    }
    if let Some(l) = listing.as_ref() {
        if foreign > 0 {
            r.say(format!(
                "{} in this journal's folder {} duet's; duet leaves {} alone.",
                files(foreign),
                if foreign == 1 { "isn't" } else { "aren't" },
                if foreign == 1 { "it" } else { "them" }
            ))?;
        }
        if l.other_journals > 0 {
            r.say(format!(
                "The folder also holds {} other journal{}'s files; duet leaves them alone.",
                l.other_journals,
                if l.other_journals == 1 { "" } else { "s" }
            ))?;
        }
    }
    let last = p
        .last_sync
        .map(|t| {
            t.with_timezone(&r.now.timezone())
                .format("%a %-d %b %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| "never".into());
    r.say(format!(
        "Last sync: {last}{}.",
        p.last_error
            .map(|e| format!("; last problem: {e}"))
            .unwrap_or_default()
    ))
}

/// Files of the folder this journal hasn't applied yet: how many are waiting (still arriving,
/// or cut short), and how many are sealed with another key.
fn unread_files(
    store: &Store,
    p: &crate::store::Pairing,
    folder: &crate::sync::folder::Folder,
    listing: Option<&crate::sync::folder::Listing>,
) -> Result<(usize, usize, usize), CliError> {
    use crate::sync::crypto::{Opened, SyncKey};
    let (Some(listing), Some(key)) = (listing, SyncKey::from_bytes(&p.key)) else {
        return Ok((0, 0, 0));
    };
    let (mut waiting, mut other_key, mut foreign) = (0, 0, 0);
    for (device, seqs) in &listing.devices {
        let applied = store.applied_files(device)?;
        for seq in seqs.iter().filter(|s| !applied.contains(s)) {
            let sealed = folder.read(device, *seq).unwrap_or_default();
            match key.open_telling(&folder.place(device, *seq), &sealed) {
                Opened::OtherKey => other_key += 1,
                Opened::Foreign => foreign += 1,
                _ => waiting += 1,
            }
        }
    }
    Ok((waiting, other_key, foreign))
}

pub(super) fn leave<Tz: TimeZone>(r: &mut Run<Tz>) -> Result<(), CliError>
where
    Tz::Offset: std::fmt::Display,
{
    let store = r.open()?;
    let p = sync::leave(&store)?;
    r.say(format!(
        "This journal no longer syncs through {}. Every entry stays here, and the other device's journal is untouched; this device's files stay in the folder for it to read.",
        p.folder.display()
    ))
}
