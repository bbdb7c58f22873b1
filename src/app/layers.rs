//! What can stand over the panes (help, a question, the setup screen, an overlay), in the one
//! order that decides which of them gets a key, what help describes, whether a draft would be
//! lost, and what is drawn over what. Also the keys every form shares, and saving a form.

use chrono::{NaiveDate, TimeZone};

use super::form::Form;
use super::{err_text, App, Review};
use crate::action::Action;
use crate::domain::{Agreement, CheckIn, Meeting, Seat, Win};
use crate::error::AppError;
use crate::keymap::Context;

/// One thing on screen that can take the keyboard, from the top down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Help,
    Confirm,
    /// The first-run screen: it covers the panes.
    Setup,
    Overlay,
    Pane,
}

/// What a form is for; decides what Save does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Setup,
    CheckIn {
        partner: Seat,
        evening: NaiveDate,
        /// The entry as the form was opened on it: a save from it never replaces what was
        /// saved meanwhile unseen.
        base: Option<Box<CheckIn>>,
    },
    Propose {
        by: Seat,
    },
    /// `base`: the agreement as the form opened on it.
    EditAgreement {
        base: Box<Agreement>,
        by: Seat,
    },
    AddWin,
    /// The win as it was when the form opened on it.
    EditWin(Box<Win>),
    /// Taking responsibility; `agreements` are the ids the form's choice offers, after "none".
    Repair {
        by: Seat,
        agreements: Vec<String>,
    },
    /// The other partner's answer to a repair.
    Respond {
        repair_id: String,
        by: Seat,
    },
    SearchWins,
    SearchJournal,
    GoToDate,
    Settings,
    SkipMeeting,
    Meeting {
        step: usize,
        meeting: Box<Meeting>,
    },
}

impl FormKind {
    /// A search or a jump asks for a few words to find, not words to keep: closing it loses
    /// nothing worth a question.
    fn is_lookup(&self) -> bool {
        matches!(
            self,
            FormKind::SearchWins | FormKind::SearchJournal | FormKind::GoToDate
        )
    }
}

/// Where this week's check-in stands, for the W menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekState {
    Open,
    Done,
    Skipped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhoFor {
    CheckIn,
    Propose,
    EditAgreement,
    /// Putting a check-in of an evening in the Journal right.
    EditEvening,
    /// Starring tonight's prompt.
    StarPrompt,
    /// Taking responsibility for something.
    Repair,
    /// Logging the week's good time as a win.
    GoodTimeWin,
    /// A partner's choice about the words of repairs in the summary.
    ShareRepairWords,
}

/// Confirmation is data: the question, and what happens on yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Quit,
    DiscardForm,
    Retire {
        id: String,
        by: Seat,
    },
    OpenCheckIn(Seat),
    Consent {
        id: String,
        partner: String,
    },
    Uncelebrate {
        id: String,
    },
    Revisit {
        id: String,
    },
    BackToAgreed {
        id: String,
    },
    /// The week's good time was had: log it as a win too?
    GoodTimeWin,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub question: String,
    pub pending: Pending,
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Who {
        purpose: WhoFor,
        selected: Seat,
    },
    Form {
        kind: FormKind,
        form: Form,
    },
    History {
        title: String,
        lines: Vec<String>,
        scroll: usize,
    },
    Review(Review),
    /// W: start (or carry on with) the weekly check-in, or skip it; for a week already settled,
    /// reopen it to fix a word, or hold it after all.
    Weekly {
        selected: usize,
        week: WeekState,
    },
}

impl Overlay {
    /// Reviewing together fills the screen; the others are popups over the pane.
    pub fn covers_pane(&self) -> bool {
        matches!(self, Overlay::Review(_))
    }

    fn context(&self) -> Context {
        match self {
            Overlay::Who { .. } | Overlay::Weekly { .. } => Context::Who,
            // A search or a jump: Enter finds; there is nothing to save.
            Overlay::Form { form, kind }
                if kind.is_lookup() && form.context() == Context::TextLine =>
            {
                Context::Lookup
            }
            Overlay::Form { form, .. } => form.context(),
            Overlay::History { .. } => Context::History,
            Overlay::Review(r) if r.note.is_some() => Context::TextLine,
            Overlay::Review(_) => Context::Review,
        }
    }

    /// Words or marks that closing it would lose (a search or a jump isn't a draft).
    fn has_draft(&self) -> bool {
        match self {
            Overlay::Form { form, kind } => form.dirty && !kind.is_lookup(),
            Overlay::Review(r) => r.marks.iter().any(Option::is_some),
            _ => false,
        }
    }
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    /// What is on screen, topmost first, down to the first thing that covers what is under it.
    pub fn layers(&self) -> Vec<Layer> {
        let mut stack = Vec::with_capacity(4);
        if self.help {
            stack.push(Layer::Help);
        }
        if self.confirm.is_some() {
            stack.push(Layer::Confirm);
        }
        if self.setup.is_some() {
            stack.push(Layer::Setup);
            return stack;
        }
        if let Some(o) = &self.overlay {
            stack.push(Layer::Overlay);
            if o.covers_pane() {
                return stack;
            }
        }
        stack.push(Layer::Pane);
        stack
    }

    pub(super) fn layer_context(&self, layer: Option<Layer>) -> Context {
        match layer {
            Some(Layer::Help) => Context::Help,
            Some(Layer::Confirm) => Context::Confirm,
            Some(Layer::Setup) => self
                .setup
                .as_ref()
                .map_or(Context::Pane(self.pane), Form::context),
            Some(Layer::Overlay) => self
                .overlay
                .as_ref()
                .map_or(Context::Pane(self.pane), Overlay::context),
            Some(Layer::Pane) | None => Context::Pane(self.pane),
        }
    }

    /// Whether quitting now would lose something written but not saved.
    pub(super) fn has_draft(&self) -> bool {
        let writing = self
            .layers()
            .into_iter()
            .find(|l| matches!(l, Layer::Setup | Layer::Overlay));
        match writing {
            Some(Layer::Setup) => self.setup.as_ref().is_some_and(|f| f.dirty),
            Some(Layer::Overlay) => self.overlay.as_ref().is_some_and(Overlay::has_draft),
            _ => false,
        }
    }

    /// A yes or no to the question on screen.
    pub(super) fn answer(&mut self, c: Confirm, action: Action) -> Result<(), AppError> {
        match action {
            Action::Yes => match c.pending {
                Pending::Quit => self.quit = true,
                Pending::DiscardForm => {
                    self.overlay = None;
                    self.info("Draft discarded.");
                }
                Pending::Consent { id, partner } => self.give_consent(&id, &partner)?,
                Pending::OpenCheckIn(seat) => self.open_checkin(seat),
                Pending::Retire { id, by } => self.retire_confirmed(&id, by)?,
                Pending::Uncelebrate { id } => self.uncelebrate_confirmed(&id)?,
                Pending::Revisit { id } => self.revisit_confirmed(&id)?,
                Pending::BackToAgreed { id } => self.back_to_agreed(&id)?,
                Pending::GoodTimeWin => self.ask_who(WhoFor::GoodTimeWin)?,
            },
            Action::No | Action::Close => {}
            _ => self.confirm = Some(c),
        }
        Ok(())
    }

    pub(super) fn overlay_action(
        &mut self,
        overlay: Overlay,
        action: Action,
    ) -> Result<(), AppError> {
        match overlay {
            Overlay::Who { purpose, selected } => match action {
                Action::Pick(n) => {
                    let seat = if n >= 2 { Seat::Second } else { Seat::First };
                    self.chose(purpose, seat)?
                }
                Action::Select => self.chose(purpose, selected)?,
                Action::Left | Action::Right => {
                    self.overlay = Some(Overlay::Who {
                        purpose,
                        selected: selected.other(),
                    })
                }
                Action::Close | Action::Quit => {}
                _ => self.overlay = Some(Overlay::Who { purpose, selected }),
            },
            Overlay::History {
                title,
                lines,
                scroll,
            } => {
                let scroll = match action {
                    Action::Close | Action::Quit => return Ok(()),
                    Action::Down => (scroll + 1).min(lines.len().saturating_sub(1)),
                    Action::Up => scroll.saturating_sub(1),
                    _ => scroll,
                };
                self.overlay = Some(Overlay::History {
                    title,
                    lines,
                    scroll,
                });
            }
            Overlay::Weekly { selected, week } => {
                self.weekly_menu_action(selected, week, action)?
            }
            Overlay::Form {
                kind: FormKind::Meeting { step, meeting },
                form,
            } => self.meeting_action(step, *meeting, form, action)?,
            Overlay::Form { kind, form } => self.form_action(kind, form, action)?,
            Overlay::Review(r) => self.review_action(r, action)?,
        }
        Ok(())
    }

    fn form_action(
        &mut self,
        kind: FormKind,
        mut form: Form,
        action: Action,
    ) -> Result<(), AppError> {
        let quick = matches!(
            kind,
            FormKind::AddWin
                | FormKind::EditWin(_)
                | FormKind::SearchWins
                | FormKind::SearchJournal
                | FormKind::GoToDate
        );
        let save = match action {
            Action::Close => {
                if form.dirty && !kind.is_lookup() {
                    self.overlay = Some(Overlay::Form { kind, form });
                    self.confirm = Some(Confirm {
                        question: "Discard this draft?".into(),
                        pending: Pending::DiscardForm,
                    });
                }
                return Ok(());
            }
            other => form_keys(&mut form, other, &mut self.editor_request, quick),
        };
        if save {
            match self.save_form(&kind, &form) {
                Ok(FormSaved::Closed) => {
                    self.overlay = None;
                    return Ok(());
                }
                // Saved meanwhile elsewhere: the form comes back with both versions in it.
                Ok(FormSaved::Again(kind, form)) => {
                    self.overlay = Some(Overlay::Form { kind, form });
                    return Ok(());
                }
                Err(e) => form.error = Some(err_text(e)),
            }
        }
        self.overlay = Some(Overlay::Form { kind, form });
        Ok(())
    }

    /// Each kind of form is saved by the room it belongs to.
    fn save_form(&mut self, kind: &FormKind, form: &Form) -> Result<FormSaved, AppError> {
        let closed = |()| FormSaved::Closed;
        match kind {
            FormKind::Setup | FormKind::Meeting { .. } => Ok(FormSaved::Closed),
            FormKind::SkipMeeting => self.save_skip(form).map(closed),
            FormKind::Settings => self.save_settings(form).map(closed),
            FormKind::CheckIn {
                partner,
                evening,
                base,
            } => self.save_checkin(*partner, *evening, base.as_deref(), form),
            FormKind::Propose { by } => self.save_proposal(*by, form).map(closed),
            FormKind::EditAgreement { base, by } => self.save_agreement_edit(base, *by, form),
            FormKind::AddWin => self.save_win(form).map(closed),
            FormKind::EditWin(base) => self.save_win_edit(base, form),
            FormKind::SearchWins => self.search_wins(form).map(closed),
            FormKind::SearchJournal => self.search_journal(form).map(closed),
            FormKind::GoToDate => self.go_to_date(form).map(closed),
            FormKind::Repair { by, agreements } => {
                self.save_repair(*by, agreements, form).map(closed)
            }
            FormKind::Respond { repair_id, by } => {
                self.save_response(repair_id, *by, form).map(closed)
            }
        }
    }
}

/// What saving a form did: done, or the form again (with what was saved meanwhile in it).
pub(super) enum FormSaved {
    Closed,
    Again(FormKind, Form),
}

/// The keys every form shares: true when the form should be saved (Ctrl-S, or Enter on the
/// last field, or on any field of a `quick` one-line form); otherwise the key edits the form.
pub(super) fn form_keys(
    form: &mut Form,
    action: Action,
    editor: &mut Option<String>,
    quick: bool,
) -> bool {
    match action {
        Action::Save => true,
        // Enter on a rating not chosen yet would skip it by accident.
        Action::Submit if form.focused_rating_missing() => {
            form.error = Some("Choose 1 to 5 first (Tab moves on without choosing).".into());
            false
        }
        Action::Submit => {
            quick || form.is_last() || {
                form.next();
                false
            }
        }
        other => {
            form_edit(form, other, editor);
            false
        }
    }
}

/// Editing keys shared by the setup screen and every form.
fn form_edit(form: &mut Form, action: Action, editor: &mut Option<String>) {
    match action {
        Action::NextField => form.next(),
        Action::PrevField => form.prev(),
        Action::Left => form.step(false),
        Action::Right => form.step(true),
        // A digit chooses; Enter (or Tab) moves on, so "4 Enter 3 Enter" lands where it
        // reads and a digit then Tab skips nothing.
        Action::SetRating(n) => form.set_rating(n),
        Action::Type(k) => form.type_key(k),
        Action::NewLine => form.new_line(),
        Action::Paste(s) => form.paste(&s),
        Action::OpenEditor => *editor = form.focused_text(),
        Action::ClearField => form.clear_focused(),
        Action::EditorDone(Some(text)) => form.set_text(&text),
        _ => {}
    }
    form.error = None;
}
