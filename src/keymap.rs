//! One ordered table of key bindings. `resolve` reads it to turn a key into an action, and the
//! help overlay and footer hints are drawn from the same rows, so they can never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::crossterm;

use crate::action::{Action, Pane};
use crate::domain::ReviewMark;

/// Where the keyboard is: the topmost thing on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Pane(Pane),
    /// A form field taking one line of text.
    TextLine,
    /// A form field taking several lines of text.
    TextBlock,
    /// Words to search for, or a date to go to: Enter finds, and there is nothing to save.
    Lookup,
    /// A form field taking a passphrase: shown masked, and never handed to $EDITOR.
    Secret,
    /// The screen that asks for the journal's passphrase before anything else.
    Unlock,
    /// A form field choosing one of a few options, or a 1–5 rating.
    Choice,
    Rating,
    Who,
    Confirm,
    Help,
    History,
    Review,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every context except text fields (where letters are typed).
    Global,
    AnyPane,
    Form,
    Only(Context),
}

pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in help and footer.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the footer (the few keys that matter most there).
    pub footer: bool,
    scope: Scope,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

const fn ch(c: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(c), NONE)
}
const fn ctrl(c: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(c), CTRL)
}
const fn key(k: KeyCode) -> (KeyCode, KeyModifiers) {
    (k, NONE)
}

macro_rules! bind {
    ($scope:expr, [$($k:expr),+], $label:expr, $action:expr, $help:expr, $footer:expr) => {
        Binding { keys: &[$($k),+], label: $label, action: $action, help: $help, footer: $footer, scope: $scope }
    };
}

use Context as C;
use Scope::*;

/// Earlier rows win. Text fields only see the rows scoped to them, so letters reach the text.
#[rustfmt::skip]
pub static TABLE: &[Binding] = &[
    // Forms: keys that work in every field.
    bind!(Form, [ctrl('s')], "Ctrl-S", Action::Save, "save", true),
    bind!(Form, [key(KeyCode::Tab)], "Tab", Action::NextField, "next field", true),
    bind!(Form, [(KeyCode::BackTab, SHIFT), key(KeyCode::BackTab)], "Shift-Tab", Action::PrevField, "previous field", false),
    bind!(Form, [key(KeyCode::Esc)], "Esc", Action::Close, "close", true),
    bind!(Only(C::TextLine), [key(KeyCode::Enter)], "Enter", Action::Submit, "next / save", true),
    bind!(Only(C::Lookup), [key(KeyCode::Enter)], "Enter", Action::Submit, "find", true),
    bind!(Only(C::Lookup), [key(KeyCode::Esc)], "Esc", Action::Close, "close", true),
    bind!(Only(C::Lookup), [ctrl('u')], "Ctrl-U", Action::ClearField, "clear", false),
    bind!(Only(C::Secret), [key(KeyCode::Enter)], "Enter", Action::Submit, "next / save", true),
    bind!(Only(C::Unlock), [key(KeyCode::Enter)], "Enter", Action::Submit, "open the journal", true),
    bind!(Only(C::Unlock), [key(KeyCode::Esc)], "Esc", Action::Quit, "quit", true),
    bind!(Only(C::Unlock), [ctrl('u')], "Ctrl-U", Action::ClearField, "clear what you typed", false),
    bind!(Only(C::Secret), [ctrl('u')], "Ctrl-U", Action::ClearField, "clear what you typed", false),
    bind!(Only(C::TextLine), [ctrl('e')], "Ctrl-E", Action::OpenEditor, "write in $EDITOR", false),
    bind!(Only(C::TextBlock), [(KeyCode::Enter, KeyModifiers::ALT), ctrl('j')], "Ctrl-J", Action::NewLine, "new line", true),
    bind!(Only(C::TextBlock), [key(KeyCode::Enter)], "Enter", Action::Submit, "next / save", true),
    bind!(Only(C::TextBlock), [ctrl('e')], "Ctrl-E", Action::OpenEditor, "write in $EDITOR", true),
    bind!(Only(C::Rating), [ch('1')], "1-5", Action::SetRating(1), "choose 1 to 5", true),
    bind!(Only(C::Rating), [ch('2')], "2", Action::SetRating(2), "", false),
    bind!(Only(C::Rating), [ch('3')], "3", Action::SetRating(3), "", false),
    bind!(Only(C::Rating), [ch('4')], "4", Action::SetRating(4), "", false),
    bind!(Only(C::Rating), [ch('5')], "5", Action::SetRating(5), "", false),
    bind!(Only(C::Rating), [key(KeyCode::Left), ch('h')], "←/→", Action::Left, "less / more", false),
    bind!(Only(C::Rating), [key(KeyCode::Right), ch('l')], "→", Action::Right, "", false),
    bind!(Only(C::Rating), [key(KeyCode::Enter), key(KeyCode::Down), ch('j')], "Enter", Action::Submit, "next", true),
    bind!(Only(C::Rating), [key(KeyCode::Up), ch('k')], "↑", Action::PrevField, "", false),
    bind!(Only(C::Choice), [key(KeyCode::Left), ch('h')], "←/→", Action::Left, "change", true),
    bind!(Only(C::Choice), [key(KeyCode::Right), ch('l'), ch(' ')], "→", Action::Right, "", false),
    bind!(Only(C::Choice), [key(KeyCode::Enter), key(KeyCode::Down), ch('j')], "Enter", Action::Submit, "next / save", true),
    bind!(Only(C::Choice), [key(KeyCode::Up), ch('k')], "↑", Action::PrevField, "", false),
    // Anywhere but a text field.
    bind!(Global, [ctrl('c')], "Ctrl-C", Action::ForceQuit, "quit, even while typing", false),
    bind!(Global, [ctrl('z')], "Ctrl-Z", Action::Suspend, "suspend (fg comes back)", false),
    bind!(Global, [ctrl('l')], "Ctrl-L", Action::Repaint, "repaint the screen", false),
    bind!(Global, [ch('?'), key(KeyCode::F(1))], "?", Action::ToggleHelp, "help", true),
    // Choosing who.
    bind!(Only(C::Who), [ch('1')], "1", Action::Pick(1), "the first", false),
    bind!(Only(C::Who), [ch('2')], "2", Action::Pick(2), "the second", false),
    bind!(Only(C::Who), [key(KeyCode::Left), ch('h'), key(KeyCode::Up), ch('k')], "←/→", Action::Left, "choose", true),
    bind!(Only(C::Who), [key(KeyCode::Right), ch('l'), key(KeyCode::Down), ch('j')], "→", Action::Right, "", false),
    bind!(Only(C::Who), [key(KeyCode::Enter)], "Enter", Action::Select, "this one", true),
    bind!(Only(C::Who), [key(KeyCode::Esc), ch('q')], "Esc", Action::Close, "cancel", true),
    // Yes or no.
    bind!(Only(C::Confirm), [ch('y'), key(KeyCode::Enter)], "y", Action::Yes, "yes", true),
    bind!(Only(C::Confirm), [ch('n'), key(KeyCode::Esc), ch('q')], "n", Action::No, "no", true),
    // Help and history are read-only overlays.
    bind!(Only(C::Help), [key(KeyCode::Esc), ch('q'), key(KeyCode::Enter)], "Esc", Action::Close, "close", true),
    bind!(Only(C::History), [key(KeyCode::Esc), ch('q'), key(KeyCode::Enter)], "Esc", Action::Close, "close", true),
    bind!(Only(C::History), [key(KeyCode::Down), ch('j')], "j/↓", Action::Down, "scroll", true),
    bind!(Only(C::History), [key(KeyCode::Up), ch('k')], "k/↑", Action::Up, "", false),
    // Review together.
    bind!(Only(C::Review), [ch('1')], "1/2/3", Action::Mark(ReviewMark::Honored), "honored / struggled / revisit", true),
    bind!(Only(C::Review), [ch('2')], "2", Action::Mark(ReviewMark::Struggled), "", false),
    bind!(Only(C::Review), [ch('3')], "3", Action::Mark(ReviewMark::Revisit), "", false),
    bind!(Only(C::Review), [key(KeyCode::Enter)], "Enter", Action::Submit, "save, next", true),
    bind!(Only(C::Review), [key(KeyCode::Esc), ch('q')], "Esc", Action::Close, "end the review", true),
    bind!(Only(C::Review), [ key(KeyCode::Tab), key(KeyCode::Left), key(KeyCode::Right), ch('h'), ch('l') ], "Tab", Action::OtherPartner, "other partner", true),
    bind!(Only(C::Review), [ch('n')], "n", Action::ReviewNote, "add a note", true),
    bind!(Only(C::Review), [ch('s')], "s", Action::Skip, "skip this one", false),
    // Panes.
    bind!(AnyPane, [key(KeyCode::Tab)], "Tab", Action::NextPane, "next pane", false),
    bind!(AnyPane, [(KeyCode::BackTab, SHIFT), key(KeyCode::BackTab)], "Shift-Tab", Action::PrevPane, "previous pane", false),
    bind!(AnyPane, [ch('1')], "1", Action::GoPane(Pane::Tonight), "Tonight", false),
    bind!(AnyPane, [ch('2')], "2", Action::GoPane(Pane::Agreements), "Agreements", false),
    bind!(AnyPane, [ch('3')], "3", Action::GoPane(Pane::Wins), "Wins", false),
    bind!(AnyPane, [ch('4')], "4", Action::GoPane(Pane::Trends), "Trends", false),
    bind!(AnyPane, [ch('5')], "5", Action::GoPane(Pane::Journal), "Journal", false),
    bind!(AnyPane, [ch('6')], "6", Action::GoPane(Pane::Repairs), "Repairs", false),
    bind!(Only(C::Pane(Pane::Journal)), [key(KeyCode::Enter)], "Enter", Action::ShowHistory, "read the evening", true),
    bind!(Only(C::Pane(Pane::Journal)), [ch('/')], "/", Action::SearchWins, "search", true),
    bind!(Only(C::Pane(Pane::Journal)), [ch(':')], ":", Action::GoToDate, "go to a date", true),
    bind!(Only(C::Pane(Pane::Journal)), [ch('['), key(KeyCode::Left), ch('h')], "[/]", Action::Left, "a month back / on", false),
    bind!(Only(C::Pane(Pane::Journal)), [ch(']'), key(KeyCode::Right), ch('l')], "]", Action::Right, "", false),
    bind!(Only(C::Pane(Pane::Journal)), [ch('0')], "0", Action::ClearFilters, "every evening again", false),
    bind!(Only(C::Pane(Pane::Journal)), [ch('e')], "e", Action::EditEvening, "put your check-in right", false),
    bind!(Only(C::Pane(Pane::Trends)), [key(KeyCode::Left), ch('h'), ch('[')], "←/→", Action::Left, "30 / 90 / 365 evenings", true),
    bind!(Only(C::Pane(Pane::Trends)), [key(KeyCode::Right), ch('l'), ch(']')], "→", Action::Right, "", false),
    bind!(Only(C::Pane(Pane::Trends)), [ch('m')], "m", Action::ToggleMetric, "mood or closeness", true),
    bind!(Only(C::Pane(Pane::Trends)), [ch('d')], "d", Action::DismissNote, "set the note aside", false),
    bind!(Only(C::Pane(Pane::Trends)), [key(KeyCode::Enter)], "Enter", Action::ShowHistory, "why a counsellor", false),
    bind!(Only(C::Pane(Pane::Tonight)), [ch('c'), key(KeyCode::Enter)], "c", Action::CheckIn, "check in / edit yours", true),
    bind!(Only(C::Pane(Pane::Tonight)), [ch('r')], "r", Action::Reveal, "reveal together", true),
    bind!(Only(C::Pane(Pane::Tonight)), [ch('n')], "n", Action::AnotherPrompt, "another prompt", false),
    bind!(Only(C::Pane(Pane::Tonight)), [ch('t')], "t", Action::GoodTimeDone, "good time: we had it", false),
    bind!(Only(C::Pane(Pane::Tonight)), [ch('*')], "*", Action::StarPrompt, "star it: it comes back", false),
    bind!(Only(C::Pane(Pane::Agreements)), [ch('a'), ch('p')], "a", Action::Propose, "propose", true),
    bind!(Only(C::Pane(Pane::Agreements)), [ch('y')], "y", Action::Consent, "consent", true),
    bind!(Only(C::Pane(Pane::Agreements)), [ch('e')], "e", Action::EditAgreement, "edit", true),
    bind!(Only(C::Pane(Pane::Agreements)), [ch('R')], "R", Action::ReviewTogether, "review together", true),
    bind!(Only(C::Pane(Pane::Agreements)), [ch('v')], "v", Action::Revisit, "mark for revisit", false),
    bind!(Only(C::Pane(Pane::Agreements)), [ch('x')], "x", Action::Retire, "retire", false),
    bind!(Only(C::Pane(Pane::Agreements)), [ch('u')], "u", Action::UndoDelete, "undo marking to revisit", false),
    bind!(Only(C::Pane(Pane::Agreements)), [key(KeyCode::Enter), ch('H')], "Enter", Action::ShowHistory, "history", false),
    bind!(Only(C::Pane(Pane::Agreements)), [ch('f')], "f", Action::CycleStatusFilter, "filter by status", false),
    bind!(Only(C::Pane(Pane::Wins)), [ch('a')], "a", Action::AddWin, "add a win", true),
    bind!(Only(C::Pane(Pane::Wins)), [ch('c'), ch('h')], "c", Action::Celebrate, "celebrate ♥", true),
    bind!(Only(C::Pane(Pane::Wins)), [ch('e')], "e", Action::EditWin, "edit", false),
    bind!(Only(C::Pane(Pane::Wins)), [ch('d')], "d", Action::DeleteWin, "delete (u brings it back)", false),
    bind!(Only(C::Pane(Pane::Wins)), [ch('u')], "u", Action::UndoDelete, "bring back a deleted win", false),
    bind!(Only(C::Pane(Pane::Wins)), [ch('/')], "/", Action::SearchWins, "search", true),
    bind!(Only(C::Pane(Pane::Wins)), [ch('p')], "p", Action::CyclePersonFilter, "filter by person", false),
    bind!(Only(C::Pane(Pane::Wins)), [ch('t')], "t", Action::CycleTagFilter, "filter by tag", false),
    bind!(Only(C::Pane(Pane::Wins)), [ch('0')], "0", Action::ClearFilters, "clear filters", false),
    bind!(Only(C::Pane(Pane::Repairs)), [ch('t')], "t", Action::TakeResponsibility, "take responsibility", true),
    bind!(Only(C::Pane(Pane::Repairs)), [ch('a')], "a", Action::Respond, "answer, when ready", true),
    bind!(Only(C::Pane(Pane::Repairs)), [key(KeyCode::Enter)], "Enter", Action::ShowHistory, "read it all", false),
    bind!(Only(C::Pane(Pane::Repairs)), [ch('i')], "i", Action::ShareRepairWords, "include words in the summary?", false),
    bind!(Only(C::Pane(Pane::Repairs)), [ch('p')], "p", Action::ProposeFromRepair, "propose it as an agreement", false),
    bind!(AnyPane, [ch('W'), ch('w')], "W", Action::Weekly, "weekly check-in", false),
    bind!(AnyPane, [ch('s')], "s", Action::Settings, "settings", false),
    bind!(AnyPane, [key(KeyCode::Down), ch('j')], "j/k ↑↓", Action::Down, "move", false),
    bind!(AnyPane, [key(KeyCode::Up), ch('k')], "k/↑", Action::Up, "", false),
    bind!(AnyPane, [key(KeyCode::Home), ch('g')], "g/G", Action::Top, "first / last", false),
    bind!(AnyPane, [key(KeyCode::End), ch('G')], "G", Action::Bottom, "", false),
    bind!(AnyPane, [ch('q')], "q", Action::Quit, "quit", true),
    // Esc closes things; on a pane there is nothing to close, and it never quits the app.
    bind!(AnyPane, [key(KeyCode::Esc)], "Esc", Action::Close, "", false),
];

fn in_scope(scope: Scope, ctx: Context) -> bool {
    let text = matches!(
        ctx,
        C::TextLine | C::TextBlock | C::Secret | C::Unlock | C::Lookup
    );
    let form = matches!(
        ctx,
        C::TextLine | C::TextBlock | C::Secret | C::Choice | C::Rating
    );
    match scope {
        Global => !text,
        AnyPane => matches!(ctx, C::Pane(_)),
        Form => form,
        Only(c) => c == ctx,
    }
}

/// Letters typed with Shift arrive as upper-case characters; the Shift itself is not part of
/// the binding.
fn normalize(k: KeyEvent) -> (KeyCode, KeyModifiers) {
    let mods = k.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    match k.code {
        KeyCode::Char(c) => (KeyCode::Char(c), mods - KeyModifiers::SHIFT),
        code => (code, mods),
    }
}

pub fn resolve(k: KeyEvent, ctx: Context) -> Option<Action> {
    if k.kind == KeyEventKind::Release {
        return None;
    }
    let pressed = normalize(k);
    // Ctrl-C always means quit, even while typing; Ctrl-Z suspends and Ctrl-L repaints, as in
    // every full-screen terminal program.
    if pressed == ctrl('c') {
        return Some(Action::ForceQuit);
    }
    if pressed == ctrl('z') {
        return Some(Action::Suspend);
    }
    if pressed == ctrl('l') {
        return Some(Action::Repaint);
    }
    // F1 is help everywhere, in a text field too, where '?' is just a character.
    if pressed == key(KeyCode::F(1)) {
        return Some(Action::ToggleHelp);
    }
    let bound = TABLE
        .iter()
        .filter(|b| in_scope(b.scope, ctx))
        .find(|b| b.keys.contains(&pressed))
        .map(|b| b.action.clone());
    match ctx {
        C::TextLine | C::TextBlock | C::Secret | C::Unlock | C::Lookup => {
            bound.or(Some(Action::Type(k)))
        }
        _ => bound,
    }
}

/// The rows that apply where the keyboard is, for the help overlay.
pub fn bindings(ctx: Context) -> impl Iterator<Item = &'static Binding> {
    TABLE
        .iter()
        .filter(move |b| in_scope(b.scope, ctx) && !b.help.is_empty())
}

/// The few hints the footer shows here.
pub fn footer(ctx: Context) -> Vec<(&'static str, &'static str)> {
    // "? help" goes last: when the line is short, the keys for this place matter more.
    let (help, mut rest): (Vec<&Binding>, Vec<&Binding>) = bindings(ctx)
        .filter(|b| b.footer)
        .partition(|b| b.action == Action::ToggleHelp);
    rest.extend(help);
    rest.into_iter().map(|b| (b.label, b.help)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every place the keyboard can be.
    const ALL: [Context; 18] = [
        C::Pane(Pane::Tonight),
        C::Pane(Pane::Agreements),
        C::Pane(Pane::Wins),
        C::Pane(Pane::Trends),
        C::Pane(Pane::Journal),
        C::Pane(Pane::Repairs),
        C::TextLine,
        C::TextBlock,
        C::Lookup,
        C::Secret,
        C::Unlock,
        C::Choice,
        C::Rating,
        C::Who,
        C::Confirm,
        C::Help,
        C::History,
        C::Review,
    ];

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn vim_keys_and_arrows_do_the_same() {
        let ctx = C::Pane(Pane::Wins);
        assert_eq!(
            resolve(press(KeyCode::Char('j'), NONE), ctx),
            Some(Action::Down)
        );
        assert_eq!(resolve(press(KeyCode::Down, NONE), ctx), Some(Action::Down));
        assert_eq!(
            resolve(press(KeyCode::Char('k'), NONE), ctx),
            Some(Action::Up)
        );
        assert_eq!(resolve(press(KeyCode::Up, NONE), ctx), Some(Action::Up));
    }

    #[test]
    fn letters_reach_text_fields_but_ctrl_c_still_quits() {
        let q = press(KeyCode::Char('q'), NONE);
        assert_eq!(resolve(q, C::TextLine), Some(Action::Type(q)));
        assert_eq!(resolve(q, C::Pane(Pane::Tonight)), Some(Action::Quit));
        assert_eq!(
            resolve(press(KeyCode::Char('c'), CTRL), C::TextBlock),
            Some(Action::ForceQuit)
        );
        let question = press(KeyCode::Char('?'), SHIFT);
        assert_eq!(resolve(question, C::TextLine), Some(Action::Type(question)));
        assert_eq!(
            resolve(question, C::Pane(Pane::Wins)),
            Some(Action::ToggleHelp)
        );
    }

    #[test]
    fn the_same_key_means_different_things_in_different_places() {
        let one = press(KeyCode::Char('1'), NONE);
        assert_eq!(
            resolve(one, C::Pane(Pane::Wins)),
            Some(Action::GoPane(Pane::Tonight))
        );
        assert_eq!(resolve(one, C::Who), Some(Action::Pick(1)));
        assert_eq!(resolve(one, C::Rating), Some(Action::SetRating(1)));
        assert_eq!(
            resolve(one, C::Review),
            Some(Action::Mark(ReviewMark::Honored))
        );
        let enter = press(KeyCode::Enter, NONE);
        assert_eq!(resolve(enter, C::TextLine), Some(Action::Submit));
        assert_eq!(resolve(enter, C::TextBlock), Some(Action::Submit));
        let alt_enter = press(KeyCode::Enter, KeyModifiers::ALT);
        assert_eq!(resolve(alt_enter, C::TextBlock), Some(Action::NewLine));
        let f1 = KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE);
        for ctx in [C::TextLine, C::TextBlock, C::Rating, C::Pane(Pane::Tonight)] {
            assert_eq!(resolve(f1, ctx), Some(Action::ToggleHelp), "{ctx:?}");
        }
        assert_eq!(
            resolve(alt_enter, C::TextLine),
            Some(Action::Type(alt_enter))
        );
        assert_eq!(
            resolve(press(KeyCode::Char('R'), SHIFT), C::Pane(Pane::Agreements)),
            Some(Action::ReviewTogether)
        );
    }

    #[test]
    fn a_passphrase_never_goes_to_the_editor() {
        let ctrl_e = press(KeyCode::Char('e'), CTRL);
        assert_eq!(resolve(ctrl_e, C::TextLine), Some(Action::OpenEditor));
        for ctx in [C::Secret, C::Unlock] {
            assert_eq!(resolve(ctrl_e, ctx), Some(Action::Type(ctrl_e)));
            assert!(bindings(ctx).all(|b| b.action != Action::OpenEditor));
        }
        let q = press(KeyCode::Char('q'), NONE);
        assert_eq!(resolve(q, C::Unlock), Some(Action::Type(q)));
    }

    #[test]
    fn unbound_keys_do_nothing_outside_text() {
        assert_eq!(
            resolve(press(KeyCode::Char('z'), NONE), C::Pane(Pane::Tonight)),
            None
        );
        assert_eq!(resolve(press(KeyCode::Char('z'), NONE), C::Confirm), None);
        let release = KeyEvent {
            kind: KeyEventKind::Release,
            ..press(KeyCode::Char('q'), NONE)
        };
        assert_eq!(resolve(release, C::Pane(Pane::Tonight)), None);
    }

    #[test]
    fn every_footer_hint_is_a_real_binding_and_every_context_can_be_left() {
        let contexts = ALL;
        for ctx in contexts {
            let hints = footer(ctx);
            assert!(!hints.is_empty(), "{ctx:?} has no footer");
            for (label, _) in &hints {
                assert!(bindings(ctx).any(|b| b.label == *label), "{ctx:?}: {label}");
            }
            let leaves = [Action::Close, Action::Quit, Action::No];
            assert!(
                bindings(ctx).any(|b| leaves.contains(&b.action)),
                "{ctx:?} can't be left"
            );
        }
    }

    #[test]
    fn every_pane_has_its_number_and_a_footer() {
        for (i, pane) in Pane::ALL.into_iter().enumerate() {
            let digit = char::from_digit(i as u32 + 1, 10).unwrap();
            assert_eq!(
                resolve(press(KeyCode::Char(digit), NONE), C::Pane(Pane::Wins)),
                Some(Action::GoPane(pane)),
                "{pane:?} needs the key {digit}"
            );
            assert!(ALL.contains(&C::Pane(pane)), "{pane:?} is missing from ALL");
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let contexts = ALL;
        for ctx in contexts {
            let mut seen = std::collections::HashSet::new();
            for b in TABLE.iter().filter(|b| in_scope(b.scope, ctx)) {
                for k in b.keys {
                    assert!(seen.insert(*k), "{ctx:?}: {k:?} bound twice");
                }
            }
        }
    }
}
