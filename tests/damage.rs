//! Damage is noticed, not copied: `duet check` finds it and names the way back, a backup of a
//! damaged journal is refused unless asked for, and the way back it names works.

mod common;

use common::journal::Journal;

/// Overwrites the start of a few pages near the end of the file (rows, not the schema, so the
/// journal still opens): what a torn copy or a bad disk does.
fn damage(j: &Journal) {
    let mut bytes = std::fs::read(&j.path).unwrap();
    let pages = bytes.len() / 4096;
    for page in [pages - 3, pages - 6, pages - 9] {
        let at = page * 4096;
        assert!(bytes.len() > at + 64, "the journal is too small to damage");
        bytes[at..at + 5].copy_from_slice(&[0x0d, 0, 0, 0xff, 0xff]);
        bytes[at + 5..at + 45].fill(0xee);
    }
    std::fs::write(&j.path, bytes).unwrap();
}

fn backups(j: &Journal) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(j.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".backup-"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_sound_journal_checks_sound() {
    let j = Journal::new();
    j.ok(&["demo", "--years", "2"]);
    let said = j.ok(&["check"]);
    assert!(said.starts_with("The journal is sound:"), "{said}");
}

#[test]
fn damage_is_found_named_and_not_backed_up_and_the_way_back_works() {
    let j = Journal::new();
    j.ok(&["demo", "--years", "2"]);
    let sound = j.ok(&["export"]);
    j.ok(&["backup"]);
    let kept = backups(&j);
    damage(&j);

    let out = j.run(&["check"]);
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(said.starts_with("The journal looks damaged"), "{said}");
    assert!(
        said.contains(&kept[0]),
        "the sound backup isn't named: {said}"
    );

    j.refused(&["backup"], 1, "looks damaged");
    assert_eq!(backups(&j), kept, "a damaged copy was made");

    // The commands it gives, as a person would type them.
    let commands: Vec<&str> = said
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("cp ") || l.starts_with("rm "))
        .collect();
    assert_eq!(commands.len(), 2, "{said}");
    for c in commands {
        let ran = std::process::Command::new("sh")
            .arg("-c")
            .arg(c)
            .status()
            .unwrap();
        assert!(ran.success(), "{c}");
    }
    assert!(j.ok(&["check"]).starts_with("The journal is sound"));
    assert_eq!(j.ok(&["export"]), sound);
}
