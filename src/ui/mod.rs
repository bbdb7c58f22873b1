//! Drawing. `render` takes `&App`: it can only read.

mod forms;
mod panes;
pub mod theme;
mod trends;

use chrono::TimeZone;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Tabs, Wrap};
use ratatui::Frame;

use crate::action::Pane;
use crate::app::unlock::Unlock;
use crate::app::{App, Overlay, Tone, WhoFor};
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
    let theme = Theme {
        color: !app.no_color,
    };
    if too_small(f, theme, "q quits") {
        return;
    }
    let [header, body, footer] = screen_areas(area);
    render_header(f, header, app, theme);
    if let Some(form) = &app.setup {
        forms::render_form(f, body, form, theme);
    } else if let Some(Overlay::Review(r)) = &app.overlay {
        forms::render_review(f, body, app, r, theme);
    } else {
        let body = match banner(app).filter(|_| app.overlay.is_none()) {
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
        match app.pane {
            Pane::Tonight => panes::tonight(f, body, app, theme),
            Pane::Agreements => panes::agreements(f, body, app, theme),
            Pane::Wins => panes::wins(f, body, app, theme),
            Pane::Trends => trends::render(f, body, app, theme),
        }
        match &app.overlay {
            Some(Overlay::Form { form, .. }) => forms::render_form(f, body, form, theme),
            Some(Overlay::Who { purpose, selected }) => {
                render_who(f, body, app, *purpose, *selected, theme)
            }
            Some(Overlay::Weekly { selected }) => render_weekly_menu(f, body, *selected, theme),
            Some(Overlay::History {
                title,
                lines,
                scroll,
            }) => render_history(f, body, title, lines, *scroll, theme),
            _ => {}
        }
    }
    if let Some(c) = &app.confirm {
        render_confirm(f, body, &c.question, theme);
    }
    if app.help {
        render_help(f, body, app, theme);
    }
    render_footer(f, footer, app, theme);
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
pub fn render_unlock(f: &mut Frame, unlock: &Unlock, no_color: bool) {
    let theme = Theme { color: !no_color };
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
    let theme = Theme {
        color: !app.no_color,
    };
    let status = app.weekly?;
    if status.wants_meeting() {
        return Some((
            " ◆ Time for your weekly check-in: press W to begin (or to skip this week).".into(),
            theme.warn(),
        ));
    }
    if crate::schedule::is_eve(app.local_now(), &status) {
        let at = status.next_at().with_timezone(&app.tz).format("%A %H:%M");
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
    if let Some(c) = &app.couple {
        left.push(Span::raw(" · "));
        left.push(Span::styled(c[0].name.clone(), theme.partner(&c[0].color)));
        left.push(Span::raw(" & "));
        left.push(Span::styled(c[1].name.clone(), theme.partner(&c[1].color)));
        left.push(Span::raw(" · "));
        left.push(Span::raw(app.evening().format("%A %-d %B").to_string()));
    }
    f.render_widget(Paragraph::new(Line::from(left)), top);
    if app.setup.is_none() {
        let titles: Vec<Line> = Pane::ALL
            .iter()
            .enumerate()
            .map(|(i, p)| Line::from(format!("{} {}", i + 1, p.title())))
            .collect();
        let tabs = Tabs::new(titles)
            .select(app.pane.index())
            .highlight_style(
                theme
                    .selected()
                    .add_modifier(ratatui::style::Modifier::BOLD),
            )
            .divider(Span::styled("│", theme.dim()))
            .padding(" ", " ");
        f.render_widget(tabs, tabs_area);
        // The weekly status sits right of the tabs, where it fits even at 60 columns.
        let style = match app.weekly {
            Some(w) if w.wants_meeting() => theme.warn(),
            _ => theme.dim(),
        };
        let tabs_width = 49;
        let room = (tabs_area.width as usize).saturating_sub(tabs_width);
        let full = unicode_width::UnicodeWidthStr::width(app.weekly_line.as_str()) < room;
        let text = if full {
            &app.weekly_line
        } else {
            &app.weekly_short
        };
        let line = fit(text, room.saturating_sub(1));
        f.render_widget(
            Paragraph::new(Line::styled(format!("{line} "), style)).alignment(Alignment::Right),
            tabs_area,
        );
    }
}

fn render_footer<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let [msg, keys] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    if let Some(m) = &app.message {
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

fn render_who<Tz: TimeZone>(
    f: &mut Frame,
    area: Rect,
    app: &App<Tz>,
    purpose: WhoFor,
    selected: usize,
    theme: Theme,
) where
    Tz::Offset: std::fmt::Display,
{
    let question = match purpose {
        WhoFor::CheckIn => "Who's checking in?",
        WhoFor::Propose => "Who's proposing?",
        WhoFor::EditAgreement => "Who's editing?",
    };
    let inner = popup(f, area, 44, 7, question, theme);
    let mut lines = vec![Line::from("")];
    let mut options = vec![Span::raw("  ")];
    for (i, p) in app.couple.iter().flatten().enumerate() {
        let mut style = theme.partner(&p.color);
        if i == selected {
            style = style.patch(theme.selected());
        }
        options.push(Span::styled(format!(" {} {} ", i + 1, p.name), style));
        options.push(Span::raw("   "));
    }
    lines.push(Line::from(options).alignment(Alignment::Center));
    lines.push(Line::from(""));
    if purpose == WhoFor::CheckIn {
        lines.push(
            Line::styled("The other's answers stay hidden.", theme.dim())
                .alignment(Alignment::Center),
        );
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn render_weekly_menu(f: &mut Frame, area: Rect, selected: usize, theme: Theme) {
    let inner = popup(f, area, 46, 7, "Weekly check-in", theme);
    let option = |i: usize, text: &str| {
        let style = if i == selected {
            theme.selected()
        } else {
            Style::default()
        };
        Line::from(Span::styled(format!(" {} {text} ", i + 1), style)).alignment(Alignment::Center)
    };
    let lines = vec![
        Line::from(""),
        option(0, "Start, or carry on where we left off"),
        option(1, "Skip this week, with a reason"),
        Line::from(""),
        Line::styled("About fifteen minutes, six short steps.", theme.dim())
            .alignment(Alignment::Center),
    ];
    f.render_widget(Paragraph::new(lines), inner);
}

fn render_history(
    f: &mut Frame,
    area: Rect,
    title: &str,
    lines: &[String],
    scroll: usize,
    theme: Theme,
) {
    let inner = popup(f, area, area.width, area.height, title, theme);
    let text: Vec<Line> = if lines.is_empty() {
        vec![Line::styled("No history yet.", theme.dim())]
    } else {
        lines.iter().map(|l| Line::from(l.as_str())).collect()
    };
    let inner = inner.inner(ratatui::layout::Margin::new(1, 0));
    f.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((scroll as u16, 0)),
        inner,
    );
}

fn render_confirm(f: &mut Frame, area: Rect, question: &str, theme: Theme) {
    let width = (unicode_width::UnicodeWidthStr::width(question) as u16 + 6)
        .clamp(30, area.width.saturating_sub(4));
    let lines_needed = (unicode_width::UnicodeWidthStr::width(question) as u16)
        .div_ceil(width.saturating_sub(2).max(1));
    let inner = popup(f, area, width, 5 + lines_needed, "Are you sure?", theme);
    let lines = vec![
        Line::from(""),
        Line::from(question).alignment(Alignment::Center),
        Line::from(""),
        Line::from(vec![
            Span::styled("y", theme.key()),
            Span::raw(" yes    "),
            Span::styled("n", theme.key()),
            Span::raw(" no"),
        ])
        .alignment(Alignment::Center),
    ];
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

fn render_help<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    // Help describes what is underneath it.
    let under = app.context_under_help();
    let place = match under {
        Context::Pane(p) => p.title().to_string(),
        Context::TextLine
        | Context::TextBlock
        | Context::Secret
        | Context::Choice
        | Context::Rating => "Writing".into(),
        Context::Who => "Choosing who".into(),
        Context::Confirm => "A question".into(),
        Context::History => "History".into(),
        Context::Review => "Review together".into(),
        Context::Help => "Help".into(),
        Context::Unlock => "Unlocking".into(),
    };
    let rows: Vec<Line> = keymap::bindings(under)
        .map(|b| {
            Line::from(vec![
                Span::styled(format!(" {:>10}  ", b.label), theme.key()),
                Span::raw(b.help),
            ])
        })
        .collect();
    let footer = [
        Line::from(""),
        Line::styled(
            " Everything is saved the moment you confirm it. Esc closes this help.",
            theme.dim(),
        ),
    ];
    let needed = rows.len() as u16 + footer.len() as u16 + 2;
    if needed <= area.height {
        let inner = popup(f, area, 72, needed, &format!("Keys · {place}"), theme);
        let lines: Vec<Line> = rows.into_iter().chain(footer).collect();
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    } else {
        // Too many keys for one column here: two columns side by side.
        let half = rows.len().div_ceil(2);
        let height = half as u16 + footer.len() as u16 + 2;
        let inner = popup(
            f,
            area,
            area.width,
            height,
            &format!("Keys · {place}"),
            theme,
        );
        let [cols, foot] =
            Layout::vertical([Constraint::Length(half as u16), Constraint::Fill(1)]).areas(inner);
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(cols);
        let mut rows = rows;
        let second = rows.split_off(half);
        f.render_widget(Paragraph::new(rows), left);
        f.render_widget(Paragraph::new(second), right);
        f.render_widget(
            Paragraph::new(footer.to_vec()).wrap(Wrap { trim: false }),
            foot,
        );
    }
}
