//! The Wins pane: small wins logged, celebrated by the other partner, filtered and searched.
//! The newest are read a page at a time, so years of wins open as fast as a week's.

use chrono::TimeZone;

use super::form::{Field, Form};
use super::layers::FormSaved;
use super::{moved, App, Confirm, FormKind, Overlay, Pending};
use crate::action::Action;
use crate::domain::{Seat, Win, WinDraft};
use crate::error::AppError;
use crate::store::{Store, WinEdit, WinFilter, WinSaved};

/// How many wins the Wins pane loads at once.
pub const WIN_PAGE: usize = 300;

#[derive(Debug, Clone)]
pub struct Wins {
    /// How many of the newest wins are loaded; grows a page at a time as the list is scrolled.
    pub limit: usize,
    /// More wins exist beyond those loaded: older ones, or newer ones when the list was
    /// read from the oldest end.
    pub more: bool,
    /// The loaded wins are the oldest ones (after G), not the newest.
    pub from_oldest: bool,
    pub filter: WinFilter,
    pub list: Vec<Win>,
    pub selected: usize,
    pub total: i64,
    pub tags: Vec<String>,
    /// Wins deleted this session, the last last: `u` brings them back one by one.
    pub deleted: Vec<String>,
    /// The rows must be read again before the pane is next drawn.
    pub(super) stale: bool,
}

impl Default for Wins {
    fn default() -> Self {
        Wins {
            limit: WIN_PAGE,
            more: false,
            from_oldest: false,
            filter: WinFilter::default(),
            list: Vec::new(),
            selected: 0,
            total: 0,
            tags: Vec::new(),
            deleted: Vec::new(),
            stale: true,
        }
    }
}

impl Wins {
    pub fn selected(&self) -> Option<&Win> {
        self.list.get(self.selected)
    }

    /// The selection follows its win by id when rows come in from elsewhere.
    pub(super) fn load(&mut self, store: &Store) -> Result<(), AppError> {
        if !self.stale {
            return Ok(());
        }
        let keep = self.selected().map(|w| w.id.clone());
        self.list = if self.from_oldest {
            store.oldest_wins(&self.filter, self.limit)?
        } else {
            store.wins(&self.filter, self.limit)?
        };
        self.more = self.list.len() >= self.limit;
        self.selected = keep
            .and_then(|id| self.list.iter().position(|w| w.id == id))
            .unwrap_or(self.selected)
            .min(self.list.len().saturating_sub(1));
        self.total = store.win_count()?;
        self.stale = false;
        Ok(())
    }

    /// Reads `limit` wins from now on, from the newest end or the oldest.
    fn read(&mut self, store: &Store, limit: usize, from_oldest: bool) -> Result<(), AppError> {
        self.limit = limit;
        self.from_oldest = from_oldest;
        self.stale = true;
        self.load(store)
    }
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    pub(super) fn wins_action(&mut self, action: Action) -> Result<(), AppError> {
        match action {
            // The far end of a long list is read as a page of its own, like the near end.
            Action::Bottom if self.wins.more && !self.wins.from_oldest => {
                self.wins.read(&self.store, WIN_PAGE, true)?;
                self.wins.selected = self.wins.list.len().saturating_sub(1);
            }
            Action::Top if self.wins.more && self.wins.from_oldest => {
                self.wins.read(&self.store, WIN_PAGE, false)?;
                self.wins.selected = 0;
            }
            Action::Up | Action::Down | Action::Top | Action::Bottom => {
                let w = &mut self.wins;
                w.selected = moved(w.selected, w.list.len(), &action);
                // Near the end of what is loaded, the next page comes in (the selection
                // follows its win, wherever the new page puts it).
                let near_end = if w.from_oldest {
                    w.selected < 20
                } else {
                    w.selected + 20 >= w.list.len()
                };
                if w.more && near_end {
                    let (limit, from_oldest) = (w.limit + WIN_PAGE, w.from_oldest);
                    self.wins.read(&self.store, limit, from_oldest)?;
                }
            }
            Action::AddWin => self.open_win_form(),
            Action::EditWin => self.open_win_edit(),
            Action::DeleteWin => self.delete_win()?,
            Action::UndoDelete => self.undo_delete()?,
            Action::Celebrate => self.celebrate_win()?,
            Action::SearchWins => {
                let form = Form::new(
                    "Search wins",
                    vec![Field::line("words", "Words", "", "type, then Enter")],
                );
                self.overlay = Some(Overlay::Form {
                    kind: FormKind::SearchWins,
                    form,
                });
            }
            Action::CyclePersonFilter => {
                let mut options: Vec<Option<String>> = vec![None];
                if let Some(c) = &self.couple {
                    options.extend(c.iter().map(|p| Some(p.id.clone())));
                }
                options.push(Some("us".into()));
                self.wins.filter.person = next_option(&options, &self.wins.filter.person);
                self.wins.selected = 0;
                self.reload()?;
            }
            Action::CycleTagFilter => self.cycle_tag_filter()?,
            Action::ClearFilters => {
                self.wins.filter = WinFilter::default();
                self.reload()?;
            }
            _ => {}
        }
        Ok(())
    }

    fn cycle_tag_filter(&mut self) -> Result<(), AppError> {
        // Tags are gathered only when asked for: that query reads every win.
        self.wins.tags = self.store.win_tags()?;
        if self.wins.tags.is_empty() {
            self.info("No tags yet. Add one when you log a win.");
            return Ok(());
        }
        let mut options: Vec<Option<String>> = vec![None];
        options.extend(self.wins.tags.iter().cloned().map(Some));
        self.wins.filter.tag = next_option(&options, &self.wins.filter.tag);
        self.wins.selected = 0;
        self.reload()
    }

    fn open_win_form(&mut self) {
        let by = Seat::ALL
            .iter()
            .position(|s| *s == self.last_actor)
            .unwrap_or(0);
        let form = self.win_form("A small win", "", by, 2, "");
        self.overlay = Some(Overlay::Form {
            kind: FormKind::AddWin,
            form,
        });
    }

    /// The same form, filled with the selected win.
    fn open_win_edit(&mut self) {
        let Some(w) = self.wins.selected().cloned() else {
            self.info("No win selected.");
            return;
        };
        let seat = |id: &str| self.seat_of(id).map_or(0, |s| usize::from(s.number() - 1));
        let about = w.about.as_deref().map_or(2, seat);
        let form = self.win_form(
            "Edit the win",
            &w.text,
            seat(&w.logged_by),
            about,
            &w.tags.join(" "),
        );
        self.overlay = Some(Overlay::Form {
            kind: FormKind::EditWin(Box::new(w)),
            form,
        });
    }

    fn win_form(&self, title: &str, text: &str, by: usize, about: usize, tags: &str) -> Form {
        let names: Vec<String> = self
            .couple
            .iter()
            .flatten()
            .map(|p| p.name.clone())
            .collect();
        let mut abouts = names.clone();
        abouts.push("us".into());
        let mut fields = vec![Field::line(
            "text",
            "What went well?",
            text,
            "one line; Enter saves",
        )];
        // A paired device is one partner's: what is logged on it is theirs.
        if self.me.is_none() {
            fields.push(Field::choice("by", "Logged by", names, by));
        }
        fields.push(Field::choice("about", "About", abouts, about));
        fields.push(Field::line(
            "tags",
            "Tags",
            tags,
            "optional, space separated: kindness home",
        ));
        Form::new(title, fields)
    }

    /// Who logged it and whom it is about, as the form says them.
    fn win_people(&self, form: &Form) -> Result<(Seat, Option<String>), AppError> {
        let by = match self.me {
            Some(me) => me,
            None => Seat::ALL[form.choice("by").min(1)],
        };
        // The last option is "us".
        let about = match Seat::ALL.get(form.choice("about")) {
            Some(seat) => Some(self.partner_id(*seat)?),
            None => None,
        };
        Ok((by, about))
    }

    pub(super) fn save_win_edit(&mut self, base: &Win, form: &Form) -> Result<FormSaved, AppError> {
        let (by, about) = self.win_people(form)?;
        let edit = WinEdit {
            text: form.text("text"),
            // On a paired device the form has no "logged by": the win stays whose it was.
            logged_by: if self.me.is_some() {
                base.logged_by.clone()
            } else {
                self.partner_id(by)?
            },
            about,
            tags: tags_of(form),
        };
        match self.store.edit_win(base, &edit, self.now)? {
            WinSaved::Saved(_) => {
                self.reload()?;
                self.info("Saved; the win says so now.");
                Ok(FormSaved::Closed)
            }
            WinSaved::Conflict { theirs, fields } => {
                let mut form = form.clone();
                if fields.contains(&"text") {
                    form.set_field_text(
                        "text",
                        &format!("{} — or, saved meanwhile: {}", edit.text, theirs.text),
                    );
                    // The line scrolls; the other version is shown whole above it as well.
                    form.intro.push(format!("Saved meanwhile: {}", theirs.text));
                }
                form.error = Some(super::form::BOTH_VERSIONS.into());
                Ok(FormSaved::Again(FormKind::EditWin(Box::new(theirs)), form))
            }
        }
    }

    /// Deleted at once, and `u` brings it back: nothing is lost to one wrong key.
    fn delete_win(&mut self) -> Result<(), AppError> {
        let Some(w) = self.wins.selected().cloned() else {
            self.info("No win selected.");
            return Ok(());
        };
        self.store.delete_win(&w.id, self.now)?;
        self.wins.deleted.push(w.id);
        self.reload()?;
        self.info(format!(
            "Deleted \"{}\". u brings it back, until you quit.",
            crate::text::fit(&w.text, 30)
        ));
        Ok(())
    }

    fn undo_delete(&mut self) -> Result<(), AppError> {
        let Some(id) = self.wins.deleted.pop() else {
            self.info("Nothing deleted to bring back.");
            return Ok(());
        };
        let w = self.store.restore_win(&id)?;
        self.reload()?;
        if let Some(i) = self.wins.list.iter().position(|x| x.id == w.id) {
            self.wins.selected = i;
        }
        self.info(format!(
            "Brought back \"{}\".",
            crate::text::fit(&w.text, 40)
        ));
        Ok(())
    }

    pub(super) fn uncelebrate_confirmed(&mut self, id: &str) -> Result<(), AppError> {
        self.store.uncelebrate_win(id)?;
        self.reload()?;
        self.info("The ♥ is taken back.");
        Ok(())
    }

    pub(super) fn save_win(&mut self, form: &Form) -> Result<(), AppError> {
        let (by, about) = self.win_people(form)?;
        let draft = WinDraft {
            text: form.text("text"),
            about,
            tags: tags_of(form),
        };
        let who = self.partner_id(by)?;
        let logged = self.store.log_win(&who, &draft, self.evening(), self.now)?;
        self.last_actor = by;
        self.reload()?;
        self.wins.selected = self
            .wins
            .list
            .iter()
            .position(|w| w.id == logged.win.id)
            .unwrap_or(0);
        match logged.milestone {
            Some(m) => self.celebrate(format!("🎉 {m}")),
            None => self.info("Saved. Nice one."),
        }
        Ok(())
    }

    pub(super) fn search_wins(&mut self, form: &Form) -> Result<(), AppError> {
        let t = form.text("words").trim().to_string();
        self.wins.filter.text = (!t.is_empty()).then_some(t);
        self.wins.selected = 0;
        self.reload()
    }

    /// The partner who didn't log a win is the one who celebrates it.
    fn celebrate_win(&mut self) -> Result<(), AppError> {
        let Some(w) = self.wins.selected().cloned() else {
            self.info("No win selected.");
            return Ok(());
        };
        let me = self.me.and_then(|seat| self.partner_id(seat).ok());
        if let (Some(me), Some(by)) = (&me, &w.celebrated_by) {
            if me != by {
                let name = self.name_of(by).to_string();
                self.info(format!("That ♥ is {name}'s: only they can take it back."));
                return Ok(());
            }
        }
        if me.as_ref() == Some(&w.logged_by) && w.celebrated_by.is_none() {
            let other = self
                .couple
                .iter()
                .flatten()
                .find(|p| p.id != w.logged_by)
                .map_or("your partner".to_string(), |p| p.name.clone());
            self.info(format!(
                "A win is celebrated by the other partner: {other} can ♥ it on their device."
            ));
            return Ok(());
        }
        if w.celebrated_by.is_some() {
            self.confirm = Some(Confirm {
                question: format!("Take back the ♥ on \"{}\"?", crate::text::fit(&w.text, 40)),
                pending: Pending::Uncelebrate { id: w.id },
            });
            return Ok(());
        }
        let Some(by) = self
            .couple
            .iter()
            .flatten()
            .find(|p| p.id != w.logged_by)
            .cloned()
        else {
            return Ok(());
        };
        self.store.celebrate_win(&w.id, &by.id, self.now)?;
        self.reload()?;
        let logger = self.name_of(&w.logged_by).to_string();
        // A win about the one celebrating it is something the other noticed in them.
        let text = if w.about.as_deref() == Some(by.id.as_str()) {
            format!("♥ {} celebrated what {logger} noticed in them.", by.name)
        } else {
            format!("♥ {} celebrated {logger}'s win.", by.name)
        };
        self.celebrate(text);
        Ok(())
    }
}

/// The option after `current` in a cycle (the first when `current` isn't one of them).
fn next_option<T: PartialEq + Clone>(options: &[T], current: &T) -> T {
    let i = options
        .iter()
        .position(|o| o == current)
        .map_or(0, |i| i + 1);
    options[i % options.len()].clone()
}

/// The tags field, a tag per word.
fn tags_of(form: &Form) -> Vec<String> {
    form.text("tags")
        .split_whitespace()
        .map(String::from)
        .collect()
}
