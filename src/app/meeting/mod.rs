//! The weekly check-in, one step per screen. Each step is a form whose intro carries what the
//! couple looks at together; answers are saved after every step, so leaving half-way is safe.

mod steps;

use chrono::TimeZone;

use super::form::{Field, Form};
use super::layers::form_keys;
use super::{err_text, App, FormKind, Overlay, WeekState};
use crate::action::Action;
use crate::domain::{self, Meeting, ReviewMark};
use crate::error::{AppError, ValidationError};
use crate::schedule;

pub const STEPS: [&str; 8] = [
    "Appreciations",
    "What went right",
    "How the week felt",
    "Agreements",
    "One thing that's been hard",
    "Trust",
    "A good time",
    "Next week",
];

/// The step that asks how safe and trusting the week felt.
pub(super) const TRUST_STEP: usize = 5;

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    /// The week a check-in held now belongs to.
    fn meeting_week(&self) -> Result<chrono::NaiveDate, AppError> {
        Ok(schedule::meeting_date(
            self.local_now(),
            &self.settings,
            self.store.started_at()?,
        ))
    }

    /// W: the menu. Start or skip; for a week already settled, reopen or un-skip it.
    pub(super) fn weekly_menu(&mut self) -> Result<(), AppError> {
        let week = self.meeting_week()?;
        let state = match self.store.meeting_for_week(week)? {
            Some(m) if m.completed_at.is_some() => WeekState::Done,
            Some(m) if m.skipped_at.is_some() => WeekState::Skipped,
            _ => WeekState::Open,
        };
        self.overlay = Some(Overlay::Weekly {
            selected: 0,
            week: state,
        });
        Ok(())
    }

    /// The W menu: the first choice goes ahead (start, reopen, un-skip), the second skips or
    /// leaves the week as it is.
    pub(super) fn weekly_menu_action(
        &mut self,
        selected: usize,
        week: WeekState,
        action: Action,
    ) -> Result<(), AppError> {
        let first = match action {
            Action::Pick(n) => n == 1,
            Action::Select => selected == 0,
            Action::Left | Action::Right => {
                self.overlay = Some(Overlay::Weekly {
                    selected: 1 - selected.min(1),
                    week,
                });
                return Ok(());
            }
            Action::Close | Action::Quit => return Ok(()),
            _ => {
                self.overlay = Some(Overlay::Weekly { selected, week });
                return Ok(());
            }
        };
        match (week, first) {
            (WeekState::Open, true) => self.open_meeting(),
            (WeekState::Open, false) => {
                self.open_skip();
                Ok(())
            }
            (_, true) => self.reopen_meeting(),
            (_, false) => {
                self.settled_message(week);
                Ok(())
            }
        }
    }

    fn settled_message(&mut self, week: WeekState) {
        let what = if week == WeekState::Done {
            "done"
        } else {
            "skipped"
        };
        let status = self
            .weekly
            .unwrap_or(schedule::WeeklyStatus::Upcoming { at: self.now });
        self.info(format!(
            "This week's check-in is {what}. {}",
            schedule::describe(self.local_now(), &status)
        ));
    }

    /// A finished week opened again to fix a word (its first finish stands), or a skipped week
    /// held after all (the skip is taken back).
    fn reopen_meeting(&mut self) -> Result<(), AppError> {
        let week = self.meeting_week()?;
        let Some(base) = self.store.meeting_for_week(week)? else {
            return self.open_meeting();
        };
        let mut m = base.clone();
        if m.skipped_at.is_some() {
            m.skipped_at = None;
            m.skip_reason = None;
            m.updated_at = domain::instant(self.now);
            m = self.store.save_meeting_over(&base, &m)?;
        }
        self.show_step(m, 0)
    }

    /// W: start this week's meeting, or carry on with one left half-way.
    fn open_meeting(&mut self) -> Result<(), AppError> {
        let week = self.meeting_week()?;
        let meeting = match self.store.meeting_for_week(week)? {
            Some(m) if m.completed_at.is_some() => {
                self.settled_message(WeekState::Done);
                return Ok(());
            }
            Some(m) if m.skipped_at.is_some() => {
                self.settled_message(WeekState::Skipped);
                return Ok(());
            }
            Some(m) => m,
            None => {
                let mut m = Meeting::new(week, self.now);
                m.answers.step = Some(0);
                m
            }
        };
        let step = usize::from(meeting.answers.step.unwrap_or(0).min(5));
        self.show_step(meeting, step)
    }

    fn open_skip(&mut self) {
        let form = Form::new(
            "Skip this week's check-in",
            vec![Field::line(
                "reason",
                "Why skip this week?",
                "",
                "a few words: travelling, ill, we talked already…",
            )],
        )
        .with_intro(vec![
            "Skipping is fine. Saying why helps you notice patterns later.".into(),
        ]);
        self.overlay = Some(Overlay::Form {
            kind: FormKind::SkipMeeting,
            form,
        });
    }

    pub(super) fn save_skip(&mut self, form: &Form) -> Result<(), AppError> {
        let reason = domain::required_text("the reason", &form.text("reason"))?;
        let week = self.meeting_week()?;
        let existing = self.store.meeting_for_week(week)?;
        if existing.as_ref().is_some_and(|m| m.completed_at.is_some()) {
            return Err(
                ValidationError::Rule("this week's check-in is already done".into()).into(),
            );
        }
        let base = existing.unwrap_or_else(|| Meeting::new(week, self.now));
        let mut m = base.clone();
        m.skipped_at = Some(domain::instant(self.now));
        m.skip_reason = Some(reason);
        m.updated_at = domain::instant(self.now);
        self.store.save_meeting_over(&base, &m)?;
        self.reload()?;
        self.info("Skipped this week. See you at the next one.");
        Ok(())
    }

    fn show_step(&mut self, meeting: Meeting, step: usize) -> Result<(), AppError> {
        let form = self.step_form(&meeting, step)?;
        self.show_meeting(step, meeting, form);
        Ok(())
    }

    /// Puts a step of the meeting on screen (again).
    fn show_meeting(&mut self, step: usize, meeting: Meeting, form: Form) {
        self.overlay = Some(Overlay::Form {
            kind: FormKind::Meeting {
                step,
                meeting: Box::new(meeting),
            },
            form,
        });
    }

    pub(super) fn meeting_action(
        &mut self,
        step: usize,
        meeting: Meeting,
        mut form: Form,
        action: Action,
    ) -> Result<(), AppError> {
        let next = match action {
            Action::Close => return self.meeting_pause(step, meeting, &form),
            other => form_keys(&mut form, other, &mut self.editor_request, false),
        };
        if next {
            let before = meeting.clone();
            if let Err(e) = self.meeting_next(step, meeting, &form) {
                form.error = Some(err_text(e));
                self.show_meeting(step, before, form);
            }
            return Ok(());
        }
        self.show_meeting(step, meeting, form);
        Ok(())
    }

    /// Enter on the last field, or Ctrl-S: keep the step and move on (or finish).
    fn meeting_next(&mut self, step: usize, mut m: Meeting, form: &Form) -> Result<(), AppError> {
        let base = m.clone();
        self.collect(&mut m, step, form, true)?;
        // On a shared screen the trust step asks one partner at a time: the first to answer
        // hands over to the other, on the same step.
        let trusts = |m: &Meeting| m.answers.trust.as_ref().map_or(0, |t| t.len());
        let hand_over =
            step == TRUST_STEP && self.me.is_none() && trusts(&m) == 1 && trusts(&base) == 0;
        let next = if hand_over { step } else { step + 1 };
        m.answers.step = Some(next.min(STEPS.len() - 1) as u8);
        m.updated_at = domain::instant(self.now);
        if next >= STEPS.len() {
            // A week reopened to fix a word keeps the time it was first held.
            m.completed_at = m.completed_at.or(Some(domain::instant(self.now)));
        }
        // The agreements' marks and the step that gave them are saved together: a kill
        // between the two would leave marks recorded for a step that isn't.
        let marks = if step == 3 {
            marks_to_record(&m)
        } else {
            Vec::new()
        };
        let (evening, now) = (self.evening(), self.now);
        // Saved over what another window may have saved meanwhile, joined with it.
        let m = self.store.atomically(|store| {
            for (id, mark) in &marks {
                store.review_agreement(id, None, *mark, "", evening, now)?;
            }
            let mut recorded = m.answers.recorded.clone().unwrap_or_default();
            recorded.extend(marks.iter().cloned());
            if step == 3 && m.answers.agreements.is_some() {
                m.answers.recorded = Some(recorded);
            }
            store.save_meeting_over(&base, &m)
        })?;
        if next >= STEPS.len() {
            self.overlay = None;
            self.reload()?;
            let intention = m.intentions.first().cloned().unwrap_or_default();
            self.celebrate(format!("Weekly check-in saved. This week: “{intention}”."));
            return Ok(());
        }
        self.show_step(m, next)
    }

    /// Esc: whatever is written so far is kept, and W carries on from this step.
    fn meeting_pause(&mut self, step: usize, mut m: Meeting, form: &Form) -> Result<(), AppError> {
        let base = m.clone();
        self.collect(&mut m, step, form, false)?;
        m.answers.step = Some(step as u8);
        m.updated_at = domain::instant(self.now);
        self.store.save_meeting_over(&base, &m)?;
        self.overlay = None;
        self.reload()?;
        if m.completed_at.is_some() {
            self.info("Saved. This week's check-in stays held; W opens it again.");
        } else {
            self.info(format!(
                "Paused at step {} of {}. Press W to carry on.",
                step + 1,
                STEPS.len()
            ));
        }
        Ok(())
    }
}

/// Each mark goes into the agreement's history once, for both partners (they decide
/// together): those chosen at this step and not recorded already.
fn marks_to_record(m: &Meeting) -> Vec<(String, ReviewMark)> {
    let recorded = m.answers.recorded.clone().unwrap_or_default();
    m.answers
        .agreements
        .iter()
        .flatten()
        .filter_map(|(id, verdict)| Some((id.clone(), verdict.mark()?)))
        .filter(|(id, mark)| recorded.get(id) != Some(mark))
        .collect()
}
