//! Reviewing agreements together: the agreement on screen, and each partner's marks.

use chrono::TimeZone;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph, Wrap};
use ratatui::Frame;

use super::forms::option;
use super::theme::Theme;
use crate::app::{App, Review};
use crate::domain::{Partner, ReviewMark};

pub fn render<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, r: &Review, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let Some(a) = r.queue.get(r.index) else {
        return;
    };
    f.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Span::styled(
            format!(" Review together · {} of {} ", r.index + 1, r.queue.len()),
            theme.title(),
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [_, title_area, details_area, marks_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Length(7),
    ])
    .areas(inner);
    let title = Paragraph::new(vec![
        Line::styled(a.title.to_uppercase(), theme.title()),
        Line::styled(
            format!(
                "agreed by you both · review every {}",
                crate::text::count(a.review_every_weeks, "week")
            ),
            theme.dim(),
        ),
    ])
    .alignment(Alignment::Center)
    .wrap(Wrap { trim: true });
    f.render_widget(title, title_area);
    let mut details: Vec<Line> = a
        .details
        .lines()
        .map(|l| Line::from(l.to_string()))
        .collect();
    details.push(Line::from(""));
    details.push(Line::styled(
        "How has this gone since you last looked at it?",
        theme.dim(),
    ));
    f.render_widget(
        Paragraph::new(details)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        details_area,
    );

    let cols = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
        .spacing(1)
        .split(marks_area);
    for (col, p) in app.couple().into_iter().flatten().enumerate() {
        marks_column(f, cols[col], r, p, theme);
    }
}

/// One partner's marks for the agreement on screen, and their note.
fn marks_column(f: &mut Frame, area: Rect, r: &Review, p: &Partner, theme: Theme) {
    let seat = p.seat;
    let active = seat == r.active;
    let block = Block::bordered()
        .border_type(if active {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(theme.border(active))
        .title(Span::styled(
            format!(" {} ", p.name),
            theme.partner(&p.color),
        ))
        .padding(Padding::horizontal(1));
    let mut spans = Vec::new();
    for (n, m) in [
        (1, ReviewMark::Honored),
        (2, ReviewMark::Struggled),
        (3, ReviewMark::Revisit),
    ] {
        spans.push(option(
            &format!("{n} {}", m.label()),
            r.marks[seat] == Some(m),
            active,
            theme,
        ));
    }
    let mut lines = vec![Line::from(spans), Line::from("")];
    let inner_col = block.inner(area);
    f.render_widget(block, area);
    match (&r.note, active) {
        (Some(note), true) => {
            f.render_widget(Paragraph::new(lines), inner_col);
            let [_, note_area] =
                Layout::vertical([Constraint::Length(2), Constraint::Length(1)]).areas(inner_col);
            f.render_widget(&**note, note_area);
        }
        _ => {
            let note = &r.notes[seat];
            lines.push(if note.is_empty() {
                Line::styled(if active { "n adds a note" } else { "" }, theme.dim())
            } else {
                Line::from(format!("“{note}”"))
            });
            f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner_col);
        }
    }
}
