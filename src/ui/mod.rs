//! Drawing. `render` takes `&App`: it can only read.

mod agreements;
mod forms;
mod journal;
mod popups;
mod repairs;
mod review;
pub mod theme;
mod tonight;
mod trends;
mod wins;

use chrono::TimeZone;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Tabs, Wrap};
use ratatui::Frame;

use crate::action::Pane;
use crate::app::unlock::Unlock;
use crate::app::{App, Layer, Overlay, Tone};
use crate::keymap::{self, Context};
use crate::text::fit;
use theme::Theme;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

pub fn render<Tz: TimeZone>(f: &mut Frame, app: &App<Tz>)
where
    Tz::Offset: std::fmt::Display,
{
    let area = f.area();
    let theme = Theme::new(!app.no_color(), app.background());
    if too_small(f, theme, "q quits") {
        return;
    }
    let [header, body, footer] = screen_areas(area);
    render_header(f, header, app, theme);
    // Bottom up, so each layer is drawn over the one beneath it.
    for layer in app.layers().into_iter().rev() {
        match layer {
            Layer::Pane => render_pane(f, body, app, theme),
            Layer::Setup => {
                if let Some(form) = app.setup() {
                    forms::render_form(f, body, form, theme);
                }
            }
            Layer::Overlay => render_overlay(f, body, app, theme),
            Layer::Confirm => {
                if let Some(c) = app.confirm() {
                    // An offer (a good time as a win) isn't a warning.
                    let title = match c.pending {
                        crate::app::Pending::GoodTimeWin => "One more thing",
                        _ => "Are you sure?",
                    };
                    popups::confirm(f, body, &c.question, title, theme);
                }
            }
            Layer::Help => popups::help(f, body, app, theme),
        }
    }
    render_footer(f, footer, app, theme);
}

/// The pane on screen, under the weekly banner when there is one and nothing stands over it.
fn render_pane<Tz: TimeZone>(f: &mut Frame, body: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let body = match banner(app).filter(|_| app.overlay().is_none()) {
        Some((text, style)) => {
            let [line, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
            f.render_widget(
                Paragraph::new(Line::styled(fit(&text, line.width as usize), style)),
                line,
            );
            rest
        }
        None => body,
    };
    match app.pane() {
        Pane::Tonight => tonight::render(f, body, app, theme),
        Pane::Agreements => agreements::render(f, body, app, theme),
        Pane::Wins => wins::render(f, body, app, theme),
        Pane::Trends => trends::render(f, body, app, theme),
        Pane::Journal => journal::render(f, body, app, theme),
        Pane::Repairs => repairs::render(f, body, app, theme),
    }
}

fn render_overlay<Tz: TimeZone>(f: &mut Frame, body: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    match app.overlay() {
        Some(Overlay::Review(r)) => review::render(f, body, app, r, theme),
        Some(Overlay::Form { form, .. }) => forms::render_form(f, body, form, theme),
        Some(Overlay::Who { purpose, selected }) => {
            popups::who(f, body, app, *purpose, *selected, theme)
        }
        Some(Overlay::Weekly { selected, week }) => {
            popups::weekly_menu(f, body, *selected, *week, theme)
        }
        Some(Overlay::History {
            title,
            lines,
            scroll,
        }) => popups::history(f, body, title, lines, *scroll, theme),
        None => {}
    }
}

/// Header, body and footer: the same frame on every screen.
fn screen_areas(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(2),
    ])
    .areas(area)
}

/// Asks for a larger window instead of drawing a squashed screen. True when it did.
fn too_small(f: &mut Frame, theme: Theme, quit_hint: &'static str) -> bool {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = Text::from(vec![
            Line::styled("duet", theme.title()),
            Line::from(""),
            Line::from(format!(
                "Please make the window a little larger: at least {MIN_WIDTH}×{MIN_HEIGHT}."
            )),
            Line::from(format!("It is {}×{} now.", area.width, area.height)),
            Line::styled(quit_hint, theme.dim()),
        ]);
        let h = 7.min(area.height);
        let [mid] = Layout::vertical([Constraint::Length(h)])
            .flex(Flex::Center)
            .areas(area);
        f.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            mid,
        );
        return true;
    }
    false
}

/// A locked journal's first screen.
pub fn render_unlock(f: &mut Frame, unlock: &Unlock, theme: Theme) {
    if too_small(f, theme, "Esc quits") {
        return;
    }
    let [header, body, footer] = screen_areas(f.area());
    f.render_widget(Paragraph::new(Line::styled(" duet", theme.title())), header);
    let [row] = Layout::vertical([Constraint::Length(10.min(body.height))])
        .flex(Flex::Center)
        .areas(body);
    let [rect] = Layout::horizontal([Constraint::Length(64.min(body.width))])
        .flex(Flex::Center)
        .areas(row);
    forms::render_form(f, rect, &unlock.form, theme);
    let [msg, keys] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(footer);
    if unlock.opening {
        f.render_widget(Paragraph::new(" Opening the journal…"), msg);
    }
    key_hints(f, keys, unlock.context(), theme);
}

/// The weekly check-in, when it wants attention: due or overdue, or tomorrow.
fn banner<Tz: TimeZone>(app: &App<Tz>) -> Option<(String, Style)>
where
    Tz::Offset: std::fmt::Display,
{
    let theme = Theme::new(!app.no_color(), app.background());
    let status = app.weekly()?;
    if status.wants_meeting() {
        return Some((
            " ◆ Time for your weekly check-in: press W to begin (or to skip this week).".into(),
            theme.warn(),
        ));
    }
    if crate::schedule::is_eve(app.local_now(), &status) {
        let at = status.next_at().with_timezone(app.tz()).format("%A %H:%M");
        return Some((
            format!(" ◇ Coming up: your weekly check-in, {at}. W opens it early."),
            theme.accent(),
        ));
    }
    None
}

fn render_header<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let [top, tabs_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let mut left = vec![Span::styled(" duet", theme.title())];
    if let Some(c) = app.couple() {
        left.push(Span::raw(" · "));
        left.push(Span::styled(c[0].name.clone(), theme.partner(&c[0].color)));
        left.push(Span::raw(" & "));
        left.push(Span::styled(c[1].name.clone(), theme.partner(&c[1].color)));
        left.push(Span::raw(" · "));
        left.push(Span::raw(app.evening().format("%A %-d %B").to_string()));
    }
    let left = Line::from(left);
    // The weekly status sits at the right of the top line, clear of the names and the date.
    let room = (top.width as usize).saturating_sub(left.width() + 2);
    f.render_widget(Paragraph::new(left), top);
    if app.setup().is_none() {
        let titles: Vec<String> = Pane::ALL
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{} {}", i + 1, p.title()))
            .collect();
        let tabs = Tabs::new(titles.iter().map(|t| Line::from(t.as_str())))
            .select(app.pane().index())
            .highlight_style(
                theme
                    .selected()
                    .add_modifier(ratatui::style::Modifier::BOLD),
            )
            .divider(Span::styled("│", theme.dim()))
            .padding(" ", " ");
        f.render_widget(tabs, tabs_area);
        let style = match app.weekly() {
            Some(w) if w.wants_meeting() => theme.warn(),
            _ => theme.dim(),
        };
        // On a paired device, how syncing stands comes first, in a word.
        let sync = app
            .sync_word()
            .map(|w| format!("{w} · "))
            .unwrap_or_default();
        let sync_style = match app.sync_word() {
            Some("synced" | "receiving") | None => theme.dim(),
            Some(_) => theme.warn(),
        };
        let room = room.saturating_sub(unicode_width::UnicodeWidthStr::width(sync.as_str()));
        let full = unicode_width::UnicodeWidthStr::width(app.weekly_line()) < room;
        let text = if full {
            app.weekly_line()
        } else {
            app.weekly_short()
        };
        let line = fit(text, room.saturating_sub(1));
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(sync, sync_style),
                Span::styled(format!("{line} "), style),
            ]))
            .alignment(Alignment::Right),
            top,
        );
    }
}

fn render_footer<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let [msg, keys] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    if let Some(m) = app.message() {
        let style = match m.tone {
            Tone::Info => Style::default(),
            Tone::Celebrate => theme.good(),
            Tone::Error => theme.error(),
        };
        f.render_widget(
            Paragraph::new(Line::styled(
                format!(" {}", fit(&m.text, (msg.width as usize).saturating_sub(2))),
                style,
            )),
            msg,
        );
    }
    key_hints(f, keys, app.context(), theme);
}

/// The footer's key hints, from the keymap's own table; those that don't fit are left out.
fn key_hints(f: &mut Frame, area: Rect, ctx: Context, theme: Theme) {
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1usize;
    for (label, help) in keymap::footer(ctx) {
        // The label, a space, the help, and three spaces before the next one.
        let w = unicode_width::UnicodeWidthStr::width(label)
            + unicode_width::UnicodeWidthStr::width(help)
            + 4;
        if width + w > area.width as usize {
            break;
        }
        width += w;
        spans.push(Span::styled(label, theme.key()));
        spans.push(Span::styled(format!(" {help}   "), theme.dim()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A titled, rounded box with a little room inside: the panes' sections.
pub(crate) fn section(title: &str, theme: Theme) -> Block<'static> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(false))
        .title(Span::styled(format!(" {title} "), theme.title()))
        .padding(ratatui::widgets::Padding::horizontal(1))
}

/// A few centred lines where a list would be, saying why it is empty and what to do.
pub(crate) fn empty_state(f: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    let h = lines.len() as u16;
    let [mid] = Layout::vertical([Constraint::Length(h)])
        .flex(ratatui::layout::Flex::Center)
        .areas(area);
    f.render_widget(
        Paragraph::new(lines)
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(Wrap { trim: true }),
        mid,
    );
}

/// A centered box of at most `w`×`h` inside `area`, cleared and bordered.
pub fn popup(f: &mut Frame, area: Rect, w: u16, h: u16, title: &str, theme: Theme) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let [row] = Layout::vertical([Constraint::Length(h)])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(w)])
        .flex(Flex::Center)
        .areas(row);
    f.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    inner
}
