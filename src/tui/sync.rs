//! Syncing while the app is open: a thread of its own, started after the first frame, with
//! its own connection to the journal. It syncs when this device saved something (the outbox
//! has rows) or the folder changed, and every little while anyway; the app sees the rows it
//! writes as any other change to the journal, and hears how syncing stands in a word.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;

use crate::domain::Passphrase;
use crate::store::Store;
use crate::sync::folder::{Folder, Listing};
use crate::sync::{Sync, SyncState};

/// How often the folder and the outbox are looked at.
const LOOK: Duration = Duration::from_secs(2);
/// A step even when nothing seems to have changed (a file that was cut short may be whole now).
const ANYWAY: u32 = 15;

pub struct Worker {
    state: Arc<Mutex<Option<&'static str>>>,
    poke: mpsc::Sender<()>,
    /// Held through each step, so quitting can wait for one under way to finish.
    busy: Arc<Mutex<()>>,
    stopping: Arc<AtomicBool>,
}

impl Worker {
    /// How syncing stands, in a word; `None` until the first step, or when not paired.
    pub fn word(&self) -> Option<&'static str> {
        self.state.lock().ok().and_then(|s| *s)
    }

    /// Something was saved: sync now rather than at the next look.
    pub fn poke(&self) {
        let _ = self.poke.send(());
    }

    /// No step after this one; returns once any step under way has finished. A step cut off
    /// by the process ending could leave a file in the folder that the journal never kept.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        drop(self.busy.lock());
    }
}

/// Starts syncing when this journal is paired; `None` when it isn't.
pub fn start(db: PathBuf, key: Option<Passphrase>, paired: bool) -> Option<Worker> {
    if !paired {
        return None;
    }
    let state = Arc::new(Mutex::new(None));
    let (poke, wake) = mpsc::channel();
    let shared = Arc::clone(&state);
    let busy = Arc::new(Mutex::new(()));
    let stopping = Arc::new(AtomicBool::new(false));
    let (busy_here, stopping_here) = (Arc::clone(&busy), Arc::clone(&stopping));
    std::thread::spawn(move || {
        let set = |w: Option<&'static str>| {
            if let Ok(mut s) = shared.lock() {
                *s = w;
            }
        };
        let Ok(mut store) = Store::open_with(&db, key.as_ref()) else {
            return;
        };
        drop(key);
        // The merge document is read here, off the first frame's path.
        let mut sync = match Sync::open(&store) {
            Ok(Some(s)) => s,
            _ => return,
        };
        let folder = sync.folder().clone();
        let mut seen: Option<Listing> = None;
        let mut idle = ANYWAY;
        loop {
            // `duet sync leave` from the shell: nothing more to say, or to do.
            if matches!(store.pairing(), Ok(None)) {
                set(None);
                return;
            }
            if !folder.reachable() {
                set(Some(SyncState::FolderMissing.word()));
            } else {
                let listing = folder.list().ok();
                let saved = store.outbox_is_empty().map(|e| !e).unwrap_or(false);
                if saved || listing != seen || idle >= ANYWAY {
                    idle = 0;
                    #[allow(clippy::disallowed_methods)] // the loop's thread reads its own clock
                    let now = Utc::now();
                    let _busy = busy_here.lock();
                    if stopping_here.load(Ordering::SeqCst) {
                        return;
                    }
                    match sync.step(&mut store, now) {
                        Ok(out) => set(Some(out.state().word())),
                        Err(_) => set(Some(problem(&folder))),
                    }
                    // The step's own file isn't news.
                    seen = folder.list().ok();
                } else {
                    idle += 1;
                }
            }
            match wake.recv_timeout(LOOK) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    });
    Some(Worker {
        state,
        poke,
        busy,
        stopping,
    })
}

fn problem(folder: &Folder) -> &'static str {
    if folder.reachable() {
        "sync problem"
    } else {
        SyncState::FolderMissing.word()
    }
}
