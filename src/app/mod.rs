//! App state, and `update`: the one place an action changes state and calls the store.
//! Drawing lives in `ui` and only reads what is here.

pub mod form;
mod meeting;
pub mod unlock;

pub use meeting::STEPS as MEETING_STEPS;

use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::action::{Action, Pane};
use crate::domain::Passphrase;
use crate::domain::{
    self, Agreement, AgreementDraft, AgreementStatus, CheckIn, CheckInDraft, Partner, ReviewMark,
    Settings, Win, WinDraft, CLOSENESS_WORDS, MOOD_WORDS,
};
use crate::error::{AppError, StoreError, ValidationError};
use crate::keymap::Context;
use crate::prompts::{self, Prompt};
use crate::schedule::{self, WeeklyStatus};
use crate::store::{Store, WinFilter};
use form::{Field, Form};

/// How many wins the Wins pane loads at once.
pub const WIN_PAGE: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tone {
    Info,
    Celebrate,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub tone: Tone,
}

/// What a form is for; decides what Save does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Setup,
    CheckIn {
        partner: usize,
        evening: NaiveDate,
    },
    Propose {
        by: usize,
    },
    EditAgreement {
        id: String,
        by: usize,
    },
    AddWin,
    SearchWins,
    Settings,
    SkipMeeting,
    Meeting {
        step: usize,
        meeting: Box<crate::domain::Meeting>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhoFor {
    CheckIn,
    Propose,
    EditAgreement,
}

/// Confirmation is data: the question, and what happens on yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Quit,
    DiscardForm,
    Retire { id: String, by: usize },
    OpenCheckIn(usize),
    Consent { id: String, partner: String },
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub question: String,
    pub pending: Pending,
}

#[derive(Debug, Clone)]
pub struct Review {
    pub queue: Vec<Agreement>,
    pub index: usize,
    pub active: usize,
    pub marks: [Option<ReviewMark>; 2],
    pub notes: [String; 2],
    /// The note being written for the active partner.
    pub note: Option<Box<ratatui_textarea::TextArea<'static>>>,
    pub saved: usize,
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Who {
        purpose: WhoFor,
        selected: usize,
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
    /// W: start (or carry on with) the weekly check-in, or skip it.
    Weekly {
        selected: usize,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Tonight {
    pub evening: Option<NaiveDate>,
    pub prompt: Option<&'static Prompt>,
    pub checkins: [Option<CheckIn>; 2],
    pub revealed: bool,
    /// How far the reveal is scrolled (j/k).
    pub scroll: u16,
    /// The intention set at the latest weekly check-in, for the week it covers.
    pub intention: Option<String>,
    pub evening_streak: u32,
    pub meeting_streak: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Agreements {
    pub filter: Option<AgreementStatus>,
    pub list: Vec<Agreement>,
    pub selected: usize,
}

#[derive(Debug, Clone)]
pub struct TrendsView {
    pub span: crate::trends::Span,
    pub metric: crate::trends::Metric,
    /// Loaded when the pane is opened, never at start-up.
    pub data: Option<crate::trends::Trends>,
}

impl Default for Wins {
    fn default() -> Self {
        Wins {
            limit: WIN_PAGE,
            more: false,
            filter: WinFilter::default(),
            list: Vec::new(),
            selected: 0,
            total: 0,
            tags: Vec::new(),
        }
    }
}

impl Default for TrendsView {
    fn default() -> Self {
        TrendsView {
            span: crate::trends::Span::Month,
            metric: crate::trends::Metric::Closeness,
            data: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Wins {
    /// How many of the newest wins are loaded; grows a page at a time as the list is scrolled.
    pub limit: usize,
    /// More wins exist beyond those loaded.
    pub more: bool,
    pub filter: WinFilter,
    pub list: Vec<Win>,
    pub selected: usize,
    pub total: i64,
    pub tags: Vec<String>,
}

pub struct App<Tz: TimeZone> {
    pub tz: Tz,
    pub now: DateTime<Utc>,
    pub store: Store,
    pub couple: Option<[Partner; 2]>,
    pub settings: Settings,
    pub pane: Pane,
    /// First run: the setup form fills the screen until both names are given.
    pub setup: Option<Form>,
    pub overlay: Option<Overlay>,
    pub confirm: Option<Confirm>,
    pub help: bool,
    pub message: Option<Message>,
    pub quit: bool,
    /// Text handed to $EDITOR by the loop, which then sends `EditorDone`.
    pub editor_request: Option<String>,
    pub tonight: Tonight,
    pub agreements: Agreements,
    pub wins: Wins,
    pub trends: TrendsView,
    /// Panes whose rows must be read again before they are drawn.
    stale: [bool; 4],
    pub weekly: Option<WeeklyStatus>,
    pub weekly_line: String,
    /// The same, in a few words, for narrow headers.
    pub weekly_short: String,
    /// Whoever acted last; the default in the next "who" question.
    pub last_actor: usize,
    pub no_color: bool,
    data_version: i64,
    /// The passphrase this app locked the journal with at setup, kept only until setup ends.
    locked_with: Option<Passphrase>,
    /// Why the app had to stop, for the loop to print after restoring the terminal.
    pub fatal: Option<String>,
}

fn err_text(e: impl Into<AppError>) -> String {
    let e: AppError = e.into();
    crate::text::capitalized(&e.to_string())
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    pub fn new(store: Store, tz: Tz, now: DateTime<Utc>) -> Result<App<Tz>, AppError> {
        let mut app = App {
            tz,
            now,
            store,
            couple: None,
            settings: Settings::default(),
            pane: Pane::Tonight,
            setup: None,
            overlay: None,
            confirm: None,
            help: false,
            message: None,
            quit: false,
            editor_request: None,
            tonight: Tonight::default(),
            agreements: Agreements::default(),
            wins: Wins::default(),
            trends: TrendsView::default(),
            stale: [true; 4],
            weekly: None,
            weekly_line: String::new(),
            weekly_short: String::new(),
            last_actor: 0,
            no_color: false,
            data_version: 0,
            locked_with: None,
            fatal: None,
        };
        app.reload()?;
        if app.couple.is_none() {
            app.setup = Some(setup_form(&app.settings, app.store.is_locked()));
        }
        Ok(app)
    }

    pub fn local_now(&self) -> DateTime<Tz> {
        self.now.with_timezone(&self.tz)
    }

    pub fn evening(&self) -> NaiveDate {
        domain::evening_of(self.local_now().naive_local(), self.settings.day_boundary)
    }

    pub fn partner(&self, seat: usize) -> Option<&Partner> {
        self.couple.as_ref().and_then(|c| c.get(seat))
    }

    pub fn name_of(&self, id: &str) -> &str {
        self.couple
            .as_ref()
            .and_then(|c| c.iter().find(|p| p.id == id))
            .map(|p| p.name.as_str())
            .unwrap_or("?")
    }

    pub fn seat_of(&self, id: &str) -> Option<usize> {
        self.couple
            .as_ref()
            .and_then(|c| c.iter().position(|p| p.id == id))
    }

    /// Reads everything the screens show. Only the first screen's worth of rows is loaded.
    pub fn reload(&mut self) -> Result<(), AppError> {
        self.store.begin_read()?;
        let result = self.reload_rows();
        self.store.end_read();
        result
    }

    fn reload_rows(&mut self) -> Result<(), AppError> {
        self.settings = self.store.settings()?;
        self.couple = self.store.couple().ok();
        self.data_version = self.store.data_version()?;
        let Some(couple) = self.couple.clone() else {
            return Ok(());
        };
        let evening = self.evening();
        if self.tonight.evening != Some(evening) {
            self.tonight.revealed = false;
        }
        self.tonight.evening = Some(evening);
        self.tonight.prompt = prompts::for_evening(evening);
        for (i, p) in couple.iter().enumerate() {
            self.tonight.checkins[i] = self.store.checkin(&p.id, evening)?;
        }
        self.refresh_weekly()?;
        // Only the pane on screen is read now; the others when they are next opened. That
        // keeps the first frame to what it shows.
        self.stale = [true; 4];
        self.load_pane(self.pane)?;
        let both = self
            .store
            .evenings_both_checked_in(evening - chrono::Duration::days(400))?;
        self.tonight.evening_streak = schedule::evening_streak(evening, &both);
        Ok(())
    }

    fn refresh_weekly(&mut self) -> Result<(), AppError> {
        let weekly = schedule::Weekly::read(&self.store, self.local_now())?;
        self.tonight.meeting_streak = weekly.meeting_streak;
        let evening = self.evening();
        self.tonight.intention = self
            .store
            .recent_meetings(2)?
            .into_iter()
            .filter(|m| m.completed_at.is_some())
            .find(|m| (evening - m.week).num_days() < 10 && (m.week - evening).num_days() < 4)
            .and_then(|m| m.intentions[0].as_str().map(String::from))
            .filter(|t| !t.is_empty());
        self.weekly_line = weekly.line;
        self.weekly_short = weekly.short;
        self.weekly = Some(weekly.status);
        Ok(())
    }

    /// The clock moved on (the loop's one reading). The evening may have turned over.
    pub fn set_now(&mut self, now: DateTime<Utc>) {
        let before = self.tonight.evening;
        self.now = now;
        if self.couple.is_some() && before != Some(self.evening()) {
            if let Err(e) = self.reload() {
                self.error(e);
            }
        }
    }

    /// Rows written by another duet (the other partner's terminal) show up without a restart.
    pub fn poll_changes(&mut self) {
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                if let Err(e) = self.reload() {
                    self.error(e);
                }
            }
            Ok(_) => {}
            Err(e) => self.error(e),
        }
    }

    pub fn context(&self) -> Context {
        if self.help {
            Context::Help
        } else {
            self.context_under_help()
        }
    }

    /// Where the keyboard would be with help closed (what help describes).
    pub fn context_under_help(&self) -> Context {
        if self.confirm.is_some() {
            return Context::Confirm;
        }
        if let Some(f) = &self.setup {
            return f.context();
        }
        match &self.overlay {
            None => Context::Pane(self.pane),
            Some(Overlay::Who { .. } | Overlay::Weekly { .. }) => Context::Who,
            Some(Overlay::Form { form, .. }) => form.context(),
            Some(Overlay::History { .. }) => Context::History,
            Some(Overlay::Review(r)) if r.note.is_some() => Context::TextLine,
            Some(Overlay::Review(_)) => Context::Review,
        }
    }

    fn info(&mut self, s: impl Into<String>) {
        self.message = Some(Message {
            text: s.into(),
            tone: Tone::Info,
        });
    }

    fn error(&mut self, e: impl Into<AppError>) {
        self.message = Some(Message {
            text: err_text(e),
            tone: Tone::Error,
        });
    }

    fn has_draft(&self) -> bool {
        match (&self.setup, &self.overlay) {
            (Some(f), _) => f.dirty,
            (None, Some(Overlay::Form { form, kind })) => {
                form.dirty && *kind != FormKind::SearchWins
            }
            (None, Some(Overlay::Review(r))) => r.marks.iter().any(Option::is_some),
            _ => false,
        }
    }

    pub fn update(&mut self, action: Action) {
        // A message stays until the next thing happens.
        if !matches!(action, Action::Refresh) {
            self.message = None;
        }
        if let Err(e) = self.dispatch(action) {
            self.error(e);
        }
    }

    fn dispatch(&mut self, action: Action) -> Result<(), AppError> {
        match action {
            Action::ForceQuit | Action::Quit if self.has_draft() && self.confirm.is_none() => {
                self.confirm = Some(Confirm {
                    question: "Quit and lose what you haven't saved?".into(),
                    pending: Pending::Quit,
                });
                return Ok(());
            }
            Action::ForceQuit => {
                self.quit = true;
                return Ok(());
            }
            Action::Refresh => {
                self.poll_changes();
                return Ok(());
            }
            Action::ToggleHelp => {
                self.help = !self.help;
                return Ok(());
            }
            _ => {}
        }
        if self.help {
            if action == Action::Close {
                self.help = false;
            }
            return Ok(());
        }
        if let Some(c) = self.confirm.take() {
            return self.answer(c, action);
        }
        if self.setup.is_some() {
            return self.setup_action(action);
        }
        match self.overlay.take() {
            Some(o) => self.overlay_action(o, action),
            None => self.pane_action(action),
        }
    }

    fn answer(&mut self, c: Confirm, action: Action) -> Result<(), AppError> {
        match action {
            Action::Yes => match c.pending {
                Pending::Quit => self.quit = true,
                Pending::DiscardForm => {
                    self.overlay = None;
                    self.info("Draft discarded.");
                }
                Pending::Consent { id, partner } => self.give_consent(&id, &partner)?,
                Pending::OpenCheckIn(seat) => self.open_checkin(seat),
                Pending::Retire { id, by } => {
                    let who = self.partner_id(by)?;
                    let a = self.store.set_agreement_status(
                        &id,
                        &who,
                        AgreementStatus::Retired,
                        self.evening(),
                        self.now,
                    )?;
                    self.reload()?;
                    self.info(format!("Retired \"{}\". Its history is kept.", a.title));
                }
            },
            Action::No | Action::Close => {}
            _ => self.confirm = Some(c),
        }
        Ok(())
    }

    fn partner_id(&self, seat: usize) -> Result<String, AppError> {
        self.partner(seat)
            .map(|p| p.id.clone())
            .ok_or(AppError::Store(crate::error::StoreError::NoPartners))
    }

    // ---- the setup screen ----

    fn setup_action(&mut self, action: Action) -> Result<(), AppError> {
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
        let a = form.text(0);
        let b = form.text(1);
        domain::name(&a)?;
        domain::name(&b)?;
        let time = domain::time_of_day(&form.text(3))?;
        let key = match (form.text(4), form.text(5)) {
            (first, again) if first.is_empty() && again.is_empty() => None,
            (first, again) => {
                let key = Passphrase::chosen(&first)?;
                if Passphrase::typed(&again) != key {
                    return Err(ValidationError::Rule(
                        "the two passphrases differ; type the same one twice".into(),
                    )
                    .into());
                }
                Some(key)
            }
        };
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
        s.weekly_weekday = WEEKDAYS[form.choice(2)];
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

    // ---- the panes ----

    fn pane_action(&mut self, action: Action) -> Result<(), AppError> {
        self.pane_action_inner(action)?;
        self.load_pane(self.pane)
    }

    fn pane_action_inner(&mut self, action: Action) -> Result<(), AppError> {
        match action {
            Action::Quit | Action::Close => self.quit = true,
            Action::NextPane => self.pane = Pane::ALL[(self.pane.index() + 1) % Pane::ALL.len()],
            Action::PrevPane => {
                self.pane = Pane::ALL[(self.pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
            }
            Action::GoPane(p) => self.pane = p,
            Action::Left | Action::Right if self.pane == Pane::Trends => {
                self.trends.span = if action == Action::Left {
                    self.trends.span.prev()
                } else {
                    self.trends.span.next()
                };
                self.load_trends()?;
            }
            Action::ToggleMetric => {
                self.trends.metric = match self.trends.metric {
                    crate::trends::Metric::Mood => crate::trends::Metric::Closeness,
                    crate::trends::Metric::Closeness => crate::trends::Metric::Mood,
                };
            }
            Action::DismissNote if self.trends.data.as_ref().is_some_and(|t| t.counsellor) => {
                self.store.dismiss_counsellor_note(self.now)?;
                self.load_trends()?;
                self.info("Set aside. It may come back in a fortnight if things stay hard.");
            }
            Action::Bottom if self.pane == Pane::Wins && self.wins.more => {
                // G goes to the very first win ever logged: load them all.
                self.wins.limit = self.store.win_count()?.max(1) as usize;
                self.stale[Pane::Wins.index()] = true;
                self.load_pane(Pane::Wins)?;
                self.move_selection(&action);
            }
            Action::Up | Action::Down | Action::Top | Action::Bottom => {
                self.move_selection(&action);
                // Near the end of what is loaded, the next page comes in.
                if self.pane == Pane::Wins
                    && self.wins.more
                    && self.wins.selected + 20 >= self.wins.list.len()
                {
                    self.wins.limit += WIN_PAGE;
                    self.stale[Pane::Wins.index()] = true;
                    self.load_pane(Pane::Wins)?;
                }
            }
            Action::CheckIn => self.ask_who(WhoFor::CheckIn),
            Action::Reveal => self.reveal(),
            Action::Propose => self.ask_who(WhoFor::Propose),
            Action::EditAgreement => {
                if self.selected_agreement().is_some() {
                    self.ask_who(WhoFor::EditAgreement)
                } else {
                    self.info("No agreement selected.")
                }
            }
            Action::Consent => self.consent()?,
            Action::Revisit => self.revisit()?,
            Action::Retire => self.retire(),
            Action::ShowHistory
                if self.pane == Pane::Trends
                    && !self.trends.data.as_ref().is_some_and(|t| t.counsellor) => {}
            Action::ShowHistory if self.pane == Pane::Trends => {
                self.overlay = Some(Overlay::History {
                    title: "Talking to a counsellor".into(),
                    lines: crate::trends::COUNSELLOR_NOTE
                        .lines()
                        .map(String::from)
                        .collect(),
                    scroll: 0,
                });
            }
            Action::ShowHistory => self.show_history()?,
            Action::ReviewTogether => self.start_review()?,
            Action::CycleStatusFilter => {
                let all = AgreementStatus::ALL;
                self.agreements.filter = match self.agreements.filter {
                    None => Some(all[0]),
                    Some(s) => all
                        .iter()
                        .position(|x| *x == s)
                        .and_then(|i| all.get(i + 1))
                        .copied(),
                };
                self.agreements.selected = 0;
                self.reload()?;
            }
            Action::AddWin => self.open_win_form(),
            Action::Weekly => self.weekly_menu()?,
            Action::Settings => self.open_settings(),
            Action::Celebrate => self.celebrate()?,
            Action::SearchWins => {
                let current = String::new();
                let form = Form::new(
                    "Search wins",
                    vec![Field::line("Words", &current, "type, then Enter")],
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
            Action::CycleTagFilter => {
                // Tags are gathered only when asked for: that query reads every win.
                self.wins.tags = self.store.win_tags()?;
                if self.wins.tags.is_empty() {
                    self.info("No tags yet. Add one when you log a win.");
                } else {
                    let mut options: Vec<Option<String>> = vec![None];
                    options.extend(self.wins.tags.iter().cloned().map(Some));
                    self.wins.filter.tag = next_option(&options, &self.wins.filter.tag);
                    self.wins.selected = 0;
                    self.reload()?;
                }
            }
            Action::ClearFilters => {
                self.wins.filter = WinFilter::default();
                self.reload()?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Reads the rows a pane shows, if they may have changed since it last did.
    fn load_pane(&mut self, pane: Pane) -> Result<(), AppError> {
        if !self.stale[pane.index()] || self.couple.is_none() {
            return Ok(());
        }
        match pane {
            Pane::Tonight => {}
            // The selection follows its row by id, so rows written meanwhile (by the other
            // partner's terminal, say) never move it onto a different entry.
            Pane::Agreements => {
                let keep = self.selected_agreement().map(|a| a.id.clone());
                self.agreements.list = self.store.agreements(self.agreements.filter)?;
                self.agreements.selected = keep
                    .and_then(|id| self.agreements.list.iter().position(|a| a.id == id))
                    .unwrap_or(self.agreements.selected)
                    .min(self.agreements.list.len().saturating_sub(1));
            }
            Pane::Wins => {
                let keep = self.wins.list.get(self.wins.selected).map(|w| w.id.clone());
                self.wins.list = self.store.wins(&self.wins.filter, self.wins.limit)?;
                self.wins.more = self.wins.list.len() >= self.wins.limit;
                self.wins.selected = keep
                    .and_then(|id| self.wins.list.iter().position(|w| w.id == id))
                    .unwrap_or(self.wins.selected)
                    .min(self.wins.list.len().saturating_sub(1));
                self.wins.total = self.store.win_count()?;
            }
            Pane::Trends => self.load_trends()?,
        }
        self.stale[pane.index()] = false;
        Ok(())
    }

    fn load_trends(&mut self) -> Result<(), AppError> {
        self.trends.data = Some(crate::trends::Trends::load(
            &self.store,
            self.trends.span,
            self.evening(),
            self.now,
        )?);
        Ok(())
    }

    fn move_selection(&mut self, action: &Action) {
        let (selected, len) = match self.pane {
            Pane::Agreements => (&mut self.agreements.selected, self.agreements.list.len()),
            Pane::Wins => (&mut self.wins.selected, self.wins.list.len()),
            Pane::Trends => return,
            Pane::Tonight => {
                // The reveal scrolls; the drawing clamps it to what there is.
                self.tonight.scroll = match action {
                    Action::Up => self.tonight.scroll.saturating_sub(1),
                    Action::Down => self.tonight.scroll.saturating_add(1).min(200),
                    _ => 0,
                };
                return;
            }
        };
        if len == 0 {
            return;
        }
        *selected = match action {
            Action::Up => selected.saturating_sub(1),
            Action::Down => (*selected + 1).min(len - 1),
            Action::Top => 0,
            _ => len - 1,
        };
    }

    fn ask_who(&mut self, purpose: WhoFor) {
        self.overlay = Some(Overlay::Who {
            purpose,
            selected: self.last_actor,
        });
    }

    fn chose(&mut self, purpose: WhoFor, seat: usize) -> Result<(), AppError> {
        self.last_actor = seat;
        match purpose {
            WhoFor::CheckIn => {
                // The app can't know who is at the keyboard; opening someone's answers before
                // the reveal is at least a deliberate step.
                let other_in = self.tonight.checkins[1 - seat.min(1)].is_some();
                if self.tonight.checkins[seat.min(1)].is_some() && !other_in {
                    let name = self
                        .partner(seat)
                        .map(|p| p.name.clone())
                        .unwrap_or_default();
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
            WhoFor::Propose => {
                let name = self
                    .partner(seat)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let form = agreement_form(
                    &format!("{name} proposes an agreement"),
                    &AgreementDraft {
                        review_every_weeks: 4,
                        ..Default::default()
                    },
                );
                self.overlay = Some(Overlay::Form {
                    kind: FormKind::Propose { by: seat },
                    form,
                });
            }
            WhoFor::EditAgreement => {
                let Some(a) = self.selected_agreement().cloned() else {
                    return Ok(());
                };
                if a.status == AgreementStatus::Retired {
                    self.info("This agreement is retired. Propose a new one instead.");
                    return Ok(());
                }
                let name = self
                    .partner(seat)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let draft = AgreementDraft {
                    title: a.title.clone(),
                    details: a.details.clone(),
                    category: a.category.clone(),
                    review_every_weeks: a.review_every_weeks,
                };
                let mut form = agreement_form(&format!("{name} edits an agreement"), &draft);
                if a.status == AgreementStatus::Agreed {
                    form.intro =
                        vec!["Changing the words asks for both of your consent again.".into()];
                }
                self.overlay = Some(Overlay::Form {
                    kind: FormKind::EditAgreement { id: a.id, by: seat },
                    form,
                });
            }
        }
        Ok(())
    }

    fn open_checkin(&mut self, seat: usize) {
        let evening = self.evening();
        let existing = self.tonight.checkins[seat].clone();
        let name = self
            .partner(seat)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let other = self
            .partner(1 - seat)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let prompt = existing
            .as_ref()
            .and_then(|c| c.prompt_id.as_deref())
            .and_then(prompts::by_id)
            .or(self.tonight.prompt);
        let c = existing.clone().unwrap_or(CheckIn {
            id: String::new(),
            partner_id: String::new(),
            evening,
            mood: 0,
            closeness: 0,
            appreciation: String::new(),
            need: String::new(),
            prompt_id: None,
            prompt_answer: String::new(),
            note: String::new(),
            created_at: self.now,
            updated_at: self.now,
        });
        let rating = |v: u8| (1..=5).contains(&v).then_some(v);
        let mut fields = vec![
            Field::rating("How did today feel?", rating(c.mood), &MOOD_WORDS),
            Field::rating(
                &format!("How close do you feel to {other}?"),
                rating(c.closeness),
                &CLOSENESS_WORDS,
            ),
            Field::block(
                &format!("One thing you appreciated about {other}"),
                &c.appreciation,
                "something small counts",
            ),
            Field::block("One thing you need, or wish for", &c.need, "optional"),
        ];
        let mut intro = vec![if self.tonight.checkins[1 - seat.min(1)].is_some() {
            format!("{name}, this is yours. {other} has checked in too; you'll see each other's answers in the reveal.")
        } else {
            format!("{name}, this is yours. {other}'s answers stay hidden until you have both checked in.")
        }];
        if let Some(p) = prompt {
            fields.push(Field::block(
                "Tonight's prompt (optional)",
                &c.prompt_answer,
                &p.text,
            ));
            intro.push(format!("Tonight's prompt ({}): {}", p.practice, p.text));
        }
        let title = if existing.is_some() {
            format!("{name}'s check-in (editing)")
        } else {
            format!("{name}'s check-in")
        };
        let form = Form::new(&title, fields).with_intro(intro);
        self.overlay = Some(Overlay::Form {
            kind: FormKind::CheckIn {
                partner: seat,
                evening,
            },
            form,
        });
    }

    fn reveal(&mut self) {
        if self.tonight.checkins.iter().all(Option::is_some) {
            self.tonight.revealed = true;
            self.tonight.scroll = 0;
        } else {
            self.info("The reveal opens once you have both checked in.");
        }
    }

    pub fn selected_agreement(&self) -> Option<&Agreement> {
        self.agreements.list.get(self.agreements.selected)
    }

    fn consent(&mut self) -> Result<(), AppError> {
        let Some(a) = self.selected_agreement().cloned() else {
            self.info("No agreement selected.");
            return Ok(());
        };
        let Some(couple) = self.couple.clone() else {
            return Ok(());
        };
        let Some(missing) = couple.iter().find(|p| !a.has_consented(&p.id)) else {
            self.info(if a.status == AgreementStatus::Agreed {
                "You both already agreed to this."
            } else {
                "To agree to it again, edit it (e): that asks you both."
            });
            return Ok(());
        };
        // Consent is the other partner's own word: ask them by name first.
        self.confirm = Some(Confirm {
            question: format!("{}, do you agree to \"{}\"?", missing.name, a.title),
            pending: Pending::Consent {
                id: a.id,
                partner: missing.id.clone(),
            },
        });
        Ok(())
    }

    fn give_consent(&mut self, id: &str, partner: &str) -> Result<(), AppError> {
        let a = self
            .store
            .consent_agreement(id, partner, self.evening(), self.now)?;
        let name = self.name_of(partner).to_string();
        self.reload()?;
        if a.status == AgreementStatus::Agreed {
            self.message = Some(Message {
                text: format!(
                    "{} agreed. \"{}\" is now something you both chose.",
                    name, a.title
                ),
                tone: Tone::Celebrate,
            });
        } else {
            self.info(format!("{name} consented."));
        }
        Ok(())
    }

    fn revisit(&mut self) -> Result<(), AppError> {
        let Some(a) = self.selected_agreement().cloned() else {
            return Ok(());
        };
        let a = self.store.set_agreement_status(
            &a.id,
            &self.partner_id(self.last_actor)?,
            AgreementStatus::Revisit,
            self.evening(),
            self.now,
        )?;
        self.reload()?;
        self.info(format!("\"{}\" is marked to revisit together.", a.title));
        Ok(())
    }

    fn retire(&mut self) {
        let Some(a) = self.selected_agreement().cloned() else {
            return;
        };
        if a.status == AgreementStatus::Retired {
            self.info("Already retired.");
            return;
        }
        self.confirm = Some(Confirm {
            question: format!("Retire \"{}\"? Its history is kept.", a.title),
            pending: Pending::Retire {
                id: a.id,
                by: self.last_actor,
            },
        });
    }

    fn show_history(&mut self) -> Result<(), AppError> {
        let Some(a) = self.selected_agreement().cloned() else {
            return Ok(());
        };
        let events = self.store.agreement_events(&a.id)?;
        let mut lines = Vec::new();
        for e in events {
            let who = e.partner_id.as_deref().map(|p| self.name_of(p).to_string());
            let when =
                e.at.with_timezone(&self.tz)
                    .format("%a %-d %b %Y %H:%M")
                    .to_string();
            lines.push(format!(
                "{when}  {}",
                domain::describe_event(e.kind, who.as_deref(), &e.detail)
            ));
        }
        self.overlay = Some(Overlay::History {
            title: format!("History · {}", a.title),
            lines,
            scroll: 0,
        });
        Ok(())
    }

    fn start_review(&mut self) -> Result<(), AppError> {
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
            active: 0,
            marks: [None, None],
            notes: [String::new(), String::new()],
            note: None,
            saved: 0,
        }));
        Ok(())
    }

    fn open_win_form(&mut self) {
        let names: Vec<String> = self
            .couple
            .iter()
            .flatten()
            .map(|p| p.name.clone())
            .collect();
        let mut about = names.clone();
        about.push("us".into());
        let form = Form::new(
            "A small win",
            vec![
                Field::line("What went well?", "", "one line; Enter saves"),
                Field::choice("Logged by", names, self.last_actor),
                Field::choice("About", about, 2),
                Field::line("Tags", "", "optional, space separated: kindness home"),
            ],
        );
        self.overlay = Some(Overlay::Form {
            kind: FormKind::AddWin,
            form,
        });
    }

    fn celebrate(&mut self) -> Result<(), AppError> {
        let Some(w) = self.wins.list.get(self.wins.selected).cloned() else {
            self.info("No win selected.");
            return Ok(());
        };
        if w.celebrated_by.is_some() {
            self.info("Already celebrated ♥");
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
        self.message = Some(Message {
            text: format!(
                "♥ {} celebrated {}'s win.",
                by.name,
                self.name_of(&w.logged_by)
            ),
            tone: Tone::Celebrate,
        });
        Ok(())
    }

    // ---- overlays ----

    fn overlay_action(&mut self, overlay: Overlay, action: Action) -> Result<(), AppError> {
        match overlay {
            Overlay::Who { purpose, selected } => match action {
                Action::Pick(n) => self.chose(purpose, (n as usize).saturating_sub(1).min(1))?,
                Action::Select => self.chose(purpose, selected)?,
                Action::Left | Action::Right => {
                    self.overlay = Some(Overlay::Who {
                        purpose,
                        selected: 1 - selected.min(1),
                    })
                }
                Action::Close | Action::Quit => {}
                _ => self.overlay = Some(Overlay::Who { purpose, selected }),
            },
            Overlay::History {
                title,
                lines,
                scroll,
            } => match action {
                Action::Close | Action::Quit => {}
                Action::Down => {
                    let scroll = (scroll + 1).min(lines.len().saturating_sub(1));
                    self.overlay = Some(Overlay::History {
                        title,
                        lines,
                        scroll,
                    })
                }
                Action::Up => {
                    self.overlay = Some(Overlay::History {
                        title,
                        lines,
                        scroll: scroll.saturating_sub(1),
                    })
                }
                _ => {
                    self.overlay = Some(Overlay::History {
                        title,
                        lines,
                        scroll,
                    })
                }
            },
            Overlay::Weekly { selected } => match action {
                Action::Pick(1) => self.open_meeting()?,
                Action::Pick(_) => self.open_skip(),
                Action::Select if selected == 0 => self.open_meeting()?,
                Action::Select => self.open_skip(),
                Action::Left | Action::Right => {
                    self.overlay = Some(Overlay::Weekly {
                        selected: 1 - selected.min(1),
                    })
                }
                Action::Close | Action::Quit => {}
                _ => self.overlay = Some(Overlay::Weekly { selected }),
            },
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
        let quick = matches!(kind, FormKind::AddWin | FormKind::SearchWins);
        let save = match action {
            Action::Close => {
                if form.dirty && kind != FormKind::SearchWins {
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
                Ok(()) => return Ok(()),
                Err(e) => form.error = Some(err_text(e)),
            }
        }
        self.overlay = Some(Overlay::Form { kind, form });
        Ok(())
    }

    fn meeting_action(
        &mut self,
        step: usize,
        meeting: crate::domain::Meeting,
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

    fn open_settings(&mut self) {
        let s = self.settings;
        let [day, time] = weekly_fields(&s);
        let form = Form::new(
            "Settings",
            vec![
                day,
                time,
                Field::line(
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

    fn save_form(&mut self, kind: &FormKind, form: &Form) -> Result<(), AppError> {
        let evening = self.evening();
        match kind {
            FormKind::Setup | FormKind::Meeting { .. } => {}
            FormKind::SkipMeeting => self.save_skip(&form.text(0))?,
            FormKind::Settings => {
                let time = |i: usize| domain::time_of_day(&form.text(i));
                let mut s = self.settings;
                s.weekly_weekday = WEEKDAYS[form.choice(0).min(6)];
                s.weekly_time = time(1)?;
                s.day_boundary = time(2)?;
                if s.day_boundary > chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default() {
                    return Err(
                        domain_rule("a new evening should start between 00:00 and 12:00").into(),
                    );
                }
                self.store.save_settings(&s, self.now)?;
                self.reload()?;
                self.info(format!("Saved. {}", self.weekly_line));
            }
            FormKind::CheckIn {
                partner,
                evening: form_evening,
            } => {
                let (Some(mood), Some(closeness)) = (form.rating(0), form.rating(1)) else {
                    let missing = if form.rating(0).is_none() {
                        "how today felt"
                    } else {
                        "how close you feel"
                    };
                    return Err(domain_rule(&format!("choose {missing}, 1 to 5")).into());
                };
                let prompt = self.tonight.checkins[*partner]
                    .as_ref()
                    .and_then(|c| c.prompt_id.clone())
                    .or_else(|| self.tonight.prompt.map(|p| p.id.clone()));
                let prompt_answer = if form.fields.len() > 4 {
                    form.text(4)
                } else {
                    String::new()
                };
                let draft = CheckInDraft {
                    mood,
                    closeness,
                    appreciation: form.text(2),
                    need: form.text(3),
                    prompt_id: prompt,
                    prompt_answer,
                    note: self.tonight.checkins[*partner]
                        .as_ref()
                        .map(|c| c.note.clone())
                        .unwrap_or_default(),
                };
                let who = self.partner_id(*partner)?;
                // An entry started before the evening turned over still belongs to its evening.
                self.store
                    .save_checkin(&who, *form_evening, &draft, self.now)?;
                self.reload()?;
                let name = self
                    .partner(*partner)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let other = self
                    .partner(1 - partner)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                self.message = Some(if self.tonight.checkins.iter().all(Option::is_some) {
                    Message {
                        text: "You've both checked in. Press r to reveal together.".into(),
                        tone: Tone::Celebrate,
                    }
                } else {
                    Message {
                        text: format!(
                            "Saved, {name}. Your answers stay hidden until {other} checks in."
                        ),
                        tone: Tone::Info,
                    }
                });
            }
            FormKind::Propose { by } => {
                let draft = agreement_draft(form)?;
                let who = self.partner_id(*by)?;
                let a = self
                    .store
                    .propose_agreement(&who, &draft, evening, self.now)?;
                self.agreements.filter = None;
                self.reload()?;
                self.agreements.selected = self
                    .agreements
                    .list
                    .iter()
                    .position(|x| x.id == a.id)
                    .unwrap_or(0);
                let other = self
                    .partner(1 - by)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                self.info(format!(
                    "Proposed. It becomes agreed when {other} consents (y)."
                ));
            }
            FormKind::EditAgreement { id, by } => {
                let draft = agreement_draft(form)?;
                let who = self.partner_id(*by)?;
                let before = self.store.agreement(id)?;
                let a = self
                    .store
                    .edit_agreement(id, &who, &draft, evening, self.now)?;
                self.reload()?;
                if a.updated_at == before.updated_at {
                    self.info("Nothing changed.");
                } else if a.status == AgreementStatus::Proposed
                    && before.status != AgreementStatus::Proposed
                {
                    let other = self
                        .partner(1 - by)
                        .map(|p| p.name.clone())
                        .unwrap_or_default();
                    self.info(format!("Saved; the change is in its history. It waits for {other}'s consent again."));
                } else {
                    self.info("Saved; the change is in its history.");
                }
            }
            FormKind::AddWin => {
                let by = form.choice(1);
                let about = match form.choice(2) {
                    2 => None,
                    seat => Some(self.partner_id(seat)?),
                };
                let tags = form.text(3).split_whitespace().map(String::from).collect();
                let draft = WinDraft {
                    text: form.text(0),
                    about,
                    tags,
                };
                let who = self.partner_id(by)?;
                let (win, count) = self.store.add_win(&who, &draft, evening, self.now)?;
                self.last_actor = by;
                self.reload()?;
                self.wins.selected = self
                    .wins
                    .list
                    .iter()
                    .position(|w| w.id == win.id)
                    .unwrap_or(0);
                self.message = Some(match domain::win_milestone(count) {
                    Some(m) => Message {
                        text: format!("🎉 {m}"),
                        tone: Tone::Celebrate,
                    },
                    None => Message {
                        text: "Saved. Nice one.".into(),
                        tone: Tone::Info,
                    },
                });
            }
            FormKind::SearchWins => {
                let t = form.text(0).trim().to_string();
                self.wins.filter.text = (!t.is_empty()).then_some(t);
                self.wins.selected = 0;
                self.reload()?;
            }
        }
        self.overlay = None;
        Ok(())
    }

    fn review_action(&mut self, mut r: Review, action: Action) -> Result<(), AppError> {
        if let Some(mut note) = r.note.take() {
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
            self.overlay = Some(Overlay::Review(r));
            return Ok(());
        }
        match action {
            Action::Mark(m) => r.marks[r.active] = Some(m),
            Action::OtherPartner => r.active = 1 - r.active,
            Action::ReviewNote => {
                r.note = Some(Box::new(form::text_area(
                    &r.notes[r.active],
                    "a few words, then Enter",
                    false,
                )));
            }
            Action::Submit => {
                // Both speak to each agreement; a note without its mark would be lost.
                if let Some(seat) = (0..2).find(|s| r.marks[*s].is_none()) {
                    let name = self
                        .partner(seat)
                        .map(|p| p.name.clone())
                        .unwrap_or_default();
                    self.info(format!(
                        "{name} hasn't marked it yet: Tab to {name}, then 1, 2 or 3 (s skips it)."
                    ));
                    self.overlay = Some(Overlay::Review(r));
                    return Ok(());
                }
                let a = r.queue[r.index].clone();
                for seat in 0..2 {
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
                return self.review_next(r);
            }
            Action::Skip => return self.review_next(r),
            Action::Close | Action::Quit => {
                self.reload()?;
                if r.saved > 0 {
                    self.info(format!("Review saved for {} agreement(s).", r.saved));
                }
                return Ok(());
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Review(r));
        Ok(())
    }

    fn review_next(&mut self, mut r: Review) -> Result<(), AppError> {
        r.index += 1;
        r.marks = [None, None];
        r.notes = [String::new(), String::new()];
        r.active = 0;
        if r.index >= r.queue.len() {
            self.reload()?;
            self.message = Some(Message {
                text: format!(
                    "Review done: {} agreement(s) talked through. Thank you both.",
                    r.saved
                ),
                tone: Tone::Celebrate,
            });
            return Ok(());
        }
        self.overlay = Some(Overlay::Review(r));
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

/// The keys every form shares: true when the form should be saved (Ctrl-S, or Enter on the
/// last field, or on any field of a `quick` one-line form); otherwise the key edits the form.
fn form_keys(form: &mut Form, action: Action, editor: &mut Option<String>, quick: bool) -> bool {
    match action {
        Action::Save => true,
        // Enter on a rating not chosen yet would skip it by accident.
        Action::Submit
            if form.context() == Context::Rating && form.rating(form.focus).is_none() =>
        {
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
        Action::SetRating(n) => {
            form.set_rating(n);
            if !form.is_last() {
                form.next();
            }
        }
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

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    /// The loop hands back what $EDITOR wrote (None when it failed or was not set).
    pub fn editor_done(&mut self, text: Result<String, String>) {
        self.editor_request = None;
        match text {
            Ok(t) => self.update(Action::EditorDone(Some(t))),
            Err(e) => {
                self.message = Some(Message {
                    text: e,
                    tone: Tone::Error,
                })
            }
        }
    }
}

pub use crate::domain::WEEKDAYS;

/// The weekly check-in's day and time, as the setup screen and settings both ask them.
fn weekly_fields(s: &Settings) -> [Field; 2] {
    let days = WEEKDAYS
        .iter()
        .map(|d| domain::weekday_name(*d).to_string())
        .collect();
    [
        Field::choice(
            "Weekly check-in day",
            days,
            s.weekly_weekday.num_days_from_monday() as usize,
        ),
        Field::line(
            "Weekly check-in time",
            &s.weekly_time.format("%H:%M").to_string(),
            "19:00",
        ),
    ]
}

/// A journal that is already locked (with `duet encrypt`) isn't offered a passphrase again.
fn setup_form(s: &Settings, locked: bool) -> Form {
    let [day, time] = weekly_fields(s);
    let mut fields = vec![
        Field::line("Your name", "", "first partner"),
        Field::line("Your partner's name", "", "second partner"),
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
            "Passphrase (optional)",
            "leave empty to keep the journal unlocked",
        ));
        fields.push(Field::secret("The same passphrase again", ""));
        intro.push(crate::passphrase::WARNING.into());
    }
    Form::new("Welcome to duet", fields).with_intro(intro)
}

fn agreement_form(title: &str, d: &AgreementDraft) -> Form {
    let weeks: Vec<String> = [1, 2, 4, 8, 12].iter().map(|w| w.to_string()).collect();
    let selected = [1, 2, 4, 8, 12]
        .iter()
        .position(|w| *w == d.review_every_weeks)
        .unwrap_or(2);
    Form::new(
        title,
        vec![
            Field::line(
                "Agreement",
                &d.title,
                "in a line: what we both will do, or not do",
            ),
            Field::block(
                "Details",
                &d.details,
                "optional: what it looks like day to day",
            ),
            Field::line(
                "Category",
                &d.category,
                "optional: time, money, phones, family…",
            ),
            Field::choice("Review it together every … weeks", weeks, selected),
        ],
    )
}

fn agreement_draft(form: &Form) -> Result<AgreementDraft, AppError> {
    let weeks = [1u8, 2, 4, 8, 12][form.choice(3).min(4)];
    let d = AgreementDraft {
        title: form.text(0),
        details: form.text(1),
        category: form.text(2),
        review_every_weeks: weeks,
    };
    Ok(d.validated()?)
}

fn domain_rule(s: &str) -> crate::error::ValidationError {
    crate::error::ValidationError::Rule(s.into())
}
