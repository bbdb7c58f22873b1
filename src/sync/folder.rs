//! The shared folder: `<folder>/duet-<journal id>/<device id>/<seq>.chunk`. A device only
//! ever creates files in its own subfolder, never changes one once written (each is written
//! aside, then renamed into place), and never touches another device's. The journal itself is
//! never here.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where one journal's files are in the shared folder.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
    journal: String,
}

/// What the folder holds for this journal, and what else is there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Each device's files, by number.
    pub devices: BTreeMap<String, Vec<u64>>,
    /// Other journals' folders beside this one's.
    pub other_journals: usize,
    /// Files here that aren't any device's numbered files.
    pub foreign: usize,
    /// Whether a pairing bundle is waiting to be picked up.
    pub bundle: bool,
}

pub const BUNDLE: &str = "pairing.bundle";

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// A file's number from its name, `00000042.chunk`.
fn seq_of(name: &str) -> Option<u64> {
    let digits = name.strip_suffix(".chunk")?;
    (digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

impl Folder {
    pub fn new(root: &Path, journal: &str) -> Folder {
        Folder {
            root: root.to_path_buf(),
            journal: journal.to_string(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn dir_name(&self) -> String {
        format!("duet-{}", self.journal)
    }

    /// The journal's folder inside the shared one.
    pub fn dir(&self) -> PathBuf {
        self.root.join(self.dir_name())
    }

    /// A file's place: its path inside the shared folder, which its sealing binds in.
    pub fn place(&self, device: &str, seq: u64) -> String {
        format!("{}/{device}/{seq:08}.chunk", self.dir_name())
    }

    pub fn bundle_place(&self) -> String {
        format!("{}/{BUNDLE}", self.dir_name())
    }

    fn path_of(&self, place: &str) -> PathBuf {
        self.root.join(place)
    }

    /// Whether the shared folder is there to write into at all.
    pub fn reachable(&self) -> bool {
        self.root.is_dir()
    }

    /// Everything of this journal's in the folder. A file still being written by its device
    /// (`.tmp`) or by the sync program (its own partial names) isn't counted as anything.
    pub fn list(&self) -> std::io::Result<Listing> {
        let mut listing = Listing::default();
        for entry in std::fs::read_dir(&self.root)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if name != self.dir_name() && name.starts_with("duet-") {
                listing.other_journals += 1;
            }
        }
        let dir = self.dir();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(listing);
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == BUNDLE {
                listing.bundle = true;
                continue;
            }
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            // A device's folder that can't be read counts as foreign; the others still sync.
            let files = match std::fs::read_dir(entry.path()) {
                Ok(files) if is_id(&name) && is_dir => files,
                _ => {
                    listing.foreign += usize::from(!is_partial(&name));
                    continue;
                }
            };
            let mut seqs = Vec::new();
            for file in files {
                let Ok(file) = file else { continue };
                let file = file.file_name().to_string_lossy().into_owned();
                match seq_of(&file) {
                    Some(n) => seqs.push(n),
                    None => listing.foreign += usize::from(!is_partial(&file)),
                }
            }
            seqs.sort_unstable();
            listing.devices.insert(name, seqs);
        }
        Ok(listing)
    }

    pub fn read(&self, device: &str, seq: u64) -> std::io::Result<Vec<u8>> {
        read_regular(&self.path_of(&self.place(device, seq)))
    }

    /// Writes a new file of this device's, numbered `seq` or the first free number after it
    /// (a file once written is never written again, not even by a second process writing at
    /// the same moment); says which number it got.
    pub fn write_new(
        &self,
        device: &str,
        mut seq: u64,
        sealed: impl Fn(&str) -> Vec<u8>,
    ) -> std::io::Result<u64> {
        let dir = self.dir().join(device);
        make_dir(&self.dir())?;
        make_dir(&dir)?;
        loop {
            let place = self.place(device, seq);
            let path = self.path_of(&place);
            if !path.exists() && write_new_file(&path, &sealed(&place))? {
                return Ok(seq);
            }
            seq += 1;
        }
    }

    pub fn write_bundle(&self, bytes: &[u8]) -> std::io::Result<()> {
        make_dir(&self.dir())?;
        write_then_rename(&self.path_of(&self.bundle_place()), bytes)
    }

    pub fn read_bundle(&self) -> std::io::Result<Vec<u8>> {
        read_regular(&self.path_of(&self.bundle_place()))
    }

    pub fn remove_bundle(&self) -> std::io::Result<()> {
        match std::fs::remove_file(self.path_of(&self.bundle_place())) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Removes a file of this device's own, once a newer one holds everything it held.
    pub fn remove_own(&self, device: &str, seq: u64) -> std::io::Result<()> {
        std::fs::remove_file(self.path_of(&self.place(device, seq)))
    }

    /// The journals whose pairing bundles wait in the shared folder.
    pub fn waiting_bundles(root: &Path) -> std::io::Result<Vec<Folder>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(root)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if let Some(journal) = name.strip_prefix("duet-").filter(|j| is_id(j)) {
                let f = Folder::new(root, journal);
                if f.path_of(&f.bundle_place()).is_file() {
                    out.push(f);
                }
            }
        }
        Ok(out)
    }

    pub fn journal(&self) -> &str {
        &self.journal
    }
}

/// The largest file read from the shared folder: ten years of a couple's changes, compacted,
/// are a few megabytes.
pub const MAX_FILE: u64 = 256 * 1024 * 1024;

/// A file's bytes, only if it is a plain file of a sane size: a link to a device, a pipe or a
/// huge file dropped into the folder is refused rather than read (or waited on) forever.
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let refused = |why: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string());
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(refused("not a plain file"));
    }
    if meta.len() > MAX_FILE {
        return Err(refused("too large"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(MAX_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(refused("too large"));
    }
    Ok(bytes)
}

/// Names sync programs give files still arriving, and ours while being written.
fn is_partial(name: &str) -> bool {
    name.ends_with(".tmp")
        || name.starts_with(".syncthing.")
        || name.starts_with("~syncthing~")
        || name.starts_with(".~")
        || name.ends_with(".partial")
        || name == ".stfolder"
        || name == ".DS_Store"
}

fn make_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

/// Whole or not at all: a sync program never picks up half a file under its final name.
fn write_then_rename(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = written_aside(path, bytes)?;
    std::fs::rename(&tmp, path)?;
    sync_dir(path)
}

/// Whole, and only if nothing is there yet: linked into place, which fails rather than
/// replace a file another process put there first. Says whether it was placed.
fn write_new_file(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    let tmp = written_aside(path, bytes)?;
    let placed = match std::fs::hard_link(&tmp, path) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
        // A file system without links: a rename, after looking first.
        Err(_) if !path.exists() => match std::fs::rename(&tmp, path) {
            Ok(()) => true,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        },
        Err(_) => false,
    };
    let _ = std::fs::remove_file(&tmp);
    sync_dir(path)?;
    Ok(placed)
}

/// The bytes in a file of their own beside `path` (named for this process), synced to disk.
fn written_aside(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(tmp)
}

fn sync_dir(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_numbered_never_rewritten_and_other_things_are_counted_apart() {
        let root = tempfile::tempdir().unwrap();
        let f = Folder::new(root.path(), "abcd");
        assert_eq!(f.write_new("d1", 1, |_| b"one".to_vec()).unwrap(), 1);
        assert_eq!(
            f.write_new("d1", 1, |_| b"two".to_vec()).unwrap(),
            2,
            "rewrote file 1"
        );
        assert_eq!(f.read("d1", 1).unwrap(), b"one");
        std::fs::write(f.dir().join("d1/notes.txt"), "x").unwrap();
        std::fs::write(f.dir().join("d1/00000003.chunk.tmp"), "x").unwrap();
        std::fs::create_dir(root.path().join("duet-ef01")).unwrap();
        let l = f.list().unwrap();
        assert_eq!(l.devices["d1"], vec![1, 2]);
        assert_eq!((l.foreign, l.other_journals, l.bundle), (1, 1, false));
    }
}
