//! What went wrong is said as it is: a journal that can't be read is not "the terminal
//! failed", and a stored value that doesn't parse is a calm sentence, never the database
//! library's own words.

mod common;

use common::journal::Journal;

/// A journal set up as usual, then with one stored value that no duet would have written.
fn journal_with_weekly_time(text: &str) -> Journal {
    let j = Journal::new();
    j.setup();
    let conn = rusqlite::Connection::open(&j.path).unwrap();
    conn.execute("UPDATE settings SET weekly_time = ?1", [text])
        .unwrap();
    j
}

#[test]
fn a_value_that_cant_be_read_is_one_calm_line_in_every_command_and_the_app() {
    let j = journal_with_weekly_time("7pm");
    let needle = "part of the journal can't be read (weekly time); a backup copy may help";
    // No command at all opens the app: it reads the first screen before taking the terminal.
    for args in [&["status"][..], &["remind"], &["calendar"], &[]] {
        j.refused(args, 1, needle);
        let err = String::from_utf8(j.run(args).stderr).unwrap();
        assert!(
            !err.contains("Conversion") && !err.contains("terminal"),
            "{args:?}: {err}"
        );
    }
}
