//! Ctrl-E: the focused text goes to $VISUAL or $EDITOR and comes back. The text may be a
//! locked journal's, so its file lives only in a private folder, only while the editor is
//! open, and is removed whatever happens: a hang-up, Ctrl-C in the editor, or a kill (at the
//! next start).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{enter, restore, Term};

/// The file handed to the editor while it is open, so an exit on SIGHUP can remove it rather
/// than leave someone's words on disk.
static OPEN_FILE: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

pub(super) fn remove_open_file() {
    if let Ok(mut f) = OPEN_FILE.lock() {
        if let Some(path) = f.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A folder only this user can enter: `$XDG_RUNTIME_DIR/duet` (memory-backed, emptied at
/// logout), or else one beside duet's state. Never the shared temporary folder.
fn private_folder() -> std::io::Result<PathBuf> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let dirs = directories::ProjectDirs::from("", "", "duet");
    let dir = dirs
        .as_ref()
        .and_then(|d| d.runtime_dir().map(Path::to_path_buf))
        .or_else(|| {
            dirs.as_ref()
                .map(|d| d.state_dir().unwrap_or(d.data_local_dir()).join("editing"))
        })
        .ok_or_else(|| std::io::Error::other("no home folder"))?;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    Ok(dir)
}

/// Files left by a duet that was killed while its editor was open: named for a process that no
/// longer runs.
pub(super) fn remove_leftovers() {
    let Ok(dir) = private_folder() else { return };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix("duet-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|p| p.parse::<libc::pid_t>().ok());
        // SAFETY: kill with signal 0 sends nothing; it only asks whether the process exists.
        let gone = pid.is_some_and(|p| {
            let asked = unsafe { libc::kill(p, 0) };
            asked != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
        });
        if gone {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Runs the editor on `text` and hands back what it wrote, or why it couldn't.
pub(super) fn edit(term: &mut Term, text: &str) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|e| !e.trim().is_empty())
        })
        .ok_or("Set $EDITOR (for example EDITOR=nano) to write long texts in your editor.")?;
    let private = |e: std::io::Error| format!("Couldn't make a private file for the editor: {e}");
    let folder = private_folder().map_err(private)?;
    let mut file = tempfile::Builder::new()
        .prefix(&format!("duet-{}-", std::process::id()))
        .suffix(".txt")
        .tempfile_in(folder)
        .map_err(private)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("Couldn't write for the editor: {e}"))?;
    let path = file.into_temp_path();
    if let Ok(mut f) = OPEN_FILE.lock() {
        *f = Some(path.to_path_buf());
    }
    restore();
    let status = run_editor(&editor, &path);
    let back = std::fs::read_to_string(&path);
    remove_open_file();
    *term = enter().map_err(|e| e.to_string())?;
    match status {
        Ok(s) if s.success() => {
            back.map_err(|e| format!("Couldn't read what the editor wrote: {e}"))
        }
        Ok(_) => Err("The editor exited with an error; the text was left as it was.".into()),
        Err(e) => Err(format!("Couldn't start the editor \"{editor}\": {e}")),
    }
}

/// Through the shell, so an $EDITOR with arguments ("code -w") works too. Ctrl-C at the
/// terminal meanwhile is the editor's to handle: duet waits it out instead of dying with the
/// text still on disk.
fn run_editor(editor: &str, path: &Path) -> std::io::Result<std::process::ExitStatus> {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("duet")
        .arg(path);
    // SAFETY: resetting a signal's disposition is async-signal-safe; nothing else runs
    // between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGQUIT, libc::SIG_DFL);
            Ok(())
        });
    }
    // SAFETY: ignoring SIGINT and SIGQUIT for the wait, and putting back what was there.
    let before = unsafe {
        (
            libc::signal(libc::SIGINT, libc::SIG_IGN),
            libc::signal(libc::SIGQUIT, libc::SIG_IGN),
        )
    };
    let status = command.status();
    unsafe {
        libc::signal(libc::SIGINT, before.0);
        libc::signal(libc::SIGQUIT, before.1);
    }
    status
}
