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
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Tonight, Pane::Agreements, Pane::Wins, Pane::Trends];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Tonight => "Tonight",
            Pane::Agreements => "Agreements",
            Pane::Wins => "Wins",
            Pane::Trends => "Trends",
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
    // Wins
    AddWin,
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
