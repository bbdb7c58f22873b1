//! What opens over a pane: choosing who, the weekly menu, a history, a yes-or-no question, and
//! the keys for wherever the keyboard is.

use chrono::TimeZone;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::popup;
use super::theme::Theme;
use crate::app::{App, WeekState, WhoFor};
use crate::domain::Seat;
use crate::keymap::{self, Context};

pub(super) fn who<Tz: TimeZone>(
    f: &mut Frame,
    area: Rect,
    app: &App<Tz>,
    purpose: WhoFor,
    selected: Seat,
    theme: Theme,
) where
    Tz::Offset: std::fmt::Display,
{
    let question = match purpose {
        WhoFor::CheckIn => "Who's checking in?",
        WhoFor::Propose => "Who's proposing?",
        WhoFor::EditAgreement | WhoFor::EditEvening => "Who's editing?",
        WhoFor::StarPrompt => "Whose star is it?",
        WhoFor::Repair => "Who's taking responsibility?",
        WhoFor::GoodTimeWin => "Who's logging the win?",
        WhoFor::ShareRepairWords => "Whose choice is it?",
    };
    let inner = popup(f, area, 44, 7, question, theme);
    let mut lines = vec![Line::from("")];
    let mut options = vec![Span::raw("  ")];
    for p in app.couple().into_iter().flatten() {
        let mut style = theme.partner(&p.color);
        if p.seat == selected {
            style = style.patch(theme.selected());
        }
        options.push(Span::styled(
            format!(" {} {} ", p.seat.number(), p.name),
            style,
        ));
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

pub(super) fn weekly_menu(
    f: &mut Frame,
    area: Rect,
    selected: usize,
    week: WeekState,
    theme: Theme,
) {
    let inner = popup(f, area, 46, 7, "Weekly check-in", theme);
    // The two options start at the same column, as wide as each other, so they line up.
    let option = |i: usize, text: &str| {
        let style = if i == selected {
            theme.selected()
        } else {
            Style::default()
        };
        Line::from(vec![
            Span::raw("  "),
            Span::styled(format!(" {} {text:<38} ", i + 1), style),
        ])
    };
    let (first, second, note) = match week {
        WeekState::Open => (
            "Start, or carry on where we left off",
            "Skip this week, with a reason",
            "About fifteen minutes, eight short steps.",
        ),
        WeekState::Done => (
            "Read it again, or fix a word",
            "Leave it as it is",
            "This week's check-in is done.",
        ),
        WeekState::Skipped => (
            "Hold it after all",
            "Leave it skipped",
            "This week's check-in was skipped.",
        ),
    };
    let lines = vec![
        Line::from(""),
        option(0, first),
        option(1, second),
        Line::from(""),
        Line::styled(note, theme.dim()).alignment(Alignment::Center),
    ];
    f.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn history(
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

pub(super) fn confirm(f: &mut Frame, area: Rect, question: &str, title: &str, theme: Theme) {
    let width = (unicode_width::UnicodeWidthStr::width(question) as u16 + 6)
        .clamp(30, area.width.saturating_sub(4));
    let lines_needed = (unicode_width::UnicodeWidthStr::width(question) as u16)
        .div_ceil(width.saturating_sub(2).max(1));
    let inner = popup(f, area, width, 5 + lines_needed, title, theme);
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

pub(super) fn help<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    // Help describes what is underneath it.
    let under = app.context_under_help();
    let place = match under {
        Context::Pane(p) => p.title().to_string(),
        Context::Lookup => "Finding".into(),
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
    let bindings: Vec<&keymap::Binding> = keymap::bindings(under).collect();
    // Each row fits `width` columns, its keys right-aligned to the widest in its column: a
    // description that doesn't fit ends in "…", never cut short without a sign.
    let rows = |bindings: &[&keymap::Binding], width: usize| -> Vec<Line> {
        let keys_width = bindings
            .iter()
            .map(|b| unicode_width::UnicodeWidthStr::width(b.label))
            .max()
            .unwrap_or(0);
        bindings
            .iter()
            .map(|b| {
                let key = format!(" {:>keys_width$}  ", b.label);
                let room =
                    width.saturating_sub(unicode_width::UnicodeWidthStr::width(key.as_str()));
                Line::from(vec![
                    Span::styled(key, theme.key()),
                    Span::raw(crate::text::fit(b.help, room)),
                ])
            })
            .collect()
    };
    let footer = [
        Line::from(""),
        Line::styled(
            " Everything is saved the moment you confirm it. Esc closes this help.",
            theme.dim(),
        ),
    ];
    let count = bindings.len();
    let needed = count as u16 + footer.len() as u16 + 2;
    if needed <= area.height {
        let inner = popup(f, area, 72, needed, &format!("Keys · {place}"), theme);
        let lines: Vec<Line> = rows(&bindings, inner.width as usize)
            .into_iter()
            .chain(footer)
            .collect();
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    } else {
        // Too many keys for one column here: two columns side by side.
        let half = count.div_ceil(2);
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
        let (first, second) = bindings.split_at(half);
        let (rows, second) = (
            rows(first, left.width as usize),
            rows(second, right.width as usize),
        );
        f.render_widget(Paragraph::new(rows), left);
        f.render_widget(Paragraph::new(second), right);
        f.render_widget(
            Paragraph::new(footer.to_vec()).wrap(Wrap { trim: false }),
            foot,
        );
    }
}
