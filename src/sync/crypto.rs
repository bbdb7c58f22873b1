//! Everything put in the shared folder is sealed: XChaCha20-Poly1305 under the journal's sync
//! key, with the file's place in the folder bound in, so a renamed, swapped or altered file is
//! refused. The pairing bundle is sealed the same way under a key made from a one-time code.

use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

/// Bytes of a nonce, written before each sealed file's ciphertext.
const NONCE: usize = 24;
/// Bytes of the key's fingerprint, written first: a file sealed with another journal's key is
/// told apart from one cut short or altered.
const KEY_ID: usize = 8;
/// The start of every sealed file: what isn't one (a stray file with our name pattern) reads
/// as damaged, never as "sealed with another key".
const MAGIC: &[u8] = b"duet-sealed-1\0";

/// What opening a sealed file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    Plain(Vec<u8>),
    /// Sealed with another key (another pairing of these devices, say).
    OtherKey,
    /// Cut short, altered, or moved from another place.
    Damaged,
    /// Not a sealed file at all: something else under a sealed file's name.
    Foreign,
}

/// A 32-byte key: the sync key kept in the journal, or one made from a pairing code.
#[derive(Clone, PartialEq, Eq)]
pub struct SyncKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for SyncKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyncKey(hidden)")
    }
}

impl SyncKey {
    pub fn random() -> SyncKey {
        let mut k = Zeroizing::new([0u8; 32]);
        random_bytes(k.as_mut_slice());
        SyncKey(k)
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<SyncKey> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(SyncKey(Zeroizing::new(array)))
    }

    pub fn bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// A fingerprint of the key that says nothing about it.
    fn id(&self) -> [u8; KEY_ID] {
        use sha2::{Digest, Sha256};
        let h = Sha256::new()
            .chain_update(b"duet sync key id\0")
            .chain_update(self.bytes())
            .finalize();
        h[..KEY_ID].try_into().expect("8 bytes of a hash")
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new_from_slice(self.bytes()).expect("a 32-byte key")
    }

    /// `plain`, sealed for the file at `place` (its path inside the shared folder).
    pub fn seal(&self, place: &str, plain: &[u8]) -> Vec<u8> {
        let nonce = XNonce::generate();
        let sealed = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: place.as_bytes(),
                },
            )
            .expect("encrypting to memory can't fail");
        let mut out = Vec::with_capacity(MAGIC.len() + KEY_ID + NONCE + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.id());
        out.extend_from_slice(nonce.as_slice());
        out.extend_from_slice(&sealed);
        out
    }

    /// What was sealed for `place`, if it opens whole with this key.
    pub fn open(&self, place: &str, sealed: &[u8]) -> Option<Vec<u8>> {
        match self.open_telling(place, sealed) {
            Opened::Plain(p) => Some(p),
            _ => None,
        }
    }

    /// What was sealed for `place`, or why it doesn't open.
    pub fn open_telling(&self, place: &str, sealed: &[u8]) -> Opened {
        let Some(sealed) = sealed.strip_prefix(MAGIC) else {
            // The start of one, still arriving, is a file cut short.
            return if MAGIC.starts_with(sealed) {
                Opened::Damaged
            } else {
                Opened::Foreign
            };
        };
        let Some((id, rest)) = sealed.split_at_checked(KEY_ID) else {
            return Opened::Damaged;
        };
        if id != self.id() {
            return Opened::OtherKey;
        }
        let Some((nonce, body)) = rest.split_at_checked(NONCE) else {
            return Opened::Damaged;
        };
        let Ok(nonce) = XNonce::try_from(nonce) else {
            return Opened::Damaged;
        };
        self.cipher()
            .decrypt(
                &nonce,
                Payload {
                    msg: body,
                    aad: place.as_bytes(),
                },
            )
            .map_or(Opened::Damaged, Opened::Plain)
    }
}

pub fn random_bytes(buf: &mut [u8]) {
    // The operating system's generator; without it no key can be made safely at all.
    getrandom::fill(buf).expect("the system's random number generator is unavailable");
}

/// The letters a pairing code is written in (Crockford's base 32): no I, L, O or U, so
/// nothing read aloud or typed can be mistaken for something else.
const CODE_LETTERS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A one-time pairing code: 16 letters (80 bits), shown as four groups of four.
pub fn new_pairing_code() -> String {
    let mut bytes = [0u8; 10];
    random_bytes(&mut bytes);
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(b);
    }
    let letters: Vec<u8> = (0..16)
        .map(|i| CODE_LETTERS[((bits >> (75 - 5 * i)) & 31) as usize])
        .collect();
    letters
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A typed code as it was shown: case, spaces and dashes don't matter, and letters easy to
/// mistake for digits count as those digits. `None` when it can't be a pairing code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let letters: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' | '0' => '0',
            'I' | 'L' | '1' => '1',
            c => c,
        })
        .collect();
    let ok = letters.len() == 16 && letters.bytes().all(|b| CODE_LETTERS.contains(&b));
    ok.then_some(letters)
}

/// The key a pairing code and the bundle's salt make (Argon2id): slow on purpose, so the code
/// can't be guessed quickly from a copy of the bundle.
pub fn key_from_code(code: &str, salt: &[u8]) -> SyncKey {
    use argon2::{Algorithm, Argon2, Params, Version};
    let params = Params::new(19 * 1024, 2, 1, Some(32)).expect("valid Argon2 parameters");
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(code.as_bytes(), salt, out.as_mut_slice())
        .expect("a salt of 16 bytes and a 32-byte key are valid");
    SyncKey(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_file_opens_only_whole_in_its_own_place_with_its_own_key() {
        let key = SyncKey::random();
        let sealed = key.seal("duet-j/d/1.chunk", b"Alex: you listened");
        assert_eq!(
            key.open("duet-j/d/1.chunk", &sealed).as_deref(),
            Some(&b"Alex: you listened"[..])
        );
        assert!(
            !sealed.windows(6).any(|w| w == b"listen"),
            "plain words in the sealed bytes"
        );
        assert_eq!(key.open("duet-j/d/2.chunk", &sealed), None, "moved");
        assert_eq!(
            key.open("duet-j/d/1.chunk", &sealed[..sealed.len() - 1]),
            None,
            "cut"
        );
        let mut altered = sealed.clone();
        altered[30] ^= 1;
        assert_eq!(key.open("duet-j/d/1.chunk", &altered), None, "altered");
        assert_eq!(
            SyncKey::random().open_telling("duet-j/d/1.chunk", &sealed),
            Opened::OtherKey
        );
        // Random bytes under a sealed file's name aren't another key's file, nor damage.
        let stray: Vec<u8> = (0..200u32).map(|i| (i * 37 % 251) as u8).collect();
        assert_eq!(
            key.open_telling("duet-j/d/1.chunk", &stray),
            Opened::Foreign
        );
        // The start of a sealed file, still arriving, is a file cut short.
        assert_eq!(
            key.open_telling("duet-j/d/1.chunk", &sealed[..5]),
            Opened::Damaged
        );
    }

    #[test]
    fn a_pairing_code_reads_back_however_it_is_typed() {
        let code = new_pairing_code();
        assert_eq!(code.len(), 19, "{code}");
        let plain = normalize_code(&code).unwrap();
        assert_eq!(
            normalize_code(&code.to_lowercase().replace('-', " ")),
            Some(plain.clone())
        );
        assert_ne!(new_pairing_code(), code, "two codes alike");
        assert_eq!(normalize_code("ABCD-EFGH"), None);
        assert_eq!(normalize_code("ABCD-EFGH-JKMN-PQR!"), None);
        let salt = [7u8; 16];
        assert_eq!(key_from_code(&plain, &salt), key_from_code(&plain, &salt));
        assert_ne!(
            key_from_code(&plain, &salt),
            key_from_code(&plain, &[8u8; 16])
        );
    }
}
