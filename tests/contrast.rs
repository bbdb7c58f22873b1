//! Every colour duet draws, read as five real terminals draw it, on their dark and light
//! backgrounds: text at least 4.5:1 against what is behind it, lines and chart dots 3:1.
//!
//! Each screen is drawn into a TestBackend with the theme for its background; each cell's
//! colours are then looked up in the terminal's own palette (its sixteen colours, the bold-as-
//! bright rule and faint as it draws them, and the 256-colour cube), so a colour from the first
//! sixteen is judged as that terminal shows it.

mod common;

use chrono::Duration;
use common::*;
use duet::action::Pane;
use duet::app::{Message, Tone};
use duet::domain::{Background, CheckInDraft};
use duet::store::Store;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

type Rgb = (u8, u8, u8);

const fn rgb(hex: u32) -> Rgb {
    ((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
}

/// How a terminal draws faint (SGR 2) text.
#[derive(Clone, Copy)]
enum Faint {
    /// As any other text.
    Plain,
    /// Each component multiplied toward black.
    Darker(f64),
    /// Mixed with the background: the share of the foreground that is kept.
    Toward(f64),
}

struct Terminal16 {
    name: &'static str,
    colours: [u32; 16],
    /// Its own foreground and background, dark then light. A terminal that ships dark is given
    /// the common light setting (black on white) and the other way round.
    dark: (u32, u32),
    light: (u32, u32),
    /// Bold text in colours 0–7 is drawn in 8–15.
    bold_is_bright: bool,
    faint: Faint,
}

/// The five terminals' defaults as shipped, read from their sources (xterm, rxvt-unicode and st
/// also measured on screen): xterm 379 as Debian sets it up (Xt's black on white without its
/// resources), rxvt-unicode 9.30 (black on white; white on black with -rv), st 0.9, kitty
/// 0.30–0.48, alacritty 0.13–0.17. The terminals that ship dark are given black on white for
/// light, and rxvt-unicode white on black for dark.
const TERMINALS: &[Terminal16] = &[
    Terminal16 {
        name: "xterm",
        colours: [
            0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
            0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
        ],
        dark: (0xe5e5e5, 0x000000),
        light: (0x000000, 0xffffff),
        bold_is_bright: true,
        faint: Faint::Darker(2.0 / 3.0),
    },
    Terminal16 {
        name: "rxvt-unicode",
        colours: [
            0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000cd, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
            0x4d4d4d, 0xff0000, 0x00ff00, 0xffff00, 0x0000ff, 0xff00ff, 0x00ffff, 0xffffff,
        ],
        dark: (0xffffff, 0x000000),
        light: (0x000000, 0xffffff),
        bold_is_bright: true,
        faint: Faint::Plain,
    },
    Terminal16 {
        name: "st",
        colours: [
            0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
            0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
        ],
        dark: (0xe5e5e5, 0x000000),
        light: (0x000000, 0xffffff),
        bold_is_bright: true,
        faint: Faint::Darker(0.5),
    },
    Terminal16 {
        name: "kitty",
        colours: [
            0x000000, 0xcc0403, 0x19cb00, 0xcecb00, 0x0d73cc, 0xcb1ed1, 0x0dcdcd, 0xdddddd,
            0x767676, 0xf2201f, 0x23fd00, 0xfffd00, 0x1a8fff, 0xfd28ff, 0x14ffff, 0xffffff,
        ],
        dark: (0xdddddd, 0x000000),
        light: (0x000000, 0xffffff),
        bold_is_bright: false,
        faint: Faint::Toward(0.4),
    },
    Terminal16 {
        name: "alacritty",
        colours: [
            0x181818, 0xac4242, 0x90a959, 0xf4bf75, 0x6a9fb5, 0xaa759f, 0x75b5aa, 0xd8d8d8,
            0x6b6b6b, 0xc55555, 0xaac474, 0xfeca88, 0x82b8c8, 0xc28cb8, 0x93d3c3, 0xf8f8f8,
        ],
        dark: (0xd8d8d8, 0x181818),
        light: (0x000000, 0xffffff),
        bold_is_bright: false,
        faint: Faint::Darker(0.66),
    },
];

/// Light themes people choose besides plain white, and a dark grey besides black: the
/// 256-colour cube is the same on them, so the theme's colours must hold there too.
const OTHER_BACKGROUNDS: &[(Background, u32, u32)] = &[
    (Background::Light, 0x657b83, 0xfdf6e3), // Solarized light
    (Background::Light, 0x000000, 0xeeeeee),
    (Background::Dark, 0xc5c8c6, 0x1d1f21), // Tomorrow Night, alacritty's before 0.13
    (Background::Dark, 0xd0d0d0, 0x262626),
];

fn cube(n: u8) -> Rgb {
    if n >= 232 {
        let v = 8 + 10 * (n - 232);
        return (v, v, v);
    }
    let n = n - 16;
    let level = |i: u8| if i == 0 { 0 } else { 55 + 40 * i };
    (level(n / 36), level(n / 6 % 6), level(n % 6))
}

fn ansi(c: Color) -> Option<usize> {
    Some(match c {
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(n) if n < 16 => n as usize,
        _ => return None,
    })
}

/// A cell's colour as the terminal draws it. (xterm brightens only SGR 30–37, not 38;5;0–7;
/// treating both as bright is the stricter reading.)
fn resolve(c: Color, bold: bool, default: u32, t: &Terminal16) -> Rgb {
    if let Some(mut i) = ansi(c) {
        if bold && t.bold_is_bright && i < 8 {
            i += 8;
        }
        return rgb(t.colours[i]);
    }
    match c {
        Color::Reset => rgb(default),
        Color::Indexed(n) => cube(n),
        Color::Rgb(r, g, b) => (r, g, b),
        _ => unreachable!(),
    }
}

fn luminance((r, g, b): Rgb) -> f64 {
    let ch = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn mix(fg: Rgb, bg: Rgb, keep: f64) -> Rgb {
    let m = |f: u8, b: u8| (f as f64 * keep + b as f64 * (1.0 - keep)).round() as u8;
    (m(fg.0, bg.0), m(fg.1, bg.1), m(fg.2, bg.2))
}

/// Lines and dots that are drawing, not reading: they need 3:1 (WCAG's non-text contrast).
fn is_drawing(symbol: &str) -> bool {
    symbol
        .chars()
        .all(|c| matches!(c as u32, 0x2500..=0x259F | 0x2800..=0x28FF) || "•·◆◇▏▕".contains(c))
}

struct Failure {
    what: String,
}

/// Every visible cell of `buf`, judged on one terminal with the given default colours.
fn judge(
    screen: &str,
    buf: &Buffer,
    terminal: &Terminal16,
    (fg0, bg0): (u32, u32),
    out: &mut Vec<Failure>,
) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            let symbol = cell.symbol();
            // The terminal's own text colour on its own background is the user's choice.
            if symbol.trim().is_empty()
                || (cell.fg == Color::Reset
                    && cell.bg == Color::Reset
                    && !cell.modifier.contains(Modifier::DIM))
            {
                continue;
            }
            let bold = cell.modifier.contains(Modifier::BOLD);
            let mut fg = resolve(cell.fg, bold, fg0, terminal);
            let mut bg = resolve(cell.bg, false, bg0, terminal);
            if cell.modifier.contains(Modifier::REVERSED) {
                std::mem::swap(&mut fg, &mut bg);
            }
            if cell.modifier.contains(Modifier::DIM) {
                fg = match terminal.faint {
                    Faint::Plain => fg,
                    Faint::Darker(keep) => mix(fg, (0, 0, 0), keep),
                    Faint::Toward(keep) => mix(fg, bg, keep),
                };
            }
            let need = if is_drawing(symbol) { 3.0 } else { 4.5 };
            let got = ratio(fg, bg);
            if got < need {
                let row: String = (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>();
                out.push(Failure {
                    what: format!(
                        "{screen} on {}: {symbol:?} at ({x},{y}) is {got:.2}:1 (needs {need}), \
                         {:?} on {:?}; row: {}",
                        terminal.name,
                        cell.fg,
                        cell.bg,
                        row.trim_end()
                    ),
                });
            }
        }
    }
}

fn draw(app: &TestApp, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| duet::ui::render(f, app)).unwrap();
    t.backend().buffer().clone()
}

/// A year of the demo couple, then three hard weeks in which they see it differently: every
/// note, mark and status the panes can show.
fn lived_in(background: Background) -> TestApp {
    let today = now().with_timezone(&zone()).date_naive();
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_snapshot(&duet::demo::generate(1, 42, today), now())
        .unwrap();
    let couple = store.couple().unwrap();
    for n in 0..21 {
        for (seat, p) in couple.iter().enumerate() {
            let c = if seat == 0 { 3 } else { 1 };
            let draft = CheckInDraft {
                mood: 2,
                closeness: c,
                ..Default::default()
            };
            store
                .save_checkin(&p.id, today - Duration::days(n), &draft, now())
                .unwrap();
        }
    }
    let mut app = duet::app::App::new(store, zone(), now()).unwrap();
    app.set_background(background);
    app
}

/// Each pane (at 80×24 and 120×40), its help, a few rows chosen in each list, the forms, the
/// weekly check-in's steps, and each kind of footer line.
fn screens(background: Background) -> Vec<(String, Buffer)> {
    let mut out = Vec::new();
    let mut shot = |name: String, app: &TestApp| {
        out.push((format!("{name} 80×24"), draw(app, 80, 24)));
        out.push((format!("{name} 120×40"), draw(app, 120, 40)));
    };
    let mut app = lived_in(background);
    for pane in Pane::ALL {
        go(&mut app, pane);
        app.set_message(None);
        shot(format!("{pane:?}"), &app);
        for row in 1..4 {
            move_down(&mut app, 1);
            shot(format!("{pane:?}, row {row}"), &app);
        }
        toggle_help(&mut app);
        shot(format!("{pane:?} help"), &app);
        toggle_help(&mut app);
    }
    for tone in [Tone::Info, Tone::Celebrate, Tone::Error] {
        let name = format!("{tone:?} line");
        app.set_message(Some(Message {
            text: "A line in the footer".into(),
            tone,
        }));
        shot(name, &app);
    }
    app.set_message(None);
    go(&mut app, Pane::Tonight);
    open_check_in(&mut app, "Alex");
    shot("check-in form".into(), &app);
    press(&mut app, KeyCode::Esc);
    open_win_form(&mut app);
    type_text(&mut app, "half a thought");
    shot("win form".into(), &app);
    press(&mut app, KeyCode::Esc);
    shot("discard confirm".into(), &app);
    press(&mut app, KeyCode::Char('y'));
    open_proposal(&mut app, "Sam");
    shot("agreement form".into(), &app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    go(&mut app, Pane::Repairs);
    keys(&mut app, "t");
    shot("repair form".into(), &app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    go(&mut app, Pane::Tonight);
    weekly_menu(&mut app);
    shot("weekly menu".into(), &app);
    press(&mut app, KeyCode::Esc);
    start_weekly(&mut app);
    for step in 1..=8 {
        shot(format!("weekly step {step}"), &app);
        save(&mut app);
    }
    shot("weekly done".into(), &app);
    let mut setup = blank_app();
    setup.set_no_color(false);
    setup.set_background(background);
    shot("setup".into(), &setup);
    let mut unlock = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let theme = duet::ui::theme::Theme::new(true, background);
    unlock
        .draw(|f| duet::ui::render_unlock(f, &duet::app::unlock::Unlock::new(), theme))
        .unwrap();
    out.push(("unlock".into(), unlock.backend().buffer().clone()));
    out
}

#[test]
fn every_colour_reads_on_every_terminal_dark_and_light() {
    let mut failures = Vec::new();
    for background in [Background::Dark, Background::Light] {
        let screens = screens(background);
        assert!(screens.len() > 40, "the screens were drawn");
        for terminal in TERMINALS {
            let defaults = match background {
                Background::Dark => terminal.dark,
                Background::Light => terminal.light,
            };
            for (name, buf) in &screens {
                judge(name, buf, terminal, defaults, &mut failures);
            }
        }
        for &(_, fg0, bg0) in OTHER_BACKGROUNDS.iter().filter(|o| o.0 == background) {
            for (name, buf) in &screens {
                judge(name, buf, &TERMINALS[0], (fg0, bg0), &mut failures);
            }
        }
    }
    let shown: Vec<&str> = failures.iter().take(30).map(|f| f.what.as_str()).collect();
    assert!(
        failures.is_empty(),
        "{} cells fall short, the first of them:\n{}",
        failures.len(),
        shown.join("\n")
    );
}

/// The check would catch the old theme: the terminal's own blue, yellow and faint.
#[test]
fn the_check_catches_the_colours_it_is_there_for() {
    let short = |c: Color, bold: bool, t: &Terminal16, (fg0, bg0): (u32, u32)| {
        ratio(resolve(c, bold, fg0, t), rgb(bg0)) < 4.5
    };
    let xterm = &TERMINALS[0];
    let urxvt = &TERMINALS[1];
    assert!(short(Color::Blue, false, xterm, xterm.dark));
    assert!(short(Color::Yellow, true, urxvt, urxvt.light));
    assert!(short(Color::Cyan, true, &TERMINALS[3], TERMINALS[3].light));
    assert!(ratio(resolve(Color::Yellow, true, 0, urxvt), rgb(0xffffff)) < 1.1);
    assert!(is_drawing("─") && is_drawing("⣿") && !is_drawing("a"));
}

/// Shape and words carry what colour does: the chosen row is one whole reversed bar (no patch
/// in a partner's colour), a status doesn't wear the default partners' colours (other colours a
/// couple may choose can match one; the status is in words), and the calendar tells "both"
/// from "one" by shape.
#[test]
fn meaning_never_rests_on_colour_alone() {
    for background in [Background::Dark, Background::Light] {
        let mut app = lived_in(background);
        for pane in [Pane::Agreements, Pane::Wins, Pane::Journal, Pane::Repairs] {
            go(&mut app, pane);
            move_down(&mut app, 1);
            let buf = draw(&app, 80, 24);
            let chosen: Vec<_> = (0..24u16)
                .flat_map(|y| (0..80u16).map(move |x| (x, y)))
                .filter(|&p| buf[p].modifier.contains(Modifier::REVERSED))
                .collect();
            assert!(!chosen.is_empty(), "{pane:?}: a chosen row");
            for p in chosen {
                assert_eq!(
                    (buf[p].fg, buf[p].bg),
                    (Color::Reset, Color::Reset),
                    "{pane:?} at {p:?}: {:?}",
                    buf[p].symbol()
                );
            }
        }
        let theme = duet::ui::theme::Theme::new(true, background);
        for status in [
            duet::domain::AgreementStatus::Proposed,
            duet::domain::AgreementStatus::Agreed,
            duet::domain::AgreementStatus::Revisit,
        ] {
            for partner in ["magenta", "cyan"] {
                assert_ne!(
                    theme.status(status).fg,
                    theme.partner(partner).fg,
                    "{status:?}"
                );
            }
        }
    }
    let mut app = lived_in(Background::Dark);
    app.set_no_color(true);
    go(&mut app, Pane::Trends);
    let s = screen(&app);
    assert!(s.contains("● both ○ one · none"), "{s}");
}
