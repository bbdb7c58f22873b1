//! The import parser, fed arbitrary bytes: it must answer every file with a value or a typed
//! error, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = duet::transfer::parse(text) {
            // Every error must render as one line.
            assert!(!e.to_string().contains('\n') || text.contains('\n'));
        }
    }
});
