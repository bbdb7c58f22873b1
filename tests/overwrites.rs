//! No silent overwrites: two windows (or a window and the shell) writing the same check-in
//! never lose a word. Changes to different fields are both kept; changes to the same words
//! come back to the writer with both versions, to keep what they want of each.

mod common;

use std::path::Path;

use common::*;
use duet::store::Store;

fn window(path: &Path) -> TestApp {
    let mut app = duet::app::App::new(Store::open(path).unwrap(), zone(), now()).unwrap();
    app.set_no_color(true);
    app
}

fn shared_journal() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duet.db");
    Store::open(&path)
        .unwrap()
        .set_partners(["Alex", "Sam"], now())
        .unwrap();
    (dir, path)
}

fn alex_appreciation(app: &mut TestApp) -> String {
    let [a, _] = app.store().couple().unwrap();
    let evening = app.evening();
    app.store()
        .checkin(&a.id, evening)
        .unwrap()
        .unwrap()
        .appreciation
}

#[test]
fn the_same_words_written_in_two_windows_are_both_kept() {
    let (_dir, path) = shared_journal();
    let mut a = window(&path);
    let mut b = window(&path);
    open_check_in(&mut a, "Alex");
    rate(&mut a, "How did today feel?", 4);
    rate(&mut a, "How close do you feel", 4);
    type_into(&mut a, "One thing you appreciated", "From window A");
    check_in(&mut b, "Alex", 3, 3, "From window B");
    save(&mut a);
    let f = form(&a);
    assert!(
        f.error
            .as_deref()
            .unwrap_or("")
            .contains("Another window saved this too"),
        "{:?}",
        f.error
    );
    let both = f.text("appreciation");
    assert!(
        both.contains("From window A") && both.contains("From window B"),
        "{both}"
    );
    assert_eq!(
        alex_appreciation(&mut a),
        "From window B",
        "nothing written yet"
    );
    save(&mut a);
    assert!(a.overlay().is_none(), "the second save goes through");
    let kept = alex_appreciation(&mut a);
    assert!(
        kept.contains("From window A") && kept.contains("From window B"),
        "{kept}"
    );
}

#[test]
fn changes_to_different_words_are_merged_without_asking() {
    let (_dir, path) = shared_journal();
    let mut a = window(&path);
    check_in(&mut a, "Alex", 4, 4, "The soup");
    let mut b = window(&path);
    // A opens Alex's entry again and changes the appreciation...
    open_check_in(&mut a, "Alex");
    yes(&mut a);
    retype(
        &mut a,
        "One thing you appreciated",
        "The soup, and the walk",
    );
    // ...while B, from the same entry, writes a need.
    open_check_in(&mut b, "Alex");
    yes(&mut b);
    type_into(&mut b, "One thing you need", "An early night");
    save(&mut b);
    save(&mut a);
    assert!(
        a.overlay().is_none(),
        "{:?}",
        a.overlay().map(|_| form(&a).error.clone())
    );
    let [alex, _] = a.store().couple().unwrap();
    let evening = a.evening();
    let c = a.store().checkin(&alex.id, evening).unwrap().unwrap();
    assert_eq!(c.appreciation, "The soup, and the walk");
    assert_eq!(c.need, "An early night");
}

#[test]
fn the_shell_writing_while_the_app_edits_loses_no_word() {
    let (dir, path) = shared_journal();
    let mut a = window(&path);
    open_check_in(&mut a, "Alex");
    rate(&mut a, "How did today feel?", 4);
    rate(&mut a, "How close do you feel", 4);
    type_into(&mut a, "One thing you appreciated", "From the app");
    // The shell checks Alex in for the same evening meanwhile.
    let mut shell = Store::open(&dir.path().join("duet.db")).unwrap();
    let [alex, _] = shell.couple().unwrap();
    let update = duet::domain::CheckInUpdate {
        mood: 2,
        closeness: 2,
        appreciation: Some("From the shell".into()),
        ..Default::default()
    };
    shell
        .check_in(&alex.id, a.evening(), update, now())
        .unwrap();
    save(&mut a);
    save(&mut a);
    let kept = alex_appreciation(&mut a);
    assert!(
        kept.contains("From the app") && kept.contains("From the shell"),
        "{kept}"
    );
}

/// The case that was found: one window added an agreement's details while another changed
/// its title, and the details went back to empty. Now both changes stay; the same words
/// changed both ways come back with both versions.
#[test]
fn two_windows_editing_one_agreement_keep_each_other_s_words() {
    let (_dir, path) = shared_journal();
    let mut a = window(&path);
    propose(&mut a, "Alex", "Phones away at dinner");
    let mut b = window(&path);
    go(&mut b, duet::action::Pane::Agreements);
    edit_agreement(&mut a, "Alex");
    retype(&mut a, "Agreement", "Phones away at every meal");
    edit_agreement(&mut b, "Sam");
    type_into(&mut b, "Details", "In the drawer by the door");
    save(&mut b);
    save(&mut a);
    assert!(
        a.overlay().is_none(),
        "different words merge without asking"
    );
    let ag = &a.store().agreements(None).unwrap()[0];
    assert_eq!(ag.title, "Phones away at every meal");
    assert_eq!(ag.details, "In the drawer by the door");

    edit_agreement(&mut a, "Alex");
    retype(&mut a, "Details", "Ours");
    edit_agreement(&mut b, "Sam");
    retype(&mut b, "Details", "Theirs");
    save(&mut b);
    save(&mut a);
    let both = form(&a).text("details");
    assert!(both.contains("Ours") && both.contains("Theirs"), "{both}");
}

/// The other's check-in arriving from another window (or device) ends the footer's "your
/// answers stay hidden until …": they can reveal now.
#[test]
fn a_check_in_from_elsewhere_says_you_can_reveal_now() {
    let (_dir, path) = shared_journal();
    let mut a = window(&path);
    let mut b = window(&path);
    check_in(&mut a, "Alex", 4, 4, "Tea");
    assert!(a.message().unwrap().text.contains("stay hidden until Sam"));
    // Idle, nothing to draw: the loop draws only when this moves on.
    let idle = a.view_version();
    a.update(duet::action::Action::Refresh);
    assert_eq!(a.view_version(), idle, "an idle refresh would redraw");
    check_in(&mut b, "Sam", 3, 4, "Soup");
    a.poll_changes();
    assert_ne!(
        a.view_version(),
        idle,
        "a change from elsewhere wasn't drawn"
    );
    let said = &a.message().unwrap().text;
    assert!(said.contains("both checked in now"), "{said}");
}
