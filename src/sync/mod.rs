//! Two laptops, one journal: each partner keeps duet on their own device, and the two journals
//! meet through a folder the couple already syncs (Syncthing, Dropbox, iCloud Drive, git).
//! Everything put there is sealed; the journal itself never goes there.

pub mod crypto;
pub mod doc;
mod engine;
pub mod folder;
mod pairing;
mod rules;

pub use engine::{Outcome, Sync, SyncState};
pub use pairing::{init, join, leave, Joined};
pub use rules::{BOTH_LINES, BOTH_TEXTS};
