//! Every intent a person can express in the app. The keymap turns keys into these; `App::update`
//! carries them out.

use crossterm::event::KeyEvent;
use ratatui::crossterm;

use crate::domain::ReviewMark;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Tonight,
    Agreements,
    Wins,
    Trends,
    Journal,
    Repairs,
}

impl Pane {
    /// Every pane in tab order, built from `after`: a new pane can't be left out of the tabs.
    pub const ALL: [Pane; Pane::count()] = {
        let mut all = [Pane::FIRST; Pane::count()];
        let mut i = 1;
        while i < all.len() {
            all[i] = match all[i - 1].after() {
                Some(p) => p,
                None => Pane::FIRST,
            };
            i += 1;
        }
        all
    };

    const FIRST: Pane = Pane::Tonight;

    /// The next tab; the match is exhaustive, so the compiler asks where a new pane goes.
    const fn after(self) -> Option<Pane> {
        match self {
            Pane::Tonight => Some(Pane::Agreements),
            Pane::Agreements => Some(Pane::Wins),
            Pane::Wins => Some(Pane::Trends),
            Pane::Trends => Some(Pane::Journal),
            Pane::Journal => Some(Pane::Repairs),
            Pane::Repairs => None,
        }
    }

    const fn count() -> usize {
        let mut n = 1;
        let mut p = Pane::FIRST;
        while let Some(next) = p.after() {
            n += 1;
            p = next;
        }
        n
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Tonight => "Tonight",
            Pane::Agreements => "Agreements",
            Pane::Wins => "Wins",
            Pane::Trends => "Trends",
            Pane::Journal => "Journal",
            Pane::Repairs => "Repairs",
        }
    }

    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    // Anywhere
    Weekly,
    Settings,
    Quit,
    ForceQuit,
    ToggleHelp,
    Close,
    /// Ctrl-Z: hand the terminal back to the shell until `fg`. The loop does it.
    Suspend,
    /// Ctrl-L: draw the whole screen again. The loop does it.
    Repaint,
    // Moving around
    NextPane,
    PrevPane,
    GoPane(Pane),
    Up,
    Down,
    Left,
    Right,
    Top,
    Bottom,
    // Tonight
    CheckIn,
    Reveal,
    /// Another prompt for tonight.
    AnotherPrompt,
    /// Star tonight's prompt (or take the star away), so it comes back now and then.
    StarPrompt,
    /// This week's good time was had.
    GoodTimeDone,
    // Repairs
    TakeResponsibility,
    Respond,
    ProposeFromRepair,
    /// One partner's choice about the words of repairs in the summary.
    ShareRepairWords,
    // Agreements
    Propose,
    EditAgreement,
    Consent,
    Revisit,
    Retire,
    ShowHistory,
    ReviewTogether,
    CycleStatusFilter,
    // Trends
    ToggleMetric,
    DismissNote,
    // Journal
    GoToDate,
    /// Put your own check-in of yesterday right.
    EditEvening,
    // Wins
    AddWin,
    EditWin,
    DeleteWin,
    /// Brings back the win deleted last (any this session, one at a time).
    UndoDelete,
    Celebrate,
    SearchWins,
    CyclePersonFilter,
    CycleTagFilter,
    ClearFilters,
    // Choosing a partner, answering a question
    Pick(u8),
    Select,
    Yes,
    No,
    // Forms
    NextField,
    PrevField,
    Submit,
    Save,
    OpenEditor,
    /// Empties the focused passphrase field, as Ctrl-U does at a terminal prompt.
    ClearField,
    SetRating(u8),
    NewLine,
    Type(KeyEvent),
    Paste(String),
    EditorDone(Option<String>),
    // Review together
    Mark(ReviewMark),
    OtherPartner,
    ReviewNote,
    Skip,
    // From the loop
    Refresh,
}
