//! A journal's passphrase, as it is kept in memory.

use crate::error::ValidationError;

/// A journal's passphrase. It lives only in memory: it is zeroed when dropped, and its Debug
/// form hides it, so neither a log line nor a panic message can carry it.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(zeroize::Zeroizing<String>);

pub const MIN_PASSPHRASE: usize = 8;
const MAX_PASSPHRASE: usize = 1024;

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(hidden)")
    }
}

impl Passphrase {
    /// A passphrase to open a journal with: whatever was typed, in NFC so the same words typed
    /// on another keyboard or system still match.
    pub fn typed(s: &str) -> Passphrase {
        use unicode_normalization::UnicodeNormalization;
        Passphrase(zeroize::Zeroizing::new(s.nfc().collect()))
    }

    /// A passphrase chosen for a journal: long enough to be worth having.
    pub fn chosen(s: &str) -> Result<Passphrase, ValidationError> {
        let p = Passphrase::typed(s);
        if p.0.trim().is_empty() {
            return Err(ValidationError::Empty {
                field: "the passphrase",
            });
        }
        let len = p.0.chars().count();
        if len < MIN_PASSPHRASE {
            return Err(ValidationError::Rule(format!(
                "the passphrase needs at least {MIN_PASSPHRASE} characters (it has {len}); a few words is best"
            )));
        }
        if len > MAX_PASSPHRASE {
            return Err(ValidationError::TooLong {
                field: "the passphrase",
                len,
                max: MAX_PASSPHRASE,
            });
        }
        if p.0.chars().any(char::is_control) {
            return Err(ValidationError::ControlCharacter {
                field: "the passphrase",
            });
        }
        Ok(p)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}
