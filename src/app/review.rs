//! Reviewing agreements together: one at a time, each partner marks how it went (honored,
//! struggled, want to revisit), with a note if they like; the marks go into its history.

use chrono::TimeZone;

use super::form;
use super::{App, Confirm, Overlay, Pending};
use crate::action::Action;
use crate::domain::{Agreement, AgreementStatus, ReviewMark, Seat};
use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct Review {
    pub queue: Vec<Agreement>,
    pub index: usize,
    pub active: Seat,
    pub marks: [Option<ReviewMark>; 2],
    pub notes: [String; 2],
    /// The note being written for the active partner.
    pub note: Option<Box<ratatui_textarea::TextArea<'static>>>,
    pub saved: usize,
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    /// Those due for review, or else every agreement in force.
    pub(super) fn start_review(&mut self) -> Result<(), AppError> {
        let mut queue = self.store.agreements_due(self.evening())?;
        if queue.is_empty() {
            queue = self
                .store
                .agreements(None)?
                .into_iter()
                .filter(|a| matches!(a.status, AgreementStatus::Agreed | AgreementStatus::Revisit))
                .collect();
        }
        if queue.is_empty() {
            self.info("Nothing to review yet: an agreement needs both your consents first.");
            return Ok(());
        }
        self.overlay = Some(Overlay::Review(Review {
            queue,
            index: 0,
            active: Seat::First,
            marks: [None, None],
            notes: [String::new(), String::new()],
            note: None,
            saved: 0,
        }));
        Ok(())
    }

    pub(super) fn review_action(&mut self, mut r: Review, action: Action) -> Result<(), AppError> {
        if let Some(note) = r.note.take() {
            review_note_action(&mut r, note, action);
            self.overlay = Some(Overlay::Review(r));
            return Ok(());
        }
        match action {
            Action::Mark(m) => r.marks[r.active] = Some(m),
            Action::OtherPartner => r.active = r.active.other(),
            Action::ReviewNote => {
                r.note = Some(Box::new(form::text_area(
                    &r.notes[r.active],
                    "a few words, then Enter",
                    false,
                )));
            }
            Action::Submit => return self.review_save(r),
            Action::Skip => return self.review_next(r),
            Action::Close | Action::Quit => {
                self.reload()?;
                if r.saved > 0 {
                    self.info(format!(
                        "Review saved for {}.",
                        crate::text::count(r.saved as i64, "agreement")
                    ));
                }
                return Ok(());
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Review(r));
        Ok(())
    }

    /// Both speak to each agreement; a note without its mark would be lost.
    fn review_save(&mut self, mut r: Review) -> Result<(), AppError> {
        if let Some(seat) = Seat::ALL.into_iter().find(|s| r.marks[*s].is_none()) {
            let name = self.name(seat);
            self.info(format!(
                "{name} hasn't marked it yet: Tab to {name}, then 1, 2 or 3 (s skips it)."
            ));
            self.overlay = Some(Overlay::Review(r));
            return Ok(());
        }
        let a = r.queue[r.index].clone();
        for seat in Seat::ALL {
            if let Some(m) = r.marks[seat] {
                let who = self.partner_id(seat)?;
                self.store.review_agreement(
                    &a.id,
                    Some(&who),
                    m,
                    &r.notes[seat],
                    self.evening(),
                    self.now,
                )?;
            }
        }
        r.saved += 1;
        let honored = r.marks.iter().all(|m| *m == Some(ReviewMark::Honored));
        if a.status == AgreementStatus::Revisit && honored {
            self.confirm = Some(Confirm {
                question: format!(
                    "You both marked \"{}\" honored. Set it back to agreed?",
                    a.title
                ),
                pending: Pending::BackToAgreed { id: a.id.clone() },
            });
        }
        self.review_next(r)
    }

    fn review_next(&mut self, mut r: Review) -> Result<(), AppError> {
        r.index += 1;
        r.marks = [None, None];
        r.notes = [String::new(), String::new()];
        r.active = Seat::First;
        if r.index >= r.queue.len() {
            self.reload()?;
            self.celebrate(format!(
                "Review done: {} talked through. Thank you both.",
                crate::text::count(r.saved as i64, "agreement")
            ));
            return Ok(());
        }
        self.overlay = Some(Overlay::Review(r));
        Ok(())
    }
}

/// Keys while a note is being written: Enter keeps it, Esc drops it.
fn review_note_action(
    r: &mut Review,
    mut note: Box<ratatui_textarea::TextArea<'static>>,
    action: Action,
) {
    match action {
        Action::Submit => r.notes[r.active] = note.lines().join(" "),
        Action::Close => {}
        Action::Type(k) => {
            note.input(k);
            r.note = Some(note);
        }
        Action::Paste(s) => {
            note.insert_str(s.replace(['\r', '\n'], " "));
            r.note = Some(note);
        }
        _ => r.note = Some(note),
    }
}
