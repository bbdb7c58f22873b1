//! The Journal pane: the evenings read back, newest first, a page at a time; an evening in
//! full; a jump to a date or a month; a search across what was written.

use chrono::{Datelike, Duration, Months, NaiveDate, TimeZone};

use super::form::{Field, Form};
use super::{moved, App, FormKind, Overlay};
use crate::action::Action;
use crate::domain;
use crate::error::{AppError, ValidationError};
use crate::readback;
use crate::store::{EveningRecord, Store};

/// How many evenings are read at once.
pub const EVENING_PAGE: usize = 60;

#[derive(Debug, Clone, Default)]
pub struct JournalView {
    /// The evenings read so far, newest first, with what isn't to be shown taken out.
    pub evenings: Vec<EveningRecord>,
    pub selected: usize,
    /// Older evenings exist beyond those read.
    pub more: bool,
    /// The words searched for, when the list shows only the evenings holding them.
    pub search: Option<String>,
    /// The list starts with the latest evening before this day (after a jump), or tonight.
    pub(super) before: Option<NaiveDate>,
    pub(super) stale: bool,
}

impl JournalView {
    pub fn selected(&self) -> Option<&EveningRecord> {
        self.evenings.get(self.selected)
    }

    pub(super) fn fresh() -> JournalView {
        JournalView {
            stale: true,
            ..Default::default()
        }
    }

    /// The evenings of `dates`, read together, each private part taken out. Tonight's words
    /// wait for tonight's reveal, as on Tonight.
    fn records(
        store: &Store,
        dates: &[NaiveDate],
        tonight: NaiveDate,
        revealed: bool,
    ) -> Result<Vec<EveningRecord>, AppError> {
        let (Some(newest), Some(oldest)) = (dates.first(), dates.last()) else {
            return Ok(Vec::new());
        };
        let records = store.evening_records(*oldest, *newest)?;
        Ok(records
            .into_iter()
            .filter(|r| dates.contains(&r.evening))
            .map(|r| {
                let shown = readback::shareable(&r) && (r.evening != tonight || revealed);
                readback::words_shown(r, shown)
            })
            .collect())
    }
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    /// Reads the first page (or the search's evenings), keeping the selection on its evening.
    pub(super) fn load_journal(&mut self) -> Result<(), AppError> {
        let keep = self.journal.selected().map(|r| r.evening);
        let tonight = self.evening();
        let revealed = self.tonight.revealed;
        let dates = match &self.journal.search {
            Some(words) => {
                let words: Vec<String> = words.split_whitespace().map(String::from).collect();
                self.store.search_evenings(&words, EVENING_PAGE * 4)?
            }
            None => {
                let before = self.journal.before.unwrap_or(tonight + Duration::days(1));
                self.store.evenings_before(before, EVENING_PAGE)?
            }
        };
        let j = &mut self.journal;
        j.more = j.search.is_none() && dates.len() >= EVENING_PAGE;
        j.evenings = JournalView::records(&self.store, &dates, tonight, revealed)?;
        if let Some(words) = &j.search {
            // A match only in words that stay private doesn't count.
            let words: Vec<String> = words.split_whitespace().map(domain::fold).collect();
            let couple = self.couple.clone().unwrap_or_else(unreachable_couple);
            j.evenings.retain(|r| {
                let text = domain::fold(&readback::evening_lines(r, &couple).join(" "));
                let meeting = r
                    .meeting
                    .as_ref()
                    .map(|m| domain::fold(&readback::meeting_lines(m, &couple).join(" ")))
                    .unwrap_or_default();
                words
                    .iter()
                    .all(|w| text.contains(w) || meeting.contains(w))
            });
        }
        j.selected = keep
            .and_then(|d| j.evenings.iter().position(|r| r.evening == d))
            .unwrap_or(0)
            .min(j.evenings.len().saturating_sub(1));
        j.stale = false;
        Ok(())
    }

    /// The next page of older evenings, added to the end.
    fn load_older(&mut self) -> Result<(), AppError> {
        let Some(last) = self.journal.evenings.last().map(|r| r.evening) else {
            return Ok(());
        };
        let dates = self.store.evenings_before(last, EVENING_PAGE)?;
        self.journal.more = dates.len() >= EVENING_PAGE;
        let older =
            JournalView::records(&self.store, &dates, self.evening(), self.tonight.revealed)?;
        self.journal.evenings.extend(older);
        Ok(())
    }

    pub(super) fn journal_action(&mut self, action: Action) -> Result<(), AppError> {
        match action {
            Action::Up | Action::Down | Action::Top | Action::Bottom => {
                let j = &mut self.journal;
                j.selected = moved(j.selected, j.evenings.len(), &action);
                if j.more && j.selected + 10 >= j.evenings.len() {
                    self.load_older()?;
                }
            }
            Action::ShowHistory => self.open_evening()?,
            Action::SearchWins => {
                let form = Form::new(
                    "Search the journal",
                    vec![Field::line("words", "Words", "", "type, then Enter")],
                );
                self.overlay = Some(Overlay::Form {
                    kind: FormKind::SearchJournal,
                    form,
                });
            }
            Action::EditEvening if self.journal.selected().is_some() => {
                self.ask_who(super::WhoFor::EditEvening)?
            }
            Action::GoToDate => {
                let form = Form::new(
                    "Go to an evening",
                    vec![Field::line(
                        "date",
                        "Which evening?",
                        "",
                        "2026-11-23, today, yesterday, last sunday…",
                    )],
                );
                self.overlay = Some(Overlay::Form {
                    kind: FormKind::GoToDate,
                    form,
                });
            }
            Action::Left | Action::Right => self.jump_month(action == Action::Left)?,
            Action::ClearFilters => {
                self.journal.search = None;
                self.journal.before = None;
                self.load_journal()?;
            }
            _ => {}
        }
        Ok(())
    }

    /// `[` an older month, `]` a newer one, from the selected evening.
    fn jump_month(&mut self, older: bool) -> Result<(), AppError> {
        let Some(at) = self.journal.selected().map(|r| r.evening) else {
            return Ok(());
        };
        let first = at.with_day(1).unwrap_or(at);
        let before = if older { first } else { first + Months::new(2) };
        let newest = self.evening() + Duration::days(1);
        if !self.list_before(before.min(newest))? {
            self.info(format!(
                "Nothing was written before {}.",
                first.format("%B %Y")
            ));
        }
        Ok(())
    }

    /// The list from the latest evening before `day`; when there is none, the list stays as
    /// it was and this says false.
    fn list_before(&mut self, day: NaiveDate) -> Result<bool, AppError> {
        let was = self.journal.clone();
        self.journal.search = None;
        self.journal.before = Some(day);
        self.journal.selected = 0;
        self.journal.evenings.clear();
        self.load_journal()?;
        if self.journal.evenings.is_empty() {
            self.journal = was;
            return Ok(false);
        }
        Ok(true)
    }

    pub(super) fn go_to_date(&mut self, form: &Form) -> Result<(), AppError> {
        let text = form.text("date");
        let day = domain::parse_day(&text, self.evening()).ok_or_else(|| {
            ValidationError::Rule(format!(
                "\"{}\" isn't a day; write it like 2026-11-23, today or last sunday",
                crate::text::shown(text.trim())
            ))
        })?;
        if !self.list_before(day + Duration::days(1))? {
            self.info(format!(
                "Nothing was written on or before {}.",
                day.format("%a %-d %b %Y")
            ));
        } else if self.journal.selected().map(|r| r.evening) != Some(day) {
            self.info(format!(
                "Nothing was written on {}; this is the evening before it.",
                day.format("%a %-d %b %Y")
            ));
        }
        Ok(())
    }

    pub(super) fn search_journal(&mut self, form: &Form) -> Result<(), AppError> {
        let words = form.text("words").trim().to_string();
        self.journal.search = (!words.is_empty()).then_some(words);
        self.journal.selected = 0;
        self.load_journal()?;
        if self.journal.search.is_some() && self.journal.evenings.is_empty() {
            self.info("Nothing found. Press 0 to see every evening again.");
        }
        Ok(())
    }

    /// Enter: the evening in full (and its weekly check-in, step by step), to read.
    fn open_evening(&mut self) -> Result<(), AppError> {
        let (Some(r), Some(couple)) = (self.journal.selected().cloned(), self.couple.clone())
        else {
            return Ok(());
        };
        let (r, couple) = (&r, &couple);
        let mut lines = readback::evening_lines(r, couple);
        if let Some(m) = &r.meeting {
            lines.push(String::new());
            lines.extend(readback::meeting_lines(m, couple));
            // The week it looked back on: its wins and reviews, as the check-in showed them.
            let week = self
                .store
                .evening_records(m.week - Duration::days(6), m.week - Duration::days(1))?;
            let mut of_week: Vec<String> = week
                .iter()
                .rev()
                .flat_map(|d| readback::wins_and_reviews(d, couple))
                .collect();
            if !of_week.is_empty() {
                lines.push(String::new());
                lines.push("Earlier that week:".into());
                lines.append(&mut of_week);
            }
        }
        let lines = lines
            .iter()
            // An empty line stays, as the space between parts.
            .flat_map(|l| l.split('\n').map(String::from).collect::<Vec<_>>())
            .collect();
        self.overlay = Some(Overlay::History {
            title: format!("Evening · {}", r.evening.format("%a %-d %b %Y")),
            lines,
            scroll: 0,
        });
        Ok(())
    }
}

/// Only reached before setup, when the pane can't be opened.
fn unreachable_couple() -> [domain::Partner; 2] {
    domain::Seat::ALL.map(|seat| domain::Partner {
        id: String::new(),
        seat,
        name: "?".into(),
        color: domain::default_color(seat).into(),
        created_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
    })
}
