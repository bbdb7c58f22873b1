//! The Tonight pane: tonight's prompt, each partner's column (hidden until both have checked
//! in, then side by side), this week's intention and the streaks.

use chrono::TimeZone;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, BorderType, Padding, Paragraph, Wrap};
use ratatui::Frame;

use super::section;
use super::theme::Theme;
use crate::app::{App, Tonight};
use crate::domain::{self, CheckIn, Partner};

pub fn render<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let Some(couple) = app.couple() else { return };
    let t = app.tonight();
    let prompt_h = if t.prompt.is_some() { 4 } else { 0 };
    let [prompt_area, people_area] =
        Layout::vertical([Constraint::Length(prompt_h), Constraint::Fill(1)]).areas(area);
    if let Some(p) = t.prompt {
        let star = if t.starred { " · ★ starred" } else { "" };
        let block = section(&format!("Tonight's prompt · {}{star}", p.practice), theme);
        f.render_widget(
            Paragraph::new(p.text.as_str())
                .wrap(Wrap { trim: true })
                .block(block),
            prompt_area,
        );
    }
    let extras = tonight_extras(app, theme);
    let [status_area, cols_area, extras_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(extras.len() as u16),
    ])
    .areas(people_area);
    f.render_widget(Paragraph::new(extras), extras_area);
    let status = status_line(t, theme);
    f.render_widget(
        Paragraph::new(status).wrap(Wrap { trim: false }),
        status_area,
    );
    let cols = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
        .spacing(1)
        .split(cols_area);
    for (i, p) in couple.iter().enumerate() {
        // On a partner's own device, their own answers are theirs to see.
        let mine = app.me() == Some(p.seat);
        column(f, cols[i], t, p, i, mine, theme);
    }
}

/// One line on where tonight stands.
fn status_line(t: &Tonight, theme: Theme) -> Line<'static> {
    let both = t.both_in();
    if both && t.revealed {
        let in_sync = match &t.checkins {
            [Some(a), Some(b)] => a.mood == b.mood && a.closeness == b.closeness,
            _ => false,
        };
        if in_sync {
            Line::styled(
                " You're in sync tonight: the same mood and the same closeness.",
                theme.good(),
            )
        } else {
            Line::styled(
                " Tonight, side by side. Take a moment with each other's words.",
                theme.dim(),
            )
        }
    } else if both {
        Line::styled(
            " You've both checked in. Press r to reveal together.",
            theme.good(),
        )
    } else {
        Line::styled(
            " Press c to check in. You each answer alone; the reveal waits for you both.",
            theme.dim(),
        )
    }
}

/// A partner's column: not yet, checked in (hidden), or their answers once revealed.
fn column(f: &mut Frame, area: Rect, t: &Tonight, p: &Partner, i: usize, mine: bool, theme: Theme) {
    let both = t.both_in();
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(false))
        .title(Span::styled(
            format!(" {} ", p.name),
            theme.partner(&p.color),
        ))
        .padding(Padding::horizontal(1));
    let text = match (&t.checkins[i], both && t.revealed) {
        (None, _) => Text::from(vec![
            Line::from(""),
            Line::styled("Not checked in yet.", theme.dim()),
            Line::from(""),
            Line::from(vec![
                Span::styled("c", theme.key()),
                Span::raw(" to check in"),
            ]),
        ]),
        (Some(c), false) if mine => {
            let mut text = revealed(c, t.prompt.map(|p| p.text.as_str()), theme);
            text.lines.insert(
                0,
                Line::styled("✓ Yours; shown to the other at the reveal", theme.good()),
            );
            text
        }
        (Some(_), false) => Text::from(vec![
            Line::from(""),
            Line::styled("✓ Checked in", theme.good()),
            Line::from(""),
            if both {
                Line::styled("Ready: press r to reveal together.", theme.dim())
            } else {
                Line::styled("Hidden until you have both checked in.", theme.dim())
            },
        ]),
        (Some(c), true) => revealed(c, t.prompt.map(|p| p.text.as_str()), theme),
    };
    // A long reveal scrolls with j/k; the border says when there is more.
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: true });
    let inner = block.inner(area);
    let overflow = (paragraph.line_count(inner.width) as u16).saturating_sub(inner.height);
    let scroll = t.scroll.min(overflow);
    let block = if overflow > 0 {
        let more = if scroll < overflow {
            "↓ more · j/k"
        } else {
            "↑ j/k"
        };
        block.title_bottom(Line::styled(format!(" {more} "), theme.dim()).right_aligned())
    } else {
        block
    };
    f.render_widget(paragraph.scroll((scroll, 0)).block(block), area);
}

/// This week's intention and the streaks, under the two columns.
fn tonight_extras<Tz: TimeZone>(app: &App<Tz>, theme: Theme) -> Vec<Line<'static>>
where
    Tz::Offset: std::fmt::Display,
{
    let t = app.tonight();
    let mut lines = Vec::new();
    if let Some(i) = &t.intention {
        lines.push(Line::from(vec![
            Span::styled(" This week we said: ", theme.dim()),
            Span::styled(format!("“{i}”"), theme.title()),
        ]));
    }
    if let Some(g) = t
        .good_time
        .as_ref()
        .and_then(|m| m.answers.good_time.as_ref())
    {
        let when = if g.when.is_empty() {
            String::new()
        } else {
            format!(" · {}", g.when)
        };
        // What it says first, so a long plan is what gets cut at the edge.
        let head = if g.done_at.is_some() {
            Span::styled(" ✓ Your good time, had: ", theme.good())
        } else {
            Span::styled(" A good time planned (t once had): ", theme.dim())
        };
        lines.push(Line::from(vec![
            head,
            Span::styled(format!("{}{when}", g.what), theme.title()),
        ]));
    }
    let mut bits = Vec::new();
    if t.evening_streak > 1 {
        bits.push(format!("{} evenings in a row together", t.evening_streak));
    }
    if t.meeting_streak > 1 {
        bits.push(format!("{} weekly check-ins in a row", t.meeting_streak));
    }
    if !bits.is_empty() {
        lines.push(Line::styled(format!(" {}", bits.join(" · ")), theme.dim()));
    }
    lines
}

fn revealed(c: &CheckIn, prompt: Option<&str>, theme: Theme) -> Text<'static> {
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Mood       ", theme.dim()),
            Span::styled(
                format!("{} · {}", c.mood, domain::mood_word(c.mood)),
                theme.title(),
            ),
        ]),
        Line::from(vec![
            Span::styled("Closeness  ", theme.dim()),
            Span::styled(
                format!("{} · {}", c.closeness, domain::closeness_word(c.closeness)),
                theme.title(),
            ),
        ]),
    ];
    let mut part = |label: &str, text: &str| {
        if !text.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::styled(label.to_string(), theme.dim()));
            for l in text.lines() {
                lines.push(Line::from(l.to_string()));
            }
        }
    };
    part("Appreciates", &c.appreciation);
    part("Needs", &c.need);
    if prompt.is_some() {
        part("On tonight's prompt", &c.prompt_answer);
    }
    Text::from(lines)
}
