//! The import, fed arbitrary bytes: it must answer every file with a value or a typed error,
//! never a panic or a hang. A file that parses is also written into an in-memory journal and
//! read back, so problems of shape and range are fuzzed too, not only parsing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match duet::transfer::parse(text) {
        Err(e) => {
            // Every error must render as one line.
            assert!(!e.to_string().contains('\n') || text.contains('\n'));
        }
        Ok(snapshot) => {
            let mut store = duet::store::Store::open_in_memory().expect("an in-memory journal");
            let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("a fixed time");
            if store.import_snapshot(&snapshot, now).is_ok() {
                // Whatever was let in must read back out.
                duet::transfer::export_json(&store).expect("an imported journal exports");
            }
        }
    }
});
