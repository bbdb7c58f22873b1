//! App state, and `update`: the one place an action changes state and calls the store.
//! Drawing lives in `ui` and only reads what is here, through the accessors below.
//!
//! Each pane and overlay is a room of its own (its state, its actions, its forms); this file
//! holds what they share and routes each action to the room on top (see `layers`).

mod agreements;
pub mod form;
mod journal;
mod layers;
mod meeting;
mod repairs;
mod review;
mod setup;
mod tonight;
mod trends;
pub mod unlock;
mod wins;

pub use agreements::Agreements;
pub use journal::{JournalView, EVENING_PAGE};
pub use layers::{Confirm, FormKind, Layer, Overlay, Pending, WeekState, WhoFor};
pub use meeting::STEPS as MEETING_STEPS;
pub use repairs::Repairs;
pub use review::Review;
pub use tonight::Tonight;
pub use trends::TrendsView;
pub use wins::{Wins, WIN_PAGE};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::action::{Action, Pane};
use crate::domain::{self, Partner, Passphrase, Seat, Settings};
use crate::error::{AppError, StoreError};
use crate::keymap::Context;
use crate::schedule::{self, WeeklyStatus};
use crate::store::Store;
use form::Form;

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

pub struct App<Tz: TimeZone> {
    tz: Tz,
    now: DateTime<Utc>,
    store: Store,
    couple: Option<[Partner; 2]>,
    settings: Settings,
    pane: Pane,
    /// First run: the setup form fills the screen until both names are given.
    setup: Option<Form>,
    overlay: Option<Overlay>,
    confirm: Option<Confirm>,
    help: bool,
    message: Option<Message>,
    quit: bool,
    /// Text handed to $EDITOR by the loop, which then calls `editor_done`.
    editor_request: Option<String>,
    tonight: Tonight,
    agreements: Agreements,
    wins: Wins,
    trends: TrendsView,
    journal: JournalView,
    repairs: Repairs,
    weekly: Option<WeeklyStatus>,
    weekly_line: String,
    /// The same, in a few words, for narrow headers.
    weekly_short: String,
    /// Whoever acted last; the default in the next "who" question.
    last_actor: Seat,
    /// On a paired device, whose device it is: nobody is asked "who?", it is them.
    me: Option<Seat>,
    /// Where syncing with the other device stands, in a word, as the loop last heard.
    sync_word: Option<&'static str>,
    no_color: bool,
    background: crate::domain::Background,
    data_version: i64,
    /// The passphrase this app locked the journal with at setup, kept only until setup ends.
    locked_with: Option<Passphrase>,
    /// Why the app had to stop, for the loop to print after restoring the terminal.
    fatal: Option<String>,
    /// Moves on whenever what is on screen may have changed: the loop draws only then, so an
    /// idle duet writes nothing to the terminal.
    view_version: u64,
}

/// Where a list's selection goes on ↑ ↓ g G.
fn moved(selected: usize, len: usize, action: &Action) -> usize {
    if len == 0 {
        return selected;
    }
    match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (selected + 1).min(len - 1),
        Action::Top => 0,
        _ => len - 1,
    }
}

fn err_text(e: impl Into<AppError>) -> String {
    let e: AppError = e.into();
    crate::text::capitalized(&e.to_string())
}

/// Reading the app: what `ui` draws and tests check. Nothing here can change state, and the
/// store isn't among them, so drawing can't reach the journal.
impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    pub fn tz(&self) -> &Tz {
        &self.tz
    }
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }
    pub fn couple(&self) -> Option<&[Partner; 2]> {
        self.couple.as_ref()
    }
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    pub fn pane(&self) -> Pane {
        self.pane
    }
    pub fn setup(&self) -> Option<&Form> {
        self.setup.as_ref()
    }
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }
    pub fn confirm(&self) -> Option<&Confirm> {
        self.confirm.as_ref()
    }
    pub fn help(&self) -> bool {
        self.help
    }
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }
    pub fn quit(&self) -> bool {
        self.quit
    }
    pub fn editor_request(&self) -> Option<&str> {
        self.editor_request.as_deref()
    }
    pub fn tonight(&self) -> &Tonight {
        &self.tonight
    }
    pub fn agreements(&self) -> &Agreements {
        &self.agreements
    }
    pub fn wins(&self) -> &Wins {
        &self.wins
    }
    pub fn trends(&self) -> &TrendsView {
        &self.trends
    }
    pub fn journal(&self) -> &JournalView {
        &self.journal
    }
    pub fn repairs(&self) -> &Repairs {
        &self.repairs
    }
    pub fn weekly(&self) -> Option<WeeklyStatus> {
        self.weekly
    }
    pub fn weekly_line(&self) -> &str {
        &self.weekly_line
    }
    pub fn weekly_short(&self) -> &str {
        &self.weekly_short
    }
    pub fn no_color(&self) -> bool {
        self.no_color
    }
    pub fn background(&self) -> crate::domain::Background {
        self.background
    }
    /// Whose device this is, when it is paired with the other partner's.
    pub fn me(&self) -> Option<Seat> {
        self.me
    }
    pub fn sync_word(&self) -> Option<&'static str> {
        self.sync_word
    }
    /// What the loop last heard from syncing; `None` when this journal isn't paired.
    pub fn set_sync_word(&mut self, word: Option<&'static str>) {
        if self.sync_word != word {
            self.sync_word = word;
            self.view_version += 1;
        }
    }

    /// Changes whenever the screen may need drawing again.
    pub fn view_version(&self) -> u64 {
        self.view_version
    }

    pub fn local_now(&self) -> DateTime<Tz> {
        self.now.with_timezone(&self.tz)
    }

    pub fn evening(&self) -> NaiveDate {
        domain::evening_of(self.local_now().naive_local(), self.settings.day_boundary)
    }

    pub fn partner(&self, seat: Seat) -> Option<&Partner> {
        self.couple.as_ref().map(|c| &c[seat])
    }

    /// A partner's name, or "" before setup.
    pub fn name(&self, seat: Seat) -> String {
        self.partner(seat)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }

    pub fn name_of(&self, id: &str) -> &str {
        self.couple
            .as_ref()
            .and_then(|c| c.iter().find(|p| p.id == id))
            .map(|p| p.name.as_str())
            .unwrap_or("?")
    }

    pub fn seat_of(&self, id: &str) -> Option<Seat> {
        self.couple
            .as_ref()
            .and_then(|c| c.iter().find(|p| p.id == id))
            .map(|p| p.seat)
    }

    pub fn context(&self) -> Context {
        self.layer_context(self.layers().first().copied())
    }

    /// Where the keyboard would be with help closed (what help describes).
    pub fn context_under_help(&self) -> Context {
        let under = self.layers().into_iter().find(|l| *l != Layer::Help);
        self.layer_context(under)
    }
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
            journal: JournalView::fresh(),
            repairs: Repairs::default(),
            weekly: None,
            weekly_line: String::new(),
            weekly_short: String::new(),
            last_actor: Seat::First,
            me: None,
            sync_word: None,
            no_color: false,
            background: Default::default(),
            data_version: 0,
            locked_with: None,
            fatal: None,
            view_version: 0,
        };
        app.reload()?;
        if app.couple.is_none() {
            app.setup = Some(setup::setup_form(&app.settings, app.store.is_locked()));
        }
        Ok(app)
    }

    /// Drawing without colour (NO_COLOR).
    pub fn set_no_color(&mut self, no_color: bool) {
        self.no_color = no_color;
    }

    /// Colours for a dark or a light terminal.
    pub fn set_background(&mut self, background: crate::domain::Background) {
        self.background = background;
    }

    /// Puts a line in the footer, as the outcome of a step would (or clears it).
    pub fn set_message(&mut self, message: Option<Message>) {
        self.message = message;
        self.view_version += 1;
    }

    /// The journal itself, for tests and tools that check what was written. Only through
    /// `&mut`: drawing holds `&App`, so it can never reach storage.
    pub fn store(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Why the app stopped early, once: the loop prints it after restoring the terminal.
    pub fn take_fatal(&mut self) -> Option<String> {
        self.fatal.take()
    }

    /// The loop takes the text for $EDITOR, then hands the result to `editor_done`.
    pub fn take_editor_request(&mut self) -> Option<String> {
        self.editor_request.take()
    }

    /// Reads everything the screens show. Only the first screen's worth of rows is loaded.
    pub fn reload(&mut self) -> Result<(), AppError> {
        self.view_version += 1;
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
        let me = self.store.pairing()?.and_then(|p| p.me);
        self.me = Seat::ALL
            .into_iter()
            .find(|s| Some(&couple[*s].id) == me.as_ref());
        let evening = self.evening();
        self.tonight.load(&self.store, &couple, evening)?;
        self.refresh_weekly()?;
        // Only the pane on screen is read now; the others when they are next opened. That
        // keeps the first frame to what it shows.
        self.agreements.stale = true;
        self.wins.stale = true;
        self.trends.stale = true;
        self.journal.stale = true;
        self.load_pane(self.pane)?;
        self.tonight.load_streak(&self.store, evening)
    }

    fn refresh_weekly(&mut self) -> Result<(), AppError> {
        let weekly = schedule::Weekly::read(&self.store, self.local_now())?;
        self.tonight.meeting_streak = weekly.meeting_streak;
        let evening = self.evening();
        // The latest week settled; a skipped one set no intention, and an older week's no
        // longer stands.
        let this_week = self
            .store
            .recent_meetings(2)?
            .into_iter()
            .filter(|m| m.completed_at.is_some() || m.skipped_at.is_some())
            .find(|m| (evening - m.week).num_days() < 10 && (m.week - evening).num_days() < 4)
            .filter(|m| m.completed_at.is_some());
        self.tonight.intention = this_week
            .as_ref()
            .and_then(|m| m.intention().map(String::from));
        self.tonight.good_time = this_week.filter(|m| m.answers.good_time.is_some());
        self.weekly_line = weekly.line;
        self.weekly_short = weekly.short;
        self.weekly = Some(weekly.status);
        Ok(())
    }

    /// Reads the rows a pane shows, if they may have changed since it last did.
    fn load_pane(&mut self, pane: Pane) -> Result<(), AppError> {
        if self.couple.is_none() {
            return Ok(());
        }
        match pane {
            Pane::Tonight => Ok(()),
            Pane::Agreements => self.agreements.load(&self.store),
            Pane::Wins => self.wins.load(&self.store),
            Pane::Trends if self.trends.stale => self.load_trends(),
            Pane::Trends => Ok(()),
            Pane::Journal if self.journal.stale => self.load_journal(),
            Pane::Journal => Ok(()),
            Pane::Repairs => self.repairs.load(&self.store),
        }
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
                let before = self.tonight.both_in();
                if let Err(e) = self.reload() {
                    self.error(e);
                } else if !before && self.tonight.both_in() {
                    // The other's check-in came in from elsewhere: what the footer said about
                    // waiting for it is no longer so.
                    self.info("You've both checked in now. Press r on Tonight to reveal together.");
                }
            }
            Ok(_) => {}
            Err(e) => self.error(e),
        }
    }

    fn info(&mut self, s: impl Into<String>) {
        self.message = Some(Message {
            text: s.into(),
            tone: Tone::Info,
        });
    }

    fn celebrate(&mut self, s: impl Into<String>) {
        self.message = Some(Message {
            text: s.into(),
            tone: Tone::Celebrate,
        });
    }

    fn error(&mut self, e: impl Into<AppError>) {
        self.view_version += 1;
        self.message = Some(Message {
            text: err_text(e),
            tone: Tone::Error,
        });
    }

    fn partner_id(&self, seat: Seat) -> Result<String, AppError> {
        self.partner(seat)
            .map(|p| p.id.clone())
            .ok_or(AppError::Store(StoreError::NoPartners))
    }

    pub fn update(&mut self, action: Action) {
        // A message stays until the next thing happens.
        if !matches!(action, Action::Refresh) {
            self.message = None;
            self.view_version += 1;
        }
        if let Err(e) = self.dispatch(action) {
            self.error(e);
        }
    }

    /// A few actions mean the same wherever the keyboard is; every other one goes to the
    /// topmost layer.
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
        match self.layers().first().copied().unwrap_or(Layer::Pane) {
            Layer::Help => {
                if action == Action::Close {
                    self.help = false;
                }
                Ok(())
            }
            Layer::Confirm => match self.confirm.take() {
                Some(c) => self.answer(c, action),
                None => Ok(()),
            },
            Layer::Setup => self.setup_action(action),
            Layer::Overlay => match self.overlay.take() {
                Some(o) => self.overlay_action(o, action),
                None => Ok(()),
            },
            Layer::Pane => {
                self.pane_action(action)?;
                self.load_pane(self.pane)
            }
        }
    }

    /// Keys every pane shares, then the pane's own.
    fn pane_action(&mut self, action: Action) -> Result<(), AppError> {
        let all = Pane::ALL;
        let at = self.pane.index();
        match action {
            Action::Quit => self.quit = true,
            Action::Close => self.info("Nothing to close here. Press q to quit."),
            Action::NextPane => self.pane = all[(at + 1) % all.len()],
            Action::PrevPane => self.pane = all[(at + all.len() - 1) % all.len()],
            Action::GoPane(p) => self.pane = p,
            Action::Weekly => self.weekly_menu()?,
            Action::Settings => self.open_settings(),
            other => match self.pane {
                Pane::Tonight => self.tonight_action(other)?,
                Pane::Agreements => self.agreements_action(other)?,
                Pane::Wins => self.wins_action(other)?,
                Pane::Trends => self.trends_action(other)?,
                Pane::Journal => self.journal_action(other)?,
                Pane::Repairs => self.repairs_action(other)?,
            },
        }
        Ok(())
    }

    /// The loop hands back what $EDITOR wrote, or why it couldn't.
    pub fn editor_done(&mut self, text: Result<String, String>) {
        self.editor_request = None;
        self.view_version += 1;
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

    /// "Who's …?", unless this is one partner's own device: then it is them.
    fn ask_who(&mut self, purpose: WhoFor) -> Result<(), AppError> {
        if let Some(me) = self.me {
            return self.chose(purpose, me);
        }
        self.overlay = Some(Overlay::Who {
            purpose,
            selected: self.last_actor,
        });
        Ok(())
    }

    /// Someone was chosen in answer to "who's …?".
    fn chose(&mut self, purpose: WhoFor, seat: Seat) -> Result<(), AppError> {
        self.last_actor = seat;
        match purpose {
            WhoFor::CheckIn => self.chose_checkin(seat),
            WhoFor::StarPrompt => self.star_prompt(seat)?,
            WhoFor::Repair => self.open_repair_form(seat)?,
            WhoFor::GoodTimeWin => self.log_good_time_win(seat)?,
            WhoFor::ShareRepairWords => self.toggle_repair_words(seat)?,
            WhoFor::Propose => self.open_proposal(seat),
            WhoFor::EditAgreement => self.open_agreement_edit(seat),
            WhoFor::EditEvening => {
                if let Some(evening) = self.journal.selected().map(|r| r.evening) {
                    self.edit_past_checkin(seat, evening)?;
                }
            }
        }
        Ok(())
    }
}
