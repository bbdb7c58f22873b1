//! The first-run screen (both names, the weekly time, an optional passphrase) and the
//! settings form. Locking the journal at setup happens here too.

use std::path::Path;

use chrono::{NaiveTime, TimeZone};

use super::form::{Field, Form};
use super::layers::form_keys;
use super::{err_text, App, Confirm, FormKind, Overlay, Pending};
use crate::action::Action;
use crate::domain::{self, Passphrase, Settings, WEEKDAYS};
use crate::error::{AppError, StoreError, ValidationError};
use crate::store::Store;

/// The weekly check-in's day and time, as the setup screen and settings both ask them.
fn weekly_fields(s: &Settings) -> [Field; 2] {
    let days = WEEKDAYS
        .iter()
        .map(|d| domain::weekday_name(*d).to_string())
        .collect();
    [
        Field::choice(
            "day",
            "Weekly check-in day",
            days,
            s.weekly_weekday.num_days_from_monday() as usize,
        ),
        Field::line(
            "time",
            "Weekly check-in time",
            &s.weekly_time.format("%H:%M").to_string(),
            "19:00",
        ),
    ]
}

/// A journal that is already locked (with `duet encrypt`) isn't offered a passphrase again.
pub(super) fn setup_form(s: &Settings, locked: bool) -> Form {
    let [day, time] = weekly_fields(s);
    let mut fields = vec![
        Field::line("name", "Your name", "", "first partner"),
        Field::line("partner", "Your partner's name", "", "second partner"),
        day,
        time,
    ];
    let mut intro = vec![
        "Each evening you both check in; once a week, a longer check-in together. \
         Everything stays in one file on this computer."
            .to_string(),
    ];
    if !locked {
        fields.push(Field::secret(
            "passphrase",
            "Passphrase (optional)",
            "leave empty to keep the journal unlocked",
        ));
        fields.push(Field::secret(
            "passphrase_again",
            "The same passphrase again",
            "",
        ));
        intro.push(crate::passphrase::WARNING.into());
    }
    Form::new("Welcome to duet", fields).with_intro(intro)
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    pub(super) fn setup_action(&mut self, action: Action) -> Result<(), AppError> {
        let Some(mut form) = self.setup.take() else {
            return Ok(());
        };
        let save = match action {
            Action::Close | Action::Quit => {
                if form.dirty {
                    self.confirm = Some(Confirm {
                        question: "Leave setup? What you typed isn't saved yet.".into(),
                        pending: Pending::Quit,
                    });
                } else {
                    self.quit = true;
                }
                self.setup = Some(form);
                return Ok(());
            }
            other => form_keys(&mut form, other, &mut self.editor_request, false),
        };
        if save {
            match self.finish_setup(&form) {
                Ok(()) => {
                    self.locked_with = None;
                    self.reload()?;
                    let [a, b] = self
                        .couple
                        .clone()
                        .map(|c| c.map(|p| p.name))
                        .unwrap_or_default();
                    self.info(if self.store.is_locked() {
                        format!("Welcome, {a} and {b}. Your passphrase now locks the journal file.")
                    } else {
                        format!("Welcome, {a} and {b}. Press c to check in for tonight.")
                    });
                    return Ok(());
                }
                Err(e) => form.error = Some(err_text(e)),
            }
        }
        self.setup = Some(form);
        Ok(())
    }

    fn finish_setup(&mut self, form: &Form) -> Result<(), AppError> {
        let a = form.text("name");
        let b = form.text("partner");
        domain::name(&a)?;
        domain::name(&b)?;
        let time = domain::time_of_day(&form.text("time"))?;
        let key = chosen_passphrase(form)?;
        // Locked before the names are written, so they never reach the disk as plain text.
        if let Some(key) = &key {
            match self.locked_with.clone() {
                // Locked by an earlier try of this form, whose names then failed to save.
                Some(old) if old == *key => {}
                Some(old) => self.lock_journal(Some(&old), key)?,
                None => self.lock_journal(None, key)?,
            }
        }
        self.store.set_partners([&a, &b], self.now)?;
        let mut s = self.settings;
        s.weekly_weekday = WEEKDAYS[form.choice("day")];
        s.weekly_time = time;
        self.store.save_settings(&s, self.now)?;
        Ok(())
    }

    /// Rewrites the journal locked with `key` (it was plain, or locked with `from`). The store
    /// is closed for the swap (the copy refuses while anything has the journal open) and
    /// opened again with whichever lock it has afterwards.
    fn lock_journal(
        &mut self,
        from: Option<&Passphrase>,
        key: &Passphrase,
    ) -> Result<(), AppError> {
        let Some(path) = self.store.path().map(Path::to_owned) else {
            return Err(StoreError::Sql("a journal in memory can't be locked".into()).into());
        };
        drop(std::mem::replace(&mut self.store, Store::open_in_memory()?));
        let locked = crate::store::relock(&path, from, Some(key));
        let now_with = if locked.is_ok() { Some(key) } else { from };
        match Store::open_with(&path, now_with) {
            Ok(store) => self.store = store,
            Err(e) => {
                // Nothing may be written to the stand-in: better to stop than to lose words.
                self.fatal = Some(err_text(e));
                self.quit = true;
                return Ok(());
            }
        }
        locked?;
        self.locked_with = Some(key.clone());
        Ok(())
    }

    pub(super) fn open_settings(&mut self) {
        let s = self.settings;
        let [day, time] = weekly_fields(&s);
        let form = Form::new(
            "Settings",
            vec![
                day,
                time,
                Field::line(
                    "new_evening",
                    "A new evening starts at",
                    &s.day_boundary.format("%H:%M").to_string(),
                    "04:00",
                ),
            ],
        )
        .with_intro(vec![
            "Check-ins before the new-evening time count for the evening before.".into(),
        ]);
        self.overlay = Some(Overlay::Form {
            kind: FormKind::Settings,
            form,
        });
    }

    pub(super) fn save_settings(&mut self, form: &Form) -> Result<(), AppError> {
        let time = |key: &str| domain::time_of_day(&form.text(key));
        let mut s = self.settings;
        s.weekly_weekday = WEEKDAYS[form.choice("day").min(6)];
        s.weekly_time = time("time")?;
        s.day_boundary = time("new_evening")?;
        if s.day_boundary > NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default() {
            return Err(ValidationError::Rule(
                "a new evening should start between 00:00 and 12:00".into(),
            )
            .into());
        }
        self.store.save_settings(&s, self.now)?;
        self.reload()?;
        self.info(format!("Saved. {}", self.weekly_line));
        Ok(())
    }
}

/// The passphrase typed twice on the setup screen, if one was; both empty means none.
fn chosen_passphrase(form: &Form) -> Result<Option<Passphrase>, AppError> {
    let (first, again) = (form.text("passphrase"), form.text("passphrase_again"));
    if first.is_empty() && again.is_empty() {
        return Ok(None);
    }
    let key = Passphrase::chosen(&first)?;
    if Passphrase::typed(&again) != key {
        return Err(ValidationError::Rule(
            "the two passphrases differ; type the same one twice".into(),
        )
        .into());
    }
    Ok(Some(key))
}
