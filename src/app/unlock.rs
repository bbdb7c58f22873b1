//! The screen a locked journal opens with: one hidden field and three tries. Trying a
//! passphrase is the loop's job (it touches the file); this only keeps what is on screen.

use crate::action::Action;
use crate::app::form::{Field, Form};
use crate::domain::Passphrase;
use crate::keymap::Context;
use crate::passphrase::TRIES;

pub struct Unlock {
    pub form: Form,
    pub tries: usize,
    /// Set while a passphrase is being tried (it takes a moment, on purpose).
    pub opening: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    Stay,
    Try(Passphrase),
    Quit,
}

impl Default for Unlock {
    fn default() -> Self {
        Unlock::new()
    }
}

impl Unlock {
    pub fn new() -> Unlock {
        let form = Form::new(
            "duet is locked",
            vec![Field::secret("passphrase", "Passphrase", "")],
        )
        .with_intro(vec![
            "This journal is locked. Type its passphrase to open it.".into(),
        ]);
        Unlock {
            form,
            tries: 0,
            opening: false,
        }
    }

    pub fn context(&self) -> Context {
        Context::Unlock
    }

    pub fn update(&mut self, action: Action) -> Step {
        match action {
            Action::Quit | Action::ForceQuit => Step::Quit,
            Action::Submit => {
                let typed = self.form.text("passphrase");
                if typed.is_empty() {
                    self.form.error = Some("Type the passphrase first.".into());
                    return Step::Stay;
                }
                self.opening = true;
                self.form.error = None;
                Step::Try(Passphrase::typed(&typed))
            }
            Action::Type(k) => {
                self.form.type_key(k);
                Step::Stay
            }
            Action::Paste(text) => {
                self.form.paste(&text);
                Step::Stay
            }
            Action::ClearField => {
                self.form.clear_focused();
                Step::Stay
            }
            _ => Step::Stay,
        }
    }

    /// The passphrase didn't open the journal, but the file had been replaced since the screen
    /// came up (another duet changed its passphrase, say): that costs no try.
    pub fn replaced(&mut self) {
        self.opening = false;
        self.form = Unlock::new().form;
        self.form.error =
            Some("Another duet just changed this journal; its passphrase may be new.".into());
    }

    /// The passphrase didn't open the journal. True when that was the last try.
    pub fn failed(&mut self) -> bool {
        self.tries += 1;
        self.opening = false;
        self.form = Unlock::new().form;
        let left = TRIES.saturating_sub(self.tries);
        self.form.error = Some(match left {
            0 => "That passphrase doesn't open this journal.".into(),
            1 => "That passphrase doesn't open this journal. One more try.".into(),
            n => format!("That passphrase doesn't open this journal. {n} more tries."),
        });
        left == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn typed(u: &mut Unlock, s: &str) {
        for c in s.chars() {
            u.update(Action::Type(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
    }

    #[test]
    fn ctrl_u_clears_what_was_typed() {
        let mut u = Unlock::new();
        typed(&mut u, "half a passphr");
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        let action = crate::keymap::resolve(ctrl_u, u.context()).unwrap();
        assert_eq!(u.update(action), Step::Stay);
        assert_eq!(u.form.text("passphrase"), "");
    }

    #[test]
    fn a_journal_replaced_meanwhile_costs_no_try() {
        let mut u = Unlock::new();
        typed(&mut u, "old passphrase");
        u.update(Action::Submit);
        u.replaced();
        assert_eq!(u.tries, 0);
        assert_eq!(u.form.text("passphrase"), "");
        assert!(u
            .form
            .error
            .as_deref()
            .unwrap()
            .contains("Another duet just changed"));
    }

    #[test]
    fn three_wrong_tries_and_it_gives_up() {
        let mut u = Unlock::new();
        assert_eq!(u.update(Action::Submit), Step::Stay);
        assert!(u.form.error.as_deref().unwrap().contains("first"));
        typed(&mut u, "wrong one");
        assert_eq!(
            u.update(Action::Submit),
            Step::Try(Passphrase::typed("wrong one"))
        );
        assert!(!u.failed());
        assert_eq!(
            u.form.text("passphrase"),
            "",
            "the field is cleared for the next try"
        );
        assert!(!u.failed());
        assert!(u.form.error.as_deref().unwrap().contains("One more try"));
        assert!(u.failed());
        assert_eq!(u.update(Action::Quit), Step::Quit);
    }
}
