//! Trends on a fixed synthetic year, the two gentle notes, and the Markdown summary.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use duet::action::Pane;
use duet::app::App;
use duet::domain::CheckInDraft;
use duet::store::Store;
use duet::trends::{Metric, Span};
use ratatui::crossterm::event::KeyCode;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// A year of Alex and Sam from the demo generator, then `last` evenings set by `closeness`.
fn year(last: i64, closeness: impl Fn(i64, usize) -> u8) -> TestApp {
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_snapshot(&duet::demo::generate(1, 42, today()), now())
        .unwrap();
    let couple = store.couple().unwrap();
    for n in 0..last {
        for (seat, p) in couple.iter().enumerate() {
            let c = closeness(n, seat);
            let draft = CheckInDraft {
                mood: c,
                closeness: c,
                ..Default::default()
            };
            store
                .save_checkin(&p.id, today() - Duration::days(n), &draft, now())
                .unwrap();
        }
    }
    let mut app = App::new(store, zone(), now()).unwrap();
    app.set_no_color(true);
    go(&mut app, Pane::Trends);
    app
}

#[test]
fn a_year_at_a_glance_in_each_span() {
    let mut app = year(0, |_, _| 3);
    assert!(app.trends().data.is_some(), "loaded when the pane opened");
    insta::assert_snapshot!("trends_30", screen(&app));
    show_span(&mut app, Span::Year);
    show_metric(&mut app, Metric::Mood);
    insta::assert_snapshot!("trends_365_mood", screen(&app));
    insta::assert_snapshot!("trends_120x40", render(&app, 120, 40));
}

#[test]
fn seeing_the_week_differently_is_noted() {
    let app = year(7, |_, seat| if seat == 0 { 5 } else { 2 });
    let t = app.trends().data.as_ref().unwrap();
    assert!(t.diverging && !t.counsellor);
    insta::assert_snapshot!("trends_divergence", screen(&app));
}

#[test]
fn three_hard_weeks_bring_a_gentle_note_that_can_be_set_aside() {
    let mut app = year(21, |_, _| 2);
    assert!(app.trends().data.as_ref().unwrap().counsellor);
    insta::assert_snapshot!("trends_counsellor", screen(&app));
    why_counsellor(&mut app);
    let why = screen(&app);
    assert!(why.contains("Why we suggest it"), "{why}");
    press(&mut app, KeyCode::Esc);
    set_note_aside(&mut app);
    assert!(!app.trends().data.as_ref().unwrap().counsellor, "set aside");
    assert!(app
        .store()
        .counsellor_note_dismissed_at()
        .unwrap()
        .is_some());
    // Nothing is blocked: the other panes work as before.
    go(&mut app, Pane::Tonight);
    assert!(screen(&app).contains("Tonight"));
}

#[test]
fn an_empty_journal_has_calm_trends() {
    let mut app = app();
    go(&mut app, Pane::Trends);
    insta::assert_snapshot!("trends_empty", screen(&app));
}

/// The Markdown summary of the last four weeks of the synthetic year, kept as a golden file.
/// Set UPDATE_GOLDEN=1 to rewrite it after a deliberate change, then read the diff.
#[test]
fn the_markdown_summary_matches_the_golden_file() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_snapshot(&duet::demo::generate(1, 42, today()), now())
        .unwrap();
    let md = duet::report::markdown(
        &store,
        today() - Duration::days(27),
        today(),
        now().with_timezone(&zone()),
    )
    .unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/summary.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &md).unwrap();
    }
    let golden =
        std::fs::read_to_string(&path).expect("tests/golden/summary.md (run with UPDATE_GOLDEN=1)");
    assert_eq!(md, golden);
    for heading in [
        "# Alex & Sam",
        "## How the evenings went",
        "## Weekly check-ins",
        "## Agreements",
        "## Wins",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(
        !md.contains("You made coffee before I woke up\n- "),
        "a daily check-in's words leaked"
    );
}

#[test]
fn markdown_escapes_what_would_be_formatting() {
    let mut store = Store::open_in_memory().unwrap();
    let [a, _] = store.set_partners(["Alex", "Sam"], now()).unwrap();
    let draft = duet::domain::WinDraft {
        text: "*bold* [link](x) # not a heading".into(),
        ..Default::default()
    };
    store.add_win(&a.id, &draft, today(), now()).unwrap();
    let md =
        duet::report::markdown(&store, today(), today(), now().with_timezone(&zone())).unwrap();
    assert!(
        md.contains("\\*bold\\* \\[link\\](x) \\# not a heading"),
        "{md}"
    );
}

#[test]
fn the_counsellor_reasons_open_only_with_the_note() {
    let mut app = year(0, |_, _| 3);
    assert!(!app.trends().data.as_ref().unwrap().counsellor);
    why_counsellor(&mut app);
    assert!(app.overlay().is_none(), "reasons shown without the note");
}

/// Whatever they typed reads back literally in the summary, rendered by a CommonMark parser
/// with the usual extensions (strikethrough, tables, math): no rule, list, heading, bold,
/// entity or formula made of their words.
#[test]
fn every_user_text_renders_literally_in_the_summary() {
    use pulldown_cmark::{html, Options, Parser};
    let texts = [
        "---",
        "1986. A good year",
        "+ one",
        "- two",
        "= three",
        "Fish & chips &amp; peas",
        "~~gone~~ or not",
        "$x + y$ costs $5",
        "*bold* and _it_ [link](x) <b>tag</b> `code` # hash | pipe",
        "2) second",
    ];
    let mut store = Store::open_in_memory().unwrap();
    let [a, b] = store.set_partners(["Alex", "Sam"], now()).unwrap();
    for t in texts {
        let draft = duet::domain::WinDraft {
            text: t.into(),
            ..Default::default()
        };
        store.add_win(&a.id, &draft, today(), now()).unwrap();
    }
    let mut m = duet::domain::Meeting::new(today(), now());
    m.completed_at = Some(now());
    m.intentions = vec!["Walk more\nand talk".into()];
    m.answers.appreciations = Some([(b.id.clone(), "---\n+ one".to_string())].into());
    store
        .save_meeting_over(&duet::domain::Meeting::new(today(), now()), &m)
        .unwrap();
    let md =
        duet::report::markdown(&store, today(), today(), now().with_timezone(&zone())).unwrap();
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_MATH);
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(&md, options));
    for bad in [
        "<hr",
        "<ol",
        "<del",
        "<em",
        "<code",
        "<table",
        "class=\"math",
    ] {
        assert!(!out.contains(bad), "{bad} in:\n{out}\nfrom:\n{md}");
    }
    for t in texts {
        let shown = t
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(out.contains(&shown), "{t:?} isn't literal in:\n{out}");
    }
    assert!(out.contains("<strong>Walk more and talk</strong>"), "{out}");
}

/// A journal a few days old counts its evenings together out of the days it has existed.
#[test]
fn a_new_journal_counts_its_evenings_out_of_its_own_days() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .set_partners(["Alex", "Sam"], now() - Duration::days(2))
        .unwrap();
    let t = duet::trends::Trends::load(&store, duet::trends::Span::Month, today(), now()).unwrap();
    let lines = t.sign_lines().join("\n");
    assert!(lines.contains("Evenings together: 0 of 3"), "{lines}");
}

/// The calendar shows every evening of a 31-day month, the 31st too, at 80 columns.
#[test]
fn the_calendar_shows_the_31st_of_a_long_month() {
    let app = year(0, |_, _| 3);
    let s = screen(&app);
    let october = s
        .lines()
        .find_map(|l| l.split("│ Oct ").nth(1))
        .unwrap_or_else(|| panic!("no October row:\n{s}"));
    let evenings = october
        .chars()
        .take_while(|c| matches!(c, '●' | '○' | '·'))
        .count();
    assert_eq!(evenings, 31, "{s}");
}

/// At 80×24 (and 60×20, 120×40) the year's chart is one line a partner, each in its own band
/// beside the name, so whose line it is is in words; each line reaches tonight.
#[test]
fn each_partner_has_a_chart_of_one_line_with_the_name_beside_it() {
    // A year that ends last night: tonight nobody has checked in yet.
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_snapshot(
            &duet::demo::generate(1, 42, today() - Duration::days(1)),
            now(),
        )
        .unwrap();
    let mut app = App::new(store, zone(), now()).unwrap();
    app.set_no_color(true);
    show_span(&mut app, Span::Year);
    for (w, h) in [(80, 24), (60, 20), (120, 40)] {
        let s = render(&app, w, h);
        let rows: Vec<&str> = s.lines().collect();
        let row_of = |name: &str| {
            rows.iter()
                .position(|r| r.starts_with(&format!("│ {name} ")))
                .unwrap_or_else(|| panic!("{name} beside a chart at {w}×{h}:\n{s}"))
        };
        let (alex, sam) = (row_of("Alex"), row_of("Sam"));
        assert!(sam > alex + 2, "a band each at {w}×{h}:\n{s}");
        // The newest point holds whole evenings, so each line reaches the right edge.
        for (name, from, to) in [("Alex", alex, sam), ("Sam", sam, sam + (sam - alex))] {
            let reaches = rows[from..to.min(rows.len())].iter().any(|r| {
                r.split('│').nth(2).is_some_and(|graph| {
                    let width = graph.chars().count();
                    graph.trim_end().chars().count() + 1 >= width
                })
            });
            assert!(reaches, "{name}'s line reaches tonight at {w}×{h}:\n{s}");
        }
        assert!(
            w < 80 || rows[3].contains("Nov 2025 – Nov 2026"),
            "the dates in words at {w}×{h}: {}",
            rows[3]
        );
    }
}

/// A note that wraps goes on under its first word, not at the screen's edge.
#[test]
fn a_long_note_wraps_under_its_words() {
    let app = year(7, |_, seat| if seat == 0 { 5 } else { 2 });
    for w in [60, 80] {
        let s = render(&app, w, 24);
        let lines: Vec<&str> = s.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with(" ◇ This week"))
            .expect("the note");
        assert!(lines[at + 1].starts_with("   "), "{s}");
        assert!(!lines[at + 1].starts_with("    "), "{s}");
    }
}
