//! Colours and emphasis. Only the terminal's own palette is used (no fixed backgrounds), so the
//! screens read on dark and light themes alike; with NO_COLOR only bold, dim and reverse remain.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn partner(self, color_name: &str) -> Style {
        let c = match color_name {
            "magenta" => Color::Magenta,
            "cyan" => Color::Cyan,
            "yellow" => Color::Yellow,
            "green" => Color::Green,
            "blue" => Color::Blue,
            "red" => Color::Red,
            _ => Color::Reset,
        };
        self.fg(c).add_modifier(Modifier::BOLD)
    }

    pub fn title(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    pub fn accent(self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::BOLD)
    }

    pub fn key(self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::BOLD)
    }

    pub fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn good(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    pub fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn border(self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Blue)
        } else {
            self.dim()
        }
    }

    pub fn status(self, s: crate::domain::AgreementStatus) -> Style {
        use crate::domain::AgreementStatus as S;
        match s {
            S::Proposed => self.warn(),
            S::Agreed => self.good(),
            S::Revisit => self.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            S::Retired => self.dim(),
        }
    }
}
