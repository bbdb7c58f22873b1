//! The Tonight pane: each partner checks in alone, and the reveal shows both side by side.

use chrono::{Duration, NaiveDate, TimeZone};

use super::form::{Field, Form};
use super::layers::FormSaved;
use super::{App, Confirm, FormKind, Overlay, Pending, WhoFor};
use crate::action::Action;
use crate::domain::{
    closeness_word, mood_word, CheckIn, CheckInDraft, CheckInUpdate, Partner, Seat,
    CLOSENESS_WORDS, MOOD_WORDS,
};
use crate::error::{AppError, ValidationError};
use crate::prompts::{self, Prompt};
use crate::schedule;
use crate::store::{CheckInSaved, Store};

#[derive(Debug, Clone, Default)]
pub struct Tonight {
    pub evening: Option<NaiveDate>,
    pub prompt: Option<&'static Prompt>,
    /// Whether either of them starred tonight's prompt.
    pub starred: bool,
    pub checkins: [Option<CheckIn>; 2],
    pub revealed: bool,
    /// How far the reveal is scrolled (j/k).
    pub scroll: u16,
    /// The intention set at the latest weekly check-in, for the week it covers.
    pub intention: Option<String>,
    /// That check-in, when it planned a good time together.
    pub good_time: Option<crate::domain::Meeting>,
    pub evening_streak: u32,
    pub meeting_streak: u32,
}

impl Tonight {
    /// Tonight's prompt and both check-ins. A new evening hides the reveal again.
    pub(super) fn load(
        &mut self,
        store: &Store,
        couple: &[Partner; 2],
        evening: NaiveDate,
    ) -> Result<(), AppError> {
        if self.evening != Some(evening) {
            self.revealed = false;
        }
        self.evening = Some(evening);
        self.prompt = prompt_for(store, evening)?;
        self.starred = self
            .prompt
            .is_some_and(|p| store.starred_prompts().is_ok_and(|s| s.contains(&p.id)));
        for p in couple {
            self.checkins[p.seat] = store.checkin(&p.id, evening)?;
        }
        Ok(())
    }

    pub(super) fn load_streak(
        &mut self,
        store: &Store,
        evening: NaiveDate,
    ) -> Result<(), AppError> {
        let both = store.evenings_both_checked_in(evening - Duration::days(400))?;
        self.evening_streak = schedule::evening_streak(evening, &both);
        Ok(())
    }

    pub fn both_in(&self) -> bool {
        self.checkins.iter().all(Option::is_some)
    }
}

/// The evening's prompt: chosen with `n`, a starred one come back, or the evening's own.
fn prompt_for(store: &Store, evening: NaiveDate) -> Result<Option<&'static Prompt>, AppError> {
    let chosen = store.evening_prompt(evening)?;
    Ok(prompts::tonight(
        evening,
        chosen.as_deref(),
        &store.starred_prompts()?,
    ))
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    pub(super) fn tonight_action(&mut self, action: Action) -> Result<(), AppError> {
        match action {
            Action::CheckIn => self.ask_who(WhoFor::CheckIn)?,
            Action::Reveal if self.tonight.both_in() => {
                self.tonight.revealed = true;
                self.tonight.scroll = 0;
                // Tonight's words in the Journal waited for this.
                self.journal.stale = true;
            }
            Action::Reveal => self.info("The reveal opens once you have both checked in."),
            Action::AnotherPrompt => self.another_prompt()?,
            Action::GoodTimeDone => self.good_time_done()?,
            Action::StarPrompt if self.tonight.prompt.is_some() => {
                self.ask_who(WhoFor::StarPrompt)?
            }
            // The reveal scrolls; the drawing clamps it to what there is.
            Action::Up => self.tonight.scroll = self.tonight.scroll.saturating_sub(1),
            Action::Down => self.tonight.scroll = self.tonight.scroll.saturating_add(1).min(200),
            Action::Top | Action::Bottom => self.tonight.scroll = 0,
            _ => {}
        }
        Ok(())
    }

    /// Another prompt for tonight, the same for both: once someone has answered tonight's,
    /// it stays, so their answer keeps its question.
    fn another_prompt(&mut self) -> Result<(), AppError> {
        let Some(current) = self.tonight.prompt else {
            return Ok(());
        };
        let answered = self
            .tonight
            .checkins
            .iter()
            .flatten()
            .any(|c| !c.prompt_answer.is_empty());
        if answered {
            self.info("Tonight's prompt has an answer already; it stays for tonight.");
            return Ok(());
        }
        let Some(next) = prompts::another(current) else {
            return Ok(());
        };
        let evening = self.evening();
        self.store
            .choose_evening_prompt(evening, &next.id, self.now)?;
        self.tonight.prompt = Some(next);
        self.tonight.starred = self.store.starred_prompts()?.contains(&next.id);
        Ok(())
    }

    /// `t`: this week's good time was had. Saved on the weekly check-in, over whatever was
    /// saved meanwhile; then a win is offered.
    fn good_time_done(&mut self) -> Result<(), AppError> {
        let Some(base) = self.tonight.good_time.clone() else {
            self.info("No good time planned this week. Plan one at the weekly check-in (W).");
            return Ok(());
        };
        let mut m = base.clone();
        let Some(g) = m.answers.good_time.as_mut() else {
            return Ok(());
        };
        if g.done_at.is_some() {
            self.info("Already marked: you had it. ♥");
            return Ok(());
        }
        g.done_at = Some(crate::domain::instant(self.now));
        m.updated_at = crate::domain::instant(self.now);
        self.store.save_meeting_over(&base, &m)?;
        self.reload()?;
        self.confirm = Some(Confirm {
            question: "Lovely. Log it as a win too?".into(),
            pending: Pending::GoodTimeWin,
        });
        Ok(())
    }

    pub(super) fn log_good_time_win(&mut self, seat: Seat) -> Result<(), AppError> {
        let Some(what) = self
            .tonight
            .good_time
            .as_ref()
            .and_then(|m| m.answers.good_time.as_ref())
            .map(|g| g.what.clone())
        else {
            return Ok(());
        };
        let draft = crate::domain::WinDraft {
            text: format!("We had our good time: {what}"),
            about: None,
            tags: vec!["goodtime".into()],
        };
        let who = self.partner_id(seat)?;
        self.store.log_win(&who, &draft, self.evening(), self.now)?;
        self.last_actor = seat;
        self.reload()?;
        self.celebrate("Logged as a win. ♥");
        Ok(())
    }

    /// The prompt a check-in of `evening` answers.
    fn prompt_of(&self, evening: NaiveDate) -> Option<&'static Prompt> {
        if self.tonight.evening == Some(evening) {
            return self.tonight.prompt;
        }
        prompt_for(&self.store, evening).ok().flatten()
    }

    pub(super) fn star_prompt(&mut self, seat: Seat) -> Result<(), AppError> {
        let Some(p) = self.tonight.prompt else {
            return Ok(());
        };
        let who = self.partner_id(seat)?;
        let starred = !self.store.is_starred(&who, &p.id)?;
        self.store.star_prompt(&who, &p.id, starred, self.now)?;
        self.tonight.starred = self.store.starred_prompts()?.contains(&p.id);
        let name = self.name(seat);
        self.info(&if starred {
            format!("Starred for {name}: it will come back now and then.")
        } else {
            "The star is gone; it comes round with the others.".to_string()
        });
        Ok(())
    }

    /// The app can't know who is at the keyboard; opening someone's answers before the reveal
    /// is at least a deliberate step.
    pub(super) fn chose_checkin(&mut self, seat: Seat) {
        let other_in = self.tonight.checkins[seat.other()].is_some();
        if self.tonight.checkins[seat].is_some() && !other_in {
            let name = self.name(seat);
            self.confirm = Some(Confirm {
                question: format!(
                    "Open {name}'s answers? Only {name} should see them before the reveal."
                ),
                pending: Pending::OpenCheckIn(seat),
            });
        } else {
            self.open_checkin(seat)
        }
    }

    pub(super) fn open_checkin(&mut self, seat: Seat) {
        let evening = self.evening();
        let existing = self.tonight.checkins[seat].clone();
        let other_in = self.tonight.checkins[seat.other()].is_some();
        self.show_checkin_form(seat, evening, existing, other_in);
    }

    /// The check-in form on `existing` (or empty), saved over what it was opened on.
    fn show_checkin_form(
        &mut self,
        seat: Seat,
        evening: NaiveDate,
        existing: Option<CheckIn>,
        other_in: bool,
    ) {
        let form = self.checkin_form(seat, existing.as_ref(), other_in, evening);
        self.overlay = Some(Overlay::Form {
            kind: FormKind::CheckIn {
                partner: seat,
                evening,
                base: existing.map(Box::new),
            },
            form,
        });
    }

    /// Yesterday's check-in, put right: allowed until you have both checked in tonight (the
    /// next evening's reveal), and shown as edited after.
    pub(super) fn edit_past_checkin(
        &mut self,
        seat: Seat,
        evening: NaiveDate,
    ) -> Result<(), AppError> {
        let tonight = self.evening();
        if evening == tonight {
            self.chose_checkin(seat);
            return Ok(());
        }
        if evening + Duration::days(1) != tonight || self.tonight.both_in() {
            self.info(
                "Only yesterday's check-in can be put right, and only until you have both checked in tonight.",
            );
            return Ok(());
        }
        let me = self.partner_id(seat)?;
        let existing = self.store.checkin(&me, evening)?;
        if existing.is_none() {
            self.info(format!("{} didn't check in that evening.", self.name(seat)));
            return Ok(());
        }
        let other_in = self
            .store
            .checkin(&self.partner_id(seat.other())?, evening)?
            .is_some();
        self.show_checkin_form(seat, evening, existing, other_in);
        Ok(())
    }

    fn checkin_form(
        &self,
        seat: Seat,
        existing: Option<&CheckIn>,
        other_in: bool,
        evening: NaiveDate,
    ) -> Form {
        let name = self.name(seat);
        let other = self.name(seat.other());
        let prompt = existing
            .and_then(|c| c.prompt_id.as_deref())
            .and_then(prompts::by_id)
            .or(self.prompt_of(evening));
        let rating = |v: u8| (1..=5).contains(&v).then_some(v);
        let text = |f: fn(&CheckIn) -> &String| existing.map(|c| f(c).as_str()).unwrap_or("");
        let mut fields = vec![
            Field::rating(
                "mood",
                "How did today feel?",
                existing.and_then(|c| rating(c.mood)),
                &MOOD_WORDS,
            ),
            Field::rating(
                "closeness",
                &format!("How close do you feel to {other}?"),
                existing.and_then(|c| rating(c.closeness)),
                &CLOSENESS_WORDS,
            ),
            Field::block(
                "appreciation",
                &format!("One thing you appreciated about {other}"),
                text(|c| &c.appreciation),
                "something small counts",
            ),
            Field::block(
                "need",
                "One thing you need, or wish for",
                text(|c| &c.need),
                "optional",
            ),
        ];
        let past = evening != self.evening();
        let mut intro = vec![if past {
            format!(
                "{name}, this is yours, from {}. It will show as edited.",
                evening.format("%A %-d %B")
            )
        } else if other_in {
            format!("{name}, this is yours. {other} has already checked in; you'll see each other's answers in the reveal.")
        } else {
            format!("{name}, this is yours. {other}'s answers stay hidden until you have both checked in.")
        }];
        if let Some(p) = prompt {
            let label = if past {
                "That evening's prompt (optional)"
            } else {
                "Tonight's prompt (optional)"
            };
            fields.push(Field::block(
                "prompt",
                label,
                text(|c| &c.prompt_answer),
                &p.text,
            ));
            let when = if past { "That evening's" } else { "Tonight's" };
            intro.push(format!("{when} prompt ({}): {}", p.practice, p.text));
        }
        let title = if existing.is_some() {
            format!("{name}'s check-in (editing)")
        } else {
            format!("{name}'s check-in")
        };
        Form::new(&title, fields).with_intro(intro)
    }

    /// An entry started before the evening turned over still belongs to its evening.
    pub(super) fn save_checkin(
        &mut self,
        seat: Seat,
        evening: NaiveDate,
        base: Option<&CheckIn>,
        form: &Form,
    ) -> Result<FormSaved, AppError> {
        let (Some(mood), Some(closeness)) = (form.rating("mood"), form.rating("closeness")) else {
            let missing = if form.rating("mood").is_none() {
                "how today felt"
            } else {
                "how close you feel"
            };
            return Err(ValidationError::Rule(format!("choose {missing}, 1 to 5")).into());
        };
        let update = CheckInUpdate {
            mood,
            closeness,
            appreciation: Some(form.text("appreciation")),
            need: Some(form.text("need")),
            note: None,
            prompt: Some((
                base.and_then(|c| c.prompt_id.clone())
                    .or(self.prompt_of(evening).map(|p| p.id.clone())),
                form.text("prompt"),
            )),
        };
        let who = self.partner_id(seat)?;
        let ours = update.onto(base);
        let saved = self
            .store
            .save_checkin_from(&who, evening, base, &ours, self.now)?;
        if let CheckInSaved::Conflict { theirs, fields } = saved {
            return Ok(self.both_versions(seat, evening, form, &ours, theirs, &fields));
        }
        self.reload()?;
        if evening != self.evening() {
            self.info("Saved. It shows as edited in the Journal.");
        } else if self.tonight.revealed {
            self.info("Saved. You both see it as it is now.");
        } else if self.tonight.both_in() {
            self.celebrate("You've both checked in. Press r to reveal together.");
        } else {
            let (name, other) = (self.name(seat), self.name(seat.other()));
            self.info(format!(
                "Saved, {name}. Your answers stay hidden until {other} checks in."
            ));
        }
        Ok(FormSaved::Closed)
    }

    /// The same words were changed elsewhere while this form was open: it comes back with both
    /// versions, to keep what they want of each, and saving it then writes over what they saw.
    fn both_versions(
        &mut self,
        seat: Seat,
        evening: NaiveDate,
        form: &Form,
        ours: &CheckInDraft,
        theirs: CheckIn,
        fields: &[&str],
    ) -> FormSaved {
        let mut form = form.clone();
        let texts: [(&str, &str, &str, &str); 3] = [
            (
                "appreciation",
                "appreciation",
                &ours.appreciation,
                &theirs.appreciation,
            ),
            ("need", "need", &ours.need, &theirs.need),
            (
                "prompt",
                "prompt_answer",
                &ours.prompt_answer,
                &theirs.prompt_answer,
            ),
        ];
        for (key, field, mine, other) in texts {
            if fields.contains(&field) {
                form.set_field_text(
                    key,
                    &format!("{mine}\n\n— saved meanwhile in another window —\n{other}"),
                );
            }
        }
        if fields.contains(&"mood") || fields.contains(&"closeness") {
            form.intro.push(format!(
                "Saved meanwhile in another window: mood {} ({}), closeness {} ({}).",
                theirs.mood,
                mood_word(theirs.mood),
                theirs.closeness,
                closeness_word(theirs.closeness)
            ));
        }
        form.error = Some(super::form::BOTH_VERSIONS.into());
        FormSaved::Again(
            FormKind::CheckIn {
                partner: seat,
                evening,
                base: Some(Box::new(theirs)),
            },
            form,
        )
    }
}
