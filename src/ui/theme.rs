//! Colours and emphasis, chosen for the terminal's background (dark or light).
//!
//! Colours come from the 256-colour cube and grey ramp, never the first sixteen: those sixteen
//! are whatever each terminal's palette makes them (xterm's blue is 2.4:1 on black, rxvt's
//! bold yellow 1.07:1 on white), while the cube is the same in every terminal, so each text
//! colour here is at least 4.5:1 on the backgrounds it is meant for (`tests/contrast.rs`
//! checks it against real terminals' palettes). Meaning is carried by words, symbols, bold and
//! reverse as well; with NO_COLOR only bold, dim and reverse remain.

use ratatui::style::{Color, Modifier, Style};

pub use crate::domain::Background;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
    pub background: Background,
}

/// The colours of one background, as 256-colour indexes.
struct Colours {
    blue: u8,
    green: u8,
    yellow: u8,
    red: u8,
    magenta: u8,
    cyan: u8,
    /// Quiet text: hints, dates, borders of boxes not in focus.
    grey: u8,
}

const ON_DARK: Colours = Colours {
    blue: 75,     // #5fafff
    green: 78,    // #5fd787
    yellow: 220,  // #ffd700
    red: 203,     // #ff5f5f
    magenta: 213, // #ff87ff
    cyan: 80,     // #5fd7d7
    grey: 246,    // #949494
};

const ON_LIGHT: Colours = Colours {
    blue: 25,     // #005faf
    green: 22,    // #005f00
    yellow: 94,   // #875f00, an amber that reads on white
    red: 124,     // #af0000
    magenta: 127, // #af00af
    cyan: 23,     // #005f5f
    grey: 241,    // #626262
};

impl Theme {
    pub fn new(color: bool, background: Background) -> Self {
        Theme { color, background }
    }

    fn colours(self) -> &'static Colours {
        match self.background {
            Background::Dark => &ON_DARK,
            Background::Light => &ON_LIGHT,
        }
    }

    fn fg(self, pick: impl Fn(&Colours) -> u8) -> Style {
        if self.color {
            Style::default().fg(Color::Indexed(pick(self.colours())))
        } else {
            Style::default()
        }
    }

    pub fn partner(self, color_name: &str) -> Style {
        let style = match color_name {
            "magenta" => self.fg(|c| c.magenta),
            "cyan" => self.fg(|c| c.cyan),
            "yellow" => self.fg(|c| c.yellow),
            "green" => self.fg(|c| c.green),
            "blue" => self.fg(|c| c.blue),
            "red" => self.fg(|c| c.red),
            _ => Style::default(),
        };
        style.add_modifier(Modifier::BOLD)
    }

    pub fn title(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    /// Quiet text. A grey of known contrast in colour; the terminal's faint otherwise (faint is
    /// drawn as little as 2.9:1 by some terminals, so it is only the fallback).
    pub fn dim(self) -> Style {
        if self.color {
            self.fg(|c| c.grey)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    pub fn accent(self) -> Style {
        self.fg(|c| c.blue).add_modifier(Modifier::BOLD)
    }

    pub fn key(self) -> Style {
        self.fg(|c| c.blue).add_modifier(Modifier::BOLD)
    }

    /// The chosen row: reversed in the terminal's own colours, whole, whatever colours its
    /// words have (a partner's name would otherwise make a patch of its own colour).
    pub fn selected(self) -> Style {
        Style::default()
            .fg(Color::Reset)
            .bg(Color::Reset)
            .add_modifier(Modifier::REVERSED)
    }

    pub fn error(self) -> Style {
        self.fg(|c| c.red).add_modifier(Modifier::BOLD)
    }

    pub fn good(self) -> Style {
        self.fg(|c| c.green).add_modifier(Modifier::BOLD)
    }

    pub fn warn(self) -> Style {
        self.fg(|c| c.yellow).add_modifier(Modifier::BOLD)
    }

    pub fn border(self, focused: bool) -> Style {
        if focused {
            self.fg(|c| c.blue)
        } else {
            self.dim()
        }
    }

    pub fn status(self, s: crate::domain::AgreementStatus) -> Style {
        use crate::domain::AgreementStatus as S;
        match s {
            S::Proposed => self.warn(),
            S::Agreed => self.good(),
            // Not magenta, the first partner's colour unless they choose another: a status
            // shouldn't look like a person (its word carries it in any case).
            S::Revisit => self.accent(),
            S::Retired => self.dim(),
        }
    }
}
