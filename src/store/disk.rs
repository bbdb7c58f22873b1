//! Telling a full disk or a read-only folder from a damaged journal: SQLite reports all three
//! as a file it can't open or read, and only the first two are fixed without a backup.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::error::StoreError;

/// Less room than this beside the journal and SQLite can't make its -wal and -shm files.
const ROOM_NEEDED: u64 = 64 * 1024;

/// What stops the journal at `path` from being opened, when it is the folder and not the
/// file: read-only here, or a full disk. `None` when the folder looks fine.
pub(super) fn problem(path: &Path) -> Option<StoreError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let c = CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is a valid NUL-terminated path for the duration of both calls, and `vfs` is
    // a plain struct the call fills in.
    let writable = unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0;
    if !writable {
        return Some(StoreError::ReadOnlyFolder {
            path: dir.to_owned(),
        });
    }
    let mut vfs: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut vfs) } == 0 {
        let free = vfs.f_bavail as u64 * vfs.f_frsize as u64;
        if free < ROOM_NEEDED {
            return Some(StoreError::DiskFull);
        }
    }
    None
}
