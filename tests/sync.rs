//! Two (or three) journals in temporary folders, paired through a folder of their own: what
//! each writes reaches the other, whatever order, lateness, doubling or truncation the files
//! arrive with, and in the end every journal holds the same rows, none lost.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use duet::domain::{AgreementDraft, CheckInDraft, Meeting, Partner, WinDraft};
use duet::error::SyncError;
use duet::store::{Store, WinEdit};
use duet::sync::{self, Sync};
use serde_json::Value;

fn now() -> DateTime<Utc> {
    "2026-11-23T19:00:00Z".parse().unwrap()
}

fn evening(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap() + Duration::days(n)
}

/// One device: its journal, its own copy of the shared folder, and its sync.
struct Device {
    store: Store,
    folder: PathBuf,
    sync: Option<Sync>,
}

impl Device {
    fn partners(&self) -> Vec<Partner> {
        self.store.partners().unwrap()
    }

    fn me(&self) -> String {
        self.store.pairing().unwrap().unwrap().me.unwrap()
    }

    fn step(&mut self) -> sync::Outcome {
        if self.sync.is_none() {
            self.sync = Sync::open(&self.store).unwrap();
        }
        self.sync
            .as_mut()
            .unwrap()
            .step(&mut self.store, now())
            .unwrap()
    }

    /// Every shared row, without this device's own save counts.
    fn rows(&self) -> Value {
        let mut v = serde_json::to_value(self.store.snapshot().unwrap()).unwrap();
        strip_revisions(&mut v);
        v
    }
}

fn strip_revisions(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.remove("revision");
            o.values_mut().for_each(strip_revisions);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_revisions),
        _ => {}
    }
}

struct World {
    _dir: tempfile::TempDir,
    devices: Vec<Device>,
}

fn new_device(dir: &Path, name: &str) -> Device {
    let folder = dir.join(format!("{name}-folder"));
    std::fs::create_dir(&folder).unwrap();
    Device {
        store: Store::open(&dir.join(format!("{name}.db"))).unwrap(),
        folder,
        sync: None,
    }
}

/// Copies the files a device wrote (its own subfolder, and a pairing bundle) into another's
/// copy of the folder, as a sync program would: only what differs. What came to it from
/// others is theirs to send, so a copy cut short in transit isn't passed on.
fn deliver_all(from: &Device, to: &Path) {
    for entry in own_files(from) {
        let rel = entry.strip_prefix(&from.folder).unwrap();
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let bytes = std::fs::read(&entry).unwrap();
        if std::fs::read(&target).ok().as_deref() != Some(&bytes[..]) {
            std::fs::write(&target, bytes).unwrap();
        }
    }
}

fn own_files(d: &Device) -> Vec<PathBuf> {
    let Some(p) = d.store.pairing().unwrap() else {
        return Vec::new();
    };
    let shared = d.folder.join(format!("duet-{}", p.journal_id));
    let mut files = walk(&shared.join(&p.device_id));
    let bundle = shared.join("pairing.bundle");
    if bundle.exists() {
        files.push(bundle);
    }
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Alex's device pairs first; the others join, each as the partner named.
fn paired(names: &[&str]) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut devices: Vec<Device> = names
        .iter()
        .enumerate()
        .map(|(i, _)| new_device(dir.path(), &format!("d{i}")))
        .collect();
    devices[0]
        .store
        .set_partners(["Alex", "Sam"], now())
        .unwrap();
    let alex = devices[0].partners()[0].id.clone();
    let folder0 = devices[0].folder.clone();
    let code = sync::init(&mut devices[0].store, &folder0, &alex, now()).unwrap();
    // The first device's own copy of the pairing goes when the folder syncs the removal.
    let bundle = walk(&folder0)
        .into_iter()
        .find(|p| p.ends_with("pairing.bundle"))
        .unwrap();
    for i in 1..names.len() {
        let to = devices[i].folder.clone();
        deliver_all(&devices[0], &to);
    }
    for (i, name) in names.iter().enumerate().skip(1) {
        let folder = devices[i].folder.clone();
        let who = |ps: &[Partner]| Ok(ps.iter().find(|p| p.name == *name).unwrap().clone());
        sync::join(&mut devices[i].store, &folder, &code, &who, now()).unwrap();
        assert!(
            !walk(&folder).iter().any(|p| p.ends_with("pairing.bundle")),
            "the used pairing was left in the folder"
        );
    }
    std::fs::remove_file(bundle).unwrap();
    World { _dir: dir, devices }
}

impl World {
    /// Everyone's files to everyone, then a step each, until nothing more changes.
    fn settle(&mut self) {
        for _ in 0..10 {
            for a in &self.devices {
                for b in &self.devices {
                    if a.folder != b.folder {
                        deliver_all(a, &b.folder);
                    }
                }
            }
            for d in &mut self.devices {
                d.step();
            }
        }
    }
}

fn win(d: &mut Device, text: &str) -> String {
    let me = d.me();
    d.store
        .log_win(
            &me,
            &WinDraft {
                text: text.into(),
                about: None,
                tags: vec![],
            },
            evening(3),
            now(),
        )
        .unwrap()
        .win
        .id
}

fn check_in(d: &mut Device, partner: &str, day: i64, words: &str) {
    let draft = CheckInDraft {
        mood: 4,
        closeness: 3,
        appreciation: words.into(),
        ..Default::default()
    };
    d.store
        .save_checkin(partner, evening(day), &draft, now())
        .unwrap();
}

#[test]
fn what_each_device_writes_reaches_the_other() {
    let mut w = paired(&["Alex", "Sam"]);
    let sam = w.devices[1].me();
    assert_eq!(w.devices[0].partners(), w.devices[1].partners());
    assert_ne!(w.devices[0].me(), sam, "both devices are Alex's");
    win(&mut w.devices[0], "Sam made coffee");
    check_in(&mut w.devices[1], &sam, 3, "You listened");
    w.settle();
    assert_eq!(w.devices[0].rows(), w.devices[1].rows());
    let a = &w.devices[0].store;
    assert_eq!(
        a.checkin(&sam, evening(3)).unwrap().unwrap().appreciation,
        "You listened"
    );
    assert_eq!(w.devices[1].store.win_count().unwrap(), 1);
}

#[test]
fn nothing_plain_is_left_in_the_shared_folder() {
    let mut w = paired(&["Alex", "Sam"]);
    let sam = w.devices[1].me();
    win(&mut w.devices[0], "Sam made coffee before dawn");
    check_in(&mut w.devices[1], &sam, 3, "You listened so well");
    w.settle();
    for d in &w.devices {
        for f in walk(&d.folder) {
            let bytes = std::fs::read(&f).unwrap();
            for plain in ["coffee", "listened", "Alex", "Sam"] {
                assert!(
                    !bytes.windows(plain.len()).any(|x| x == plain.as_bytes()),
                    "{plain} in {}",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn a_wrong_code_or_an_empty_folder_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = new_device(dir.path(), "a");
    a.store.set_partners(["Alex", "Sam"], now()).unwrap();
    let mut b = new_device(dir.path(), "b");
    let who = |ps: &[Partner]| Ok(ps[1].clone());
    let empty = b.folder.clone();
    assert!(matches!(
        sync::join(&mut b.store, &empty, "AAAA-AAAA-AAAA-AAAA", &who, now()),
        Err(SyncError::NoBundle { .. })
    ));
    let alex = a.partners()[0].id.clone();
    let folder = a.folder.clone();
    let code = sync::init(&mut a.store, &folder, &alex, now()).unwrap();
    deliver_all(&a, &b.folder);
    let wrong = if code.starts_with('A') { "B" } else { "A" }.to_string() + &code[1..];
    assert!(matches!(
        sync::join(&mut b.store, &empty, &wrong, &who, now()),
        Err(SyncError::WrongCode)
    ));
    assert!(b.store.pairing().unwrap().is_none() && b.partners().is_empty());
    assert!(matches!(
        sync::init(&mut a.store, &folder, &alex, now()),
        Err(SyncError::AlreadyPaired { .. })
    ));
}

#[test]
fn joining_with_a_journal_of_one_s_own_keeps_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = new_device(dir.path(), "a");
    a.store.set_partners(["Alex", "Sam"], now()).unwrap();
    let [alex, sam] = a.store.couple().unwrap();
    check_in(&mut a, &sam.id, 3, "The soup");
    // Sam had set duet up alone too, and checked in the same evening with other words.
    let mut b = new_device(dir.path(), "b");
    b.store.set_partners(["Alex", "Sam"], now()).unwrap();
    let [_, sam_b] = b.store.couple().unwrap();
    check_in(&mut b, &sam_b.id, 3, "The walk home");
    b.store
        .log_win(
            &sam_b.id,
            &WinDraft {
                text: "A quiet Sunday".into(),
                about: None,
                tags: vec![],
            },
            evening(2),
            now(),
        )
        .unwrap();
    let folder = a.folder.clone();
    let code = sync::init(&mut a.store, &folder, &alex.id, now()).unwrap();
    deliver_all(&a, &b.folder);
    let who = |ps: &[Partner]| Ok(ps.iter().find(|p| p.name == "Sam").unwrap().clone());
    let bf = b.folder.clone();
    let joined = sync::join(&mut b.store, &bf, &code, &who, now()).unwrap();
    assert_eq!(joined.own_rows, 2);
    let mut w = World {
        _dir: dir,
        devices: vec![a, b],
    };
    w.settle();
    assert_eq!(w.devices[0].rows(), w.devices[1].rows());
    let c = w.devices[0]
        .store
        .checkin(&sam.id, evening(3))
        .unwrap()
        .unwrap();
    assert!(
        c.appreciation.contains("The soup") && c.appreciation.contains("The walk home"),
        "{}",
        c.appreciation
    );
    assert_eq!(w.devices[0].store.win_count().unwrap(), 1);
    assert!(
        walk(w.devices[1].store.path().unwrap().parent().unwrap())
            .iter()
            .any(|p| p.to_string_lossy().contains(".before-join-")),
        "no copy was kept of the journal before joining"
    );
}

#[test]
fn cut_foreign_and_altered_files_wait_without_harm() {
    let mut w = paired(&["Alex", "Sam"]);
    win(&mut w.devices[0], "Sam made coffee");
    w.devices[0].step();
    let file = walk(&w.devices[0].folder)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "chunk"))
        .unwrap();
    let rel = file
        .strip_prefix(&w.devices[0].folder)
        .unwrap()
        .to_path_buf();
    let target = w.devices[1].folder.join(&rel);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&target, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(target.parent().unwrap().join("notes.txt"), "hello").unwrap();
    let out = w.devices[1].step();
    assert_eq!((out.files_waiting, out.rows_changed), (1, 0));
    let mut altered = bytes.clone();
    altered[40] ^= 1;
    std::fs::write(&target, &altered).unwrap();
    assert_eq!(w.devices[1].step().files_waiting, 1);
    std::fs::write(&target, &bytes).unwrap();
    let out = w.devices[1].step();
    assert_eq!((out.files_waiting, out.files_read), (0, 1));
    assert_eq!(w.devices[1].store.win_count().unwrap(), 1);
}

#[test]
fn a_save_before_a_kill_still_goes_out() {
    let mut w = paired(&["Alex", "Sam"]);
    win(&mut w.devices[0], "Saved, then the laptop died");
    // The sync never ran in that session; the next one finds the save in the outbox.
    let path = w.devices[0].store.path().unwrap().to_path_buf();
    w.devices[0].store = Store::open(&path).unwrap();
    w.devices[0].sync = None;
    w.settle();
    assert_eq!(w.devices[1].store.win_count().unwrap(), 1);
}

/// Random edits on each device, files delivered in random order, late, twice, or cut short
/// first: every journal ends with the same rows, and no win, check-in or agreement is lost.
#[test]
fn any_edits_in_any_delivery_order_converge() {
    for seed in 0..20u64 {
        let names: &[&str] = if seed % 3 == 2 {
            &["Alex", "Sam", "Sam"]
        } else {
            &["Alex", "Sam"]
        };
        let mut w = paired(names);
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut made_wins = Vec::new();
        let mut made_checkins = Vec::new();
        let mut made_repairs = Vec::new();
        for round in 0..6 {
            for i in 0..w.devices.len() {
                for _ in 0..rng.usize(1..4) {
                    random_edit(
                        &mut w.devices[i],
                        &mut rng,
                        round,
                        &mut made_wins,
                        &mut made_checkins,
                        &mut made_repairs,
                    );
                }
                if rng.bool() {
                    w.devices[i].step();
                }
            }
            random_delivery(&w, &mut rng);
        }
        w.settle();
        let first = w.devices[0].rows();
        for d in &w.devices[1..] {
            let other = d.rows();
            if first != other {
                panic!(
                    "seed {seed}: the journals differ: {}",
                    differences(&first, &other)
                );
            }
        }
        let store = &w.devices[0].store;
        for id in &made_wins {
            store
                .win(id)
                .unwrap_or_else(|_| panic!("seed {seed}: a win was lost"));
        }
        let kept: Vec<String> = store
            .repairs()
            .unwrap()
            .into_iter()
            .flat_map(|r| std::iter::once(r.repair.id).chain(r.responses.into_iter().map(|a| a.id)))
            .collect();
        for id in &made_repairs {
            assert!(
                kept.contains(id),
                "seed {seed}: a repair or an answer was lost"
            );
        }
        for (partner, day) in &made_checkins {
            assert!(
                store.checkin(partner, evening(*day)).unwrap().is_some(),
                "seed {seed}: a check-in was lost"
            );
        }
        for d in &w.devices {
            let own = d.store.pairing().unwrap().unwrap().device_id;
            let root = d.folder.join(format!(
                "duet-{}",
                d.store.pairing().unwrap().unwrap().journal_id
            ));
            // Each device wrote only in its own subfolder.
            for f in walk(&root.join(&own)) {
                assert!(f.to_string_lossy().ends_with(".chunk"), "{}", f.display());
            }
        }
    }
}

fn random_edit(
    d: &mut Device,
    rng: &mut fastrand::Rng,
    round: usize,
    wins: &mut Vec<String>,
    checkins: &mut Vec<(String, i64)>,
    repairs: &mut Vec<String>,
) {
    let me = d.me();
    let words = format!("words {} {}", round, rng.u32(..1000));
    match rng.u8(..12) {
        0 => wins.push(win(d, &words)),
        9 => {
            let draft = duet::domain::RepairDraft {
                what_happened: format!("Repair {words}"),
                do_differently: words.clone(),
                ..Default::default()
            };
            let r = d.store.add_repair(&me, &draft, evening(3), now()).unwrap();
            repairs.push(r.id);
        }
        10 => {
            // The other's repairs are answered here, in any of the four ways.
            let theirs: Vec<String> = d
                .store
                .repairs()
                .unwrap()
                .into_iter()
                .filter(|r| r.repair.by != me)
                .map(|r| r.repair.id)
                .collect();
            if !theirs.is_empty() {
                let r = &theirs[rng.usize(..theirs.len())];
                let response = duet::domain::Response::ALL[rng.usize(..4)];
                let a = d
                    .store
                    .respond_to_repair(r, &me, response, &words, evening(4), now())
                    .unwrap();
                repairs.push(a.id);
            }
        }
        11 => {
            let prompts = ["patience-01", "values-02", "goodtimes-03"];
            let p = prompts[rng.usize(..3)];
            match rng.u8(..3) {
                0 => d.store.choose_evening_prompt(evening(3), p, now()).unwrap(),
                1 => d.store.star_prompt(&me, p, rng.bool(), now()).unwrap(),
                _ => d.store.share_repair_words(&me, rng.bool(), now()).unwrap(),
            }
        }
        1 => {
            let day = rng.i64(0..3);
            check_in(d, &me, day, &words);
            checkins.push((me, day));
        }
        2 => {
            let all = d.store.snapshot().unwrap().wins;
            if let Some(base) = all
                .get(
                    rng.usize(..all.len().max(1))
                        .min(all.len().saturating_sub(1)),
                )
                .cloned()
                .filter(|_| !all.is_empty())
            {
                let mut edit = WinEdit::of(&base);
                edit.text = format!("{} {words}", base.text);
                edit.tags.push(format!("t{}", rng.u8(..3)));
                let _ = d.store.edit_win(&base, &edit, now());
            }
        }
        3 => {
            let all = d.store.snapshot().unwrap().wins;
            if !all.is_empty() {
                let w = &all[rng.usize(..all.len())];
                if w.deleted_at.is_some() {
                    d.store.restore_win(&w.id).unwrap();
                } else {
                    d.store.delete_win(&w.id, now()).unwrap();
                }
            }
        }
        6 => {
            // The weekly check-in: each fills in their own part of a step, sometimes the
            // shared answer too, and holds or skips the week.
            let week = evening(rng.i64(0..2) * 7);
            let base = d
                .store
                .meeting_for_week(week)
                .unwrap()
                .unwrap_or_else(|| Meeting::new(week, now()));
            let mut ours = base.clone();
            ours.answers
                .appreciations
                .get_or_insert_with(Default::default)
                .insert(me.clone(), words.clone());
            ours.answers
                .trust
                .get_or_insert_with(Default::default)
                .insert(
                    me,
                    duet::domain::Trust {
                        rating: rng.u8(1..6),
                        words: words.clone(),
                    },
                );
            if rng.bool() {
                let g = ours
                    .answers
                    .good_time
                    .get_or_insert_with(|| duet::domain::GoodTime {
                        what: words.clone(),
                        ..Default::default()
                    });
                if rng.bool() {
                    g.done_at = Some(now());
                }
            }
            if rng.bool() {
                ours.answers.week_felt = Some(words);
            }
            match rng.u8(..4) {
                0 => ours.completed_at = Some(now()),
                1 => {
                    ours.skipped_at = Some(now());
                    ours.skip_reason = Some("away".into());
                }
                _ => {}
            }
            d.store.save_meeting_over(&base, &ours).unwrap();
        }
        7 => {
            let mut settings = d.store.settings().unwrap();
            settings.weekly_time = chrono::NaiveTime::from_hms_opt(rng.u32(17..22), 0, 0).unwrap();
            d.store.save_settings(&settings, now()).unwrap();
        }
        8 => {
            let second = if rng.bool() { "Sam" } else { "Samira" };
            let first = d.store.couple().unwrap()[0].name.clone();
            let _ = d.store.set_partners([&first, second], now());
        }
        4 => {
            let draft = AgreementDraft {
                title: format!("Agreement {words}"),
                details: String::new(),
                category: String::new(),
                review_every_weeks: 4,
            };
            d.store
                .propose_agreement(&me, &draft, evening(3), now())
                .unwrap();
        }
        _ => {
            let all = d.store.agreements(None).unwrap();
            if !all.is_empty() {
                let a = &all[rng.usize(..all.len())];
                if a.has_consented(&me) {
                    let draft = AgreementDraft {
                        title: a.title.clone(),
                        details: format!("{} {words}", a.details),
                        category: a.category.clone(),
                        review_every_weeks: a.review_every_weeks,
                    };
                    let _ = d
                        .store
                        .edit_agreement_from(a, &me, &draft, evening(3), now());
                } else {
                    let _ = d.store.consent_agreement(&a.id, &me, evening(3), now());
                }
            }
        }
    }
}

/// Some files from some devices to some others: in any order, some twice, some cut short
/// (a later delivery brings them whole).
fn random_delivery(w: &World, rng: &mut fastrand::Rng) {
    for a in &w.devices {
        for b in &w.devices {
            if a.folder == b.folder {
                continue;
            }
            let mut files = own_files(a);
            rng.shuffle(&mut files);
            for f in files {
                if rng.u8(..3) == 0 {
                    continue;
                }
                let rel = f.strip_prefix(&a.folder).unwrap();
                let target = b.folder.join(rel);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                let bytes = std::fs::read(&f).unwrap();
                let cut = if rng.u8(..5) == 0 {
                    bytes.len() / 2
                } else {
                    bytes.len()
                };
                std::fs::write(&target, &bytes[..cut]).unwrap();
            }
        }
    }
}

/// Years of saves stay a few files: once a device has many of its own, one new file holds
/// them all and they go, and the other device still gets every save.
#[test]
fn a_device_s_many_files_become_one() {
    let mut w = paired(&["Alex", "Sam"]);
    for i in 0..205 {
        win(&mut w.devices[0], &format!("win {i}"));
        w.devices[0].step();
    }
    let own = own_files(&w.devices[0]).len();
    assert!(own < 10, "{own} files of its own");
    w.settle();
    assert_eq!(w.devices[1].store.win_count().unwrap(), 205);
    assert_eq!(w.devices[0].rows(), w.devices[1].rows());
}

/// The folder can't be written just after a step's rows were committed: the step says so, and
/// the next one sends what that one couldn't.
#[test]
fn a_folder_that_fails_mid_step_loses_nothing() {
    let mut w = paired(&["Alex", "Sam"]);
    let p = w.devices[0].store.pairing().unwrap().unwrap();
    let own = w.devices[0]
        .folder
        .join(format!("duet-{}", p.journal_id))
        .join(&p.device_id);
    let _ = std::fs::remove_dir_all(&own);
    std::fs::write(&own, "in the way").unwrap();
    win(&mut w.devices[0], "Written while the folder failed");
    let d = &mut w.devices[0];
    let mut sync = Sync::open(&d.store).unwrap().unwrap();
    let failed = sync.step(&mut d.store, now());
    assert!(
        matches!(failed, Err(SyncError::Folder { .. })),
        "{failed:?}"
    );
    std::fs::remove_file(&own).unwrap();
    w.settle();
    assert_eq!(w.devices[1].store.win_count().unwrap(), 1);
    assert_eq!(w.devices[0].rows(), w.devices[1].rows());
}

/// Where two exports differ, row by row, for a failure that can be read.
fn differences(a: &Value, b: &Value) -> String {
    let mut out = Vec::new();
    for (table, rows) in a.as_object().unwrap() {
        let (x, y) = (rows, &b[table]);
        if x == y {
            continue;
        }
        match (x.as_array(), y.as_array()) {
            (Some(xs), Some(ys)) => {
                for (i, (r, s)) in xs.iter().zip(ys).enumerate() {
                    if r != s {
                        out.push(format!("{table}[{i}]:\n  {r}\n  {s}"));
                    }
                }
                if xs.len() != ys.len() {
                    out.push(format!("{table}: {} rows against {}", xs.len(), ys.len()));
                }
            }
            _ => out.push(format!("{table}:\n  {x}\n  {y}")),
        }
    }
    out.join("\n")
}

/// The app's sync thread and `duet sync` in the shell on one journal: each sees what the other
/// merged, and neither undoes it.
#[test]
fn two_processes_syncing_one_journal_take_turns() {
    let mut w = paired(&["Alex", "Sam"]);
    w.devices[0].step();
    let mut shell = Sync::open(&w.devices[0].store).unwrap().unwrap();
    let sam = w.devices[1].me();
    for i in 0..4 {
        win(&mut w.devices[0], &format!("from the app {i}"));
        w.devices[0].step();
        win(&mut w.devices[1], &format!("from Sam {i}"));
        check_in(&mut w.devices[1], &sam, i % 3, &format!("Sam's words {i}"));
        w.devices[1].step();
        let to = w.devices[0].folder.clone();
        deliver_all(&w.devices[1], &to);
        win(&mut w.devices[0], &format!("from the shell {i}"));
        shell.step(&mut w.devices[0].store, now()).unwrap();
        let to = w.devices[1].folder.clone();
        deliver_all(&w.devices[0], &to);
    }
    w.settle();
    shell.step(&mut w.devices[0].store, now()).unwrap();
    w.settle();
    assert_eq!(w.devices[0].store.win_count().unwrap(), 12);
    assert_eq!(w.devices[1].store.win_count().unwrap(), 12);
    assert_eq!(w.devices[0].rows(), w.devices[1].rows());
}

/// A journal put back from a backup once had files in the folder the partner already read;
/// even after its own files were compacted away, it never gives a new file an old number.
#[test]
fn a_journal_restored_from_a_backup_never_reuses_a_file_number() {
    let mut w = paired(&["Alex", "Sam"]);
    w.settle();
    let path = w.devices[0].store.path().unwrap().to_path_buf();
    let backup = path.with_extension("backup");
    w.devices[0].store.backup_to(&backup).unwrap();
    for i in 0..3 {
        win(&mut w.devices[0], &format!("before the restore {i}"));
        w.devices[0].step();
    }
    w.settle();
    assert_eq!(w.devices[1].store.win_count().unwrap(), 3);
    // As compaction leaves numbers: only the highest is still there (a real compaction's
    // file would also hold what the others held).
    let mut files = own_files(&w.devices[0]);
    files.sort();
    for f in &files[..files.len() - 1] {
        std::fs::remove_file(f).unwrap();
    }
    w.devices[0].sync = None;
    w.devices[0].store = Store::open(&backup).unwrap();
    win(&mut w.devices[0], "after the restore");
    w.devices[0].step();
    w.settle();
    assert_eq!(w.devices[1].store.win_count().unwrap(), 4);
}

/// A link to a device, a pipe or a huge file in the folder is refused, not read forever.
#[test]
fn a_pipe_or_a_link_to_a_device_in_the_folder_is_never_read() {
    let mut w = paired(&["Alex", "Sam"]);
    win(&mut w.devices[0], "Sam made coffee");
    w.settle();
    let p = w.devices[1].store.pairing().unwrap().unwrap();
    let other = w.devices[1]
        .folder
        .join(format!("duet-{}", p.journal_id))
        .join("0b5e7c0e-0000-4000-8000-000000000000");
    std::fs::create_dir_all(&other).unwrap();
    std::os::unix::fs::symlink("/dev/zero", other.join("00000001.chunk")).unwrap();
    let fifo = other.join("00000002.chunk");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let out = w.devices[1].step();
    assert_eq!(out.files_waiting, 2);
    assert_eq!(w.devices[1].store.win_count().unwrap(), 1);
}

/// A repair taken on one laptop is answered on the other; another prompt chosen on one and a
/// star given on the other reach both.
#[test]
fn a_repair_and_its_answers_prompts_and_stars_reach_both_devices() {
    use duet::domain::{RepairDraft, Response};
    let mut w = paired(&["Alex", "Sam"]);
    let alex = w.devices[0].me();
    let sam = w.devices[1].me();
    let draft = RepairDraft {
        what_happened: "I forgot to text".into(),
        how_it_affected: "You waited".into(),
        do_differently: "Text as soon as I know".into(),
        agreement_id: None,
    };
    let r = w.devices[0]
        .store
        .add_repair(&alex, &draft, evening(3), now())
        .unwrap();
    w.devices[0]
        .store
        .choose_evening_prompt(evening(3), "patience-02", now())
        .unwrap();
    w.settle();
    let later = now() + Duration::days(2);
    w.devices[1]
        .store
        .respond_to_repair(&r.id, &sam, Response::NotYet, "Soon", evening(3), now())
        .unwrap();
    w.devices[1]
        .store
        .respond_to_repair(&r.id, &sam, Response::Forgive, "", evening(5), later)
        .unwrap();
    w.devices[1]
        .store
        .star_prompt(&sam, "patience-02", true, now())
        .unwrap();
    w.settle();
    assert_eq!(w.devices[0].rows(), w.devices[1].rows());
    let here = w.devices[0].store.repairs().unwrap();
    assert_eq!(here[0].responses.len(), 2);
    assert_eq!(here[0].current().unwrap().response, Response::Forgive);
    assert_eq!(
        w.devices[1]
            .store
            .evening_prompt(evening(3))
            .unwrap()
            .as_deref(),
        Some("patience-02")
    );
    assert_eq!(
        w.devices[0].store.starred_prompts().unwrap(),
        vec!["patience-02".to_string()]
    );
}

/// Both devices change the weekly schedule at once: whichever day and time the merge keeps,
/// it counts from the later of the two changes on both devices.
#[test]
fn the_later_schedule_change_time_stands_on_both_devices() {
    let mut w = paired(&["Alex", "Sam"]);
    w.settle();
    let early = now() - chrono::Duration::hours(2);
    let late = now() - chrono::Duration::hours(1);
    for (d, day, at) in [
        (0, chrono::Weekday::Wed, late),
        (1, chrono::Weekday::Fri, early),
    ] {
        let mut s = w.devices[d].store.settings().unwrap();
        s.weekly_weekday = day;
        w.devices[d].store.save_settings(&s, at).unwrap();
    }
    w.settle();
    let [a, b] = [0, 1].map(|d| w.devices[d].store.settings().unwrap());
    assert_eq!(a, b);
    assert_eq!(a.weekly_from, Some(late));
}
