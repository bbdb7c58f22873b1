//! Imports run one way: domain ← store ← {schedule, trends, report, readback, transfer, sync}
//! ← app ← ui ← tui,
//! and the commands use the store, the schedule, the report and sync, never the app or its
//! drawing.
//! This reads the sources and fails on any `crate::` path that runs the wrong way.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Which top-level modules a module of `src/` (its file, or its folder) may never name.
const RULES: &[(&str, &[&str])] = &[
    (
        "text",
        &["domain", "store", "app", "ui", "cli", "tui", "sync"],
    ),
    ("domain", &["store", "app", "ui", "cli", "tui", "sync"]),
    ("store", &["app", "ui", "cli", "tui", "sync"]),
    ("schedule", &["app", "ui", "cli", "tui"]),
    ("trends", &["app", "ui", "cli", "tui"]),
    ("report", &["app", "ui", "cli", "tui"]),
    ("readback", &["app", "ui", "cli", "tui"]),
    ("transfer", &["app", "ui", "cli", "tui"]),
    (
        "sync",
        &[
            "app", "ui", "cli", "tui", "schedule", "trends", "report", "transfer",
        ],
    ),
    ("app", &["ui", "cli", "tui"]),
    ("ui", &["cli", "tui"]),
    ("cli", &["app", "ui", "tui"]),
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without its comments, so a doc comment that mentions a module isn't an import.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file names through `crate::`, including `crate::{a, b::c}` groups.
fn named_modules(source: &str) -> BTreeSet<String> {
    let code = code(source);
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut at_top = true;
            let mut word = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if depth == 1 && (c.is_alphanumeric() || c == '_') {
                    if at_top {
                        word.push(c);
                    }
                } else {
                    if !word.is_empty() {
                        found.insert(std::mem::take(&mut word));
                    }
                    at_top = depth == 1 && (c == ',' || (c.is_whitespace() && at_top));
                }
            }
            if !word.is_empty() {
                found.insert(word);
            }
        } else {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !word.is_empty() {
                found.insert(word);
            }
        }
    }
    found
}

#[test]
fn the_reader_sees_groups_and_paths_alike() {
    let seen = named_modules(
        "use crate::{app::App, ui,\n  store::{Store, WinFilter}};\n// crate::cli\nlet x = crate::text::fit(a, 3);",
    );
    let expected: BTreeSet<String> = ["app", "ui", "store", "text"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn imports_run_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut wrong = Vec::new();
    let mut unmatched: BTreeSet<&str> = RULES.iter().map(|(m, _)| *m).collect();
    for file in &files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let named = named_modules(&std::fs::read_to_string(file).unwrap());
        for (module, never) in RULES {
            if rel != format!("{module}.rs") && !rel.starts_with(&format!("{module}/")) {
                continue;
            }
            unmatched.remove(module);
            for m in *never {
                if named.contains(*m) {
                    wrong.push(format!("src/{rel} names crate::{m}"));
                }
            }
        }
    }
    assert!(unmatched.is_empty(), "no source file for {unmatched:?}");
    assert!(
        wrong.is_empty(),
        "imports that run the wrong way:\n{}",
        wrong.join("\n")
    );
}
