//! Whether the terminal is dark or light, so the app's colours can be chosen for it.

use crate::cli::ThemeChoice;
use crate::domain::Background;

/// The choice: `--theme`, else `DUET_THEME`, else auto; with a line to show when
/// `DUET_THEME` says something else.
pub fn chosen(flag: Option<ThemeChoice>) -> (ThemeChoice, Option<String>) {
    use clap::ValueEnum;
    if let Some(choice) = flag {
        return (choice, None);
    }
    match std::env::var("DUET_THEME") {
        Ok(v) if !v.trim().is_empty() => match ThemeChoice::from_str(v.trim(), true) {
            Ok(choice) => (choice, None),
            Err(_) => (
                ThemeChoice::Auto,
                Some(format!(
                    "DUET_THEME is \"{}\", not auto, dark or light: the terminal was asked instead",
                    crate::text::shown(&v)
                )),
            ),
        },
        _ => (ThemeChoice::Auto, None),
    }
}

/// The user's choice, else the terminal's answer, else COLORFGBG, else dark.
pub fn detect(choice: ThemeChoice) -> Background {
    match choice {
        ThemeChoice::Dark => Background::Dark,
        ThemeChoice::Light => Background::Light,
        ThemeChoice::Auto => ask_terminal()
            .or_else(|| {
                std::env::var("COLORFGBG")
                    .ok()
                    .and_then(|v| from_colorfgbg(&v))
            })
            .unwrap_or_default(),
    }
}

/// Asks for the colours (OSC 10 and 11, then a query every terminal answers, so one that
/// doesn't know colours is told apart quickly). Before the screen is taken: the library puts
/// the terminal into raw mode and back itself.
fn ask_terminal() -> Option<Background> {
    use terminal_colorsaurus::{theme_mode, QueryOptions, ThemeMode};
    match theme_mode(QueryOptions::default()).ok()? {
        ThemeMode::Dark => Some(Background::Dark),
        ThemeMode::Light => Some(Background::Light),
    }
}

/// `COLORFGBG` as rxvt and Konsole set it, "15;0" or "0;default;15": the last field is the
/// background's palette number; 0–6 and 8 are the dark ones. With a background of its own
/// ("0;default": rxvt-unicode's `-bg '#fdf6e3'`), the text's colour tells: dark text is on a
/// light background.
pub fn from_colorfgbg(value: &str) -> Option<Background> {
    let dark = |n: u8| matches!(n, 0..=6 | 8);
    let number = |field: &str| field.trim().parse::<u8>().ok().filter(|n| *n < 16);
    let mut fields = value.split(';');
    let fg = fields.next().and_then(number);
    match value.rsplit(';').next().and_then(number) {
        Some(bg) if value.contains(';') => Some(if dark(bg) {
            Background::Dark
        } else {
            Background::Light
        }),
        _ => fg.filter(|_| value.contains(';')).map(|fg| {
            if dark(fg) {
                Background::Light
            } else {
                Background::Dark
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colorfgbg_names_the_background_last() {
        assert_eq!(from_colorfgbg("15;0"), Some(Background::Dark));
        assert_eq!(from_colorfgbg("0;15"), Some(Background::Light));
        assert_eq!(from_colorfgbg("0;default;15"), Some(Background::Light));
        assert_eq!(from_colorfgbg("7;8"), Some(Background::Dark));
        assert_eq!(from_colorfgbg("0;7"), Some(Background::Light));
        // A background of the terminal's own: the text's colour tells.
        assert_eq!(from_colorfgbg("0;default"), Some(Background::Light));
        assert_eq!(from_colorfgbg("15;default"), Some(Background::Dark));
        assert_eq!(from_colorfgbg("default;default"), None);
        assert_eq!(from_colorfgbg("0;99"), Some(Background::Light));
        assert_eq!(from_colorfgbg("99;99"), None);
        assert_eq!(from_colorfgbg("7"), None);
        assert_eq!(from_colorfgbg(""), None);
    }

    #[test]
    fn a_choice_is_taken_without_asking() {
        assert_eq!(detect(ThemeChoice::Light), Background::Light);
        assert_eq!(detect(ThemeChoice::Dark), Background::Dark);
    }
}
