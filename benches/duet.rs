//! "Fast with ten years of evenings": the paths a person waits on, at 1, 10 and 50 years of
//! demo journal.
//!
//! Run with `cargo bench --bench duet` (all of it takes a few minutes on two cores), or one
//! group with e.g. `cargo bench --bench duet -- first_frame`.
//!
//! The journals are written once per run, before anything is timed, into a temporary folder
//! that is removed at the end.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, SamplingMode};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use duet::action::{Action, Pane};
use duet::app::App;
use duet::store::Store;

const YEARS: [u32; 3] = [1, 10, 50];
const SEED: u64 = 7;
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

/// The one clock reading of every benchmark: a Monday evening.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 20, 30, 0)
        .single()
        .expect("a valid fixed time")
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn tz() -> FixedOffset {
    FixedOffset::east_opt(0).expect("UTC is a valid offset")
}

struct Journal {
    years: u32,
    path: PathBuf,
}

/// Writes the 1-, 10- and 50-year demo journals into `dir`.
fn write_journals(dir: &Path) -> Vec<Journal> {
    YEARS
        .iter()
        .map(|&years| {
            let started = Instant::now();
            let path = dir.join(format!("duet-{years}y.db"));
            let snapshot = duet::demo::generate(years, SEED, today());
            let mut store = Store::open(&path).expect("open a new journal");
            let counts = store
                .import_snapshot(&snapshot, now())
                .expect("import the demo journal");
            drop(store);
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            eprintln!(
                "prepared {years:>2}-year journal: {} rows, {:.1} MiB, in {:.2?}",
                counts.added,
                size as f64 / (1024.0 * 1024.0),
                started.elapsed()
            );
            Journal { years, path }
        })
        .collect()
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal")
}

fn open_app(path: &Path) -> App<FixedOffset> {
    let store = Store::open(path).expect("open the journal");
    App::new(store, tz(), now()).expect("build the app")
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App<FixedOffset>) {
    terminal
        .draw(|f| duet::ui::render(f, app))
        .expect("draw a frame");
}

/// Open the journal, build the app, draw the first frame: what a person waits for at launch.
/// Closing the journal afterwards is not timed.
fn bench_first_frame(c: &mut Criterion, journals: &[Journal]) {
    let mut group = c.benchmark_group("first_frame");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for j in journals {
        group.bench_with_input(BenchmarkId::from_parameter(j.years), &j.path, |b, path| {
            b.iter_batched(
                || (),
                |()| {
                    let app = open_app(path);
                    let mut terminal = terminal();
                    draw(&mut terminal, &app);
                    (app, terminal)
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// The same path in its three parts, to see which one grows with the journal: opening it
/// (schema check, pragmas), building the app (every query the first screen needs), and
/// drawing the first frame of an already-built app.
fn bench_first_frame_parts(c: &mut Criterion, journals: &[Journal]) {
    let mut group = c.benchmark_group("first_frame_parts");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    for j in journals {
        group.bench_with_input(BenchmarkId::new("open", j.years), &j.path, |b, path| {
            b.iter_batched(
                || (),
                |()| Store::open(path).expect("open the journal"),
                BatchSize::PerIteration,
            )
        });
        group.bench_with_input(BenchmarkId::new("app_new", j.years), &j.path, |b, path| {
            b.iter_batched(
                || Store::open(path).expect("open the journal"),
                |store| App::new(store, tz(), now()).expect("build the app"),
                BatchSize::PerIteration,
            )
        });
        let app = open_app(&j.path);
        group.bench_function(BenchmarkId::new("render", j.years), |b| {
            b.iter_batched_ref(terminal, |t| draw(t, &app), BatchSize::PerIteration)
        });
    }
    group.finish();
}

/// Switching to each pane from the one before it (in `Pane::ALL` order) and drawing it. The
/// switch away (and its frame) is not timed, so every timed frame is a real change of screen.
fn bench_pane_switch(c: &mut Criterion, journals: &[Journal]) {
    let mut group = c.benchmark_group("pane_switch");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    for j in journals {
        let mut app = open_app(&j.path);
        let mut terminal = terminal();
        draw(&mut terminal, &app);
        for (i, &pane) in Pane::ALL.iter().enumerate() {
            let from = Pane::ALL[(i + Pane::ALL.len() - 1) % Pane::ALL.len()];
            let id = BenchmarkId::new(format!("{pane:?}"), j.years);
            group.bench_function(id, |b| {
                b.iter_custom(|iters| {
                    let mut timed = Duration::ZERO;
                    for _ in 0..iters {
                        app.update(Action::GoPane(from));
                        draw(&mut terminal, &app);
                        let t0 = Instant::now();
                        app.update(black_box(Action::GoPane(pane)));
                        draw(&mut terminal, &app);
                        timed += t0.elapsed();
                    }
                    timed
                })
            });
        }
    }
    group.finish();
}

/// One step down the Wins list, and its frame. At the end of the loaded page the selection
/// goes back to the top, untimed, so every timed step moves.
fn bench_keypress(c: &mut Criterion, journals: &[Journal]) {
    let mut group = c.benchmark_group("keypress");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    for j in journals {
        let mut app = open_app(&j.path);
        let mut terminal = terminal();
        app.update(Action::GoPane(Pane::Wins));
        draw(&mut terminal, &app);
        group.bench_function(BenchmarkId::from_parameter(j.years), |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    if app.wins().selected + 1 >= app.wins().list.len() {
                        app.update(Action::Top);
                        draw(&mut terminal, &app);
                    }
                    let t0 = Instant::now();
                    app.update(black_box(Action::Down));
                    draw(&mut terminal, &app);
                    timed += t0.elapsed();
                }
                timed
            })
        });
    }
    group.finish();
}

/// The weekly meeting's status, history query included (what `duet status` and every reload do).
fn bench_weekly_status(c: &mut Criterion, journals: &[Journal]) {
    let mut group = c.benchmark_group("weekly_status");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    for j in journals {
        let store = Store::open(&j.path).expect("open the journal");
        let settings = store.settings().expect("read the settings");
        let local_now = now().with_timezone(&tz());
        group.bench_function(BenchmarkId::from_parameter(j.years), |b| {
            b.iter(|| {
                let history = duet::schedule::history(black_box(&store), &local_now, &settings)
                    .expect("read the history");
                duet::schedule::weekly_status(local_now, &settings, &history)
            })
        });
    }
    group.finish();
}

/// The whole journal as pretty JSON (`duet export`).
fn bench_export_json(c: &mut Criterion, journals: &[Journal]) {
    let mut group = c.benchmark_group("export_json");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for j in journals {
        let store = Store::open(&j.path).expect("open the journal");
        group.bench_function(BenchmarkId::from_parameter(j.years), |b| {
            b.iter(|| duet::transfer::export_json(black_box(&store)).expect("export"))
        });
    }
    group.finish();
}

/// Opening the Journal pane for the first time in a session: its first page of evenings read
/// and drawn. The app is built fresh (untimed) for each opening.
fn bench_journal_open(c: &mut Criterion, journals: &[Journal]) {
    let mut group = c.benchmark_group("journal_open");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for j in journals {
        group.bench_with_input(BenchmarkId::from_parameter(j.years), &j.path, |b, path| {
            b.iter_batched(
                || {
                    let app = open_app(path);
                    let mut terminal = terminal();
                    draw(&mut terminal, &app);
                    (app, terminal)
                },
                |(mut app, mut terminal)| {
                    app.update(black_box(Action::GoPane(Pane::Journal)));
                    draw(&mut terminal, &app);
                    (app, terminal)
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// Two paired devices on the 10-year journal: the other device logs an evening (a check-in
/// and a win) and writes its file (untimed); this device's sync step reads the file, merges
/// it and writes the rows (timed). The merge document is already in memory, as in the app.
fn bench_sync_evening(c: &mut Criterion, journals: &[Journal]) {
    use duet::domain::{CheckInDraft, WinDraft};
    use duet::sync::{self, Sync};
    let Some(j) = journals.iter().find(|j| j.years == 10) else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join("shared");
    std::fs::create_dir(&folder).expect("the shared folder");
    let here_path = dir.path().join("here.db");
    std::fs::copy(&j.path, &here_path).expect("a copy of the journal");
    let mut here = Store::open(&here_path).expect("open the journal");
    let [alex, sam] = here.couple().expect("a couple");
    let code = sync::init(&mut here, &folder, &alex.id, now()).expect("pair");
    let mut there = Store::open(&dir.path().join("there.db")).expect("a new journal");
    let who = |ps: &[duet::domain::Partner]| Ok(ps[1].clone());
    sync::join(&mut there, &folder, &code, &who, now()).expect("join");
    let mut here_sync = Sync::open(&here).expect("read").expect("paired");
    let mut there_sync = Sync::open(&there).expect("read").expect("paired");
    here_sync.step(&mut here, now()).expect("a first step");
    let mut group = c.benchmark_group("sync_apply_evening");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let mut n = 0u32;
    group.bench_function(BenchmarkId::from_parameter(j.years), |b| {
        b.iter_batched(
            || {
                n += 1;
                let evening = today() + chrono::Duration::days(i64::from(n));
                let draft = CheckInDraft {
                    mood: 4,
                    closeness: 4,
                    appreciation: format!("You listened, evening {n}"),
                    ..Default::default()
                };
                there
                    .save_checkin(&sam.id, evening, &draft, now())
                    .expect("a check-in");
                let win = WinDraft {
                    text: format!("A walk, evening {n}"),
                    about: None,
                    tags: vec![],
                };
                there.log_win(&sam.id, &win, evening, now()).expect("a win");
                there_sync.step(&mut there, now()).expect("their step");
            },
            |()| {
                let out = here_sync.step(&mut here, now()).expect("our step");
                assert_eq!(out.rows_changed, 2, "{out:?}");
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn all(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let journals = write_journals(dir.path());
    bench_first_frame(c, &journals);
    bench_first_frame_parts(c, &journals);
    bench_pane_switch(c, &journals);
    bench_journal_open(c, &journals);
    bench_keypress(c, &journals);
    bench_weekly_status(c, &journals);
    bench_export_json(c, &journals);
    bench_sync_evening(c, &journals);
}

fn config() -> Criterion {
    Criterion::default().without_plots()
}

criterion_group! {
    name = benches;
    config = config();
    targets = all
}
criterion_main!(benches);
