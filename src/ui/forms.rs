//! Forms (setup, check-in, agreement, win, search) and the review-together screen.

use chrono::TimeZone;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Padding, Paragraph, Wrap};
use ratatui::Frame;

use super::theme::Theme;
use crate::app::form::{Form, Input};
use crate::app::{App, Review};
use crate::domain::ReviewMark;

fn wrapped_height(lines: &[String], width: u16) -> u16 {
    let w = width.max(1) as usize;
    lines
        .iter()
        .map(|l| (unicode_width::UnicodeWidthStr::width(l.as_str()).max(1)).div_ceil(w) as u16)
        .sum()
}

/// One option of a choice: the chosen one is bracketed, so it shows without colour too.
fn option(text: &str, chosen: bool, focused: bool, theme: Theme) -> Span<'static> {
    if chosen {
        let style = if focused {
            theme.selected()
        } else {
            theme.title()
        };
        Span::styled(format!("[{text}]"), style)
    } else {
        Span::styled(format!(" {text} "), theme.dim())
    }
}

pub fn render_form(f: &mut Frame, area: Rect, form: &Form, theme: Theme) {
    f.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Span::styled(format!(" {} ", form.title), theme.title()))
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    f.render_widget(block, area);

    let intro_h = wrapped_height(&form.intro, inner.width).min(inner.height / 2);
    let fixed: u16 = form
        .fields
        .iter()
        .map(|fl| match fl.input {
            Input::Text {
                multiline: true, ..
            } => 1 + 2,
            _ => 2,
        })
        .sum();
    let blocks = form
        .fields
        .iter()
        .filter(|fl| {
            matches!(
                fl.input,
                Input::Text {
                    multiline: true,
                    ..
                }
            )
        })
        .count() as u16;
    let spare = inner.height.saturating_sub(intro_h + fixed + 2);
    let extra_each = spare.checked_div(blocks).unwrap_or(0).min(4);
    let gap = if spare.saturating_sub(extra_each * blocks) > form.fields.len() as u16 {
        1
    } else {
        0
    };

    let mut constraints = vec![
        Constraint::Length(intro_h),
        Constraint::Length(if intro_h > 0 { 1 } else { 0 }),
    ];
    for fl in &form.fields {
        let h = match fl.input {
            Input::Text {
                multiline: true, ..
            } => 2 + extra_each,
            _ => 1,
        };
        constraints.push(Constraint::Length(1));
        constraints.push(Constraint::Length(h));
        constraints.push(Constraint::Length(gap));
    }
    constraints.push(Constraint::Length(1));
    constraints.push(Constraint::Fill(1));
    let rows = Layout::vertical(constraints).split(inner);

    let intro: Vec<Line> = form
        .intro
        .iter()
        .map(|l| Line::styled(l.clone(), theme.dim()))
        .collect();
    f.render_widget(Paragraph::new(intro).wrap(Wrap { trim: false }), rows[0]);
    for (i, fl) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label_area = rows[2 + i * 3];
        let input_area = rows[3 + i * 3];
        let marker = if focused { "› " } else { "  " };
        let label_style = if focused {
            theme.accent()
        } else {
            theme.title()
        };
        f.render_widget(
            Paragraph::new(Line::styled(format!("{marker}{}", fl.label), label_style)),
            label_area,
        );
        let [_, input_area] =
            Layout::horizontal([Constraint::Length(2), Constraint::Fill(1)]).areas(input_area);
        match &fl.input {
            Input::Text { area: text, .. } => {
                let mut t = text.clone();
                t.set_block(
                    Block::default()
                        .borders(Borders::LEFT)
                        .border_style(theme.border(focused))
                        .padding(Padding::left(1)),
                );
                if !focused {
                    t.set_cursor_style(Style::default());
                }
                f.render_widget(&*t, input_area);
            }
            Input::Choice { options, selected } => {
                let mut spans = Vec::new();
                for (j, o) in options.iter().enumerate() {
                    spans.push(option(o, j == *selected, focused, theme));
                    spans.push(Span::raw(" "));
                }
                f.render_widget(Paragraph::new(Line::from(spans)), input_area);
            }
            Input::Rating { value, words } => {
                let mut spans = Vec::new();
                for (j, w) in words.iter().enumerate() {
                    let n = j as u8 + 1;
                    spans.push(option(
                        &format!("{n} {w}"),
                        Some(n) == *value,
                        focused,
                        theme,
                    ));
                    spans.push(Span::raw(" "));
                }
                f.render_widget(Paragraph::new(Line::from(spans)), input_area);
            }
        }
    }
    if let Some(e) = &form.error {
        let err_area = rows[2 + form.fields.len() * 3];
        f.render_widget(
            Paragraph::new(Line::styled(e.clone(), theme.error())),
            err_area,
        );
    }
}

pub fn render_review<Tz: TimeZone>(
    f: &mut Frame,
    area: Rect,
    app: &App<Tz>,
    r: &Review,
    theme: Theme,
) where
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
                "agreed by you both · review every {} weeks",
                a.review_every_weeks
            ),
            theme.dim(),
        ),
    ])
    .alignment(Alignment::Center)
    .wrap(Wrap { trim: true });
    f.render_widget(title, title_area);
    let mut details = Vec::new();
    if !a.details.is_empty() {
        details.push(Line::from(a.details.clone()));
    }
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
    for (seat, p) in app.couple.iter().flatten().enumerate() {
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
        let inner_col = block.inner(cols[seat]);
        f.render_widget(block, cols[seat]);
        match (&r.note, active) {
            (Some(note), true) => {
                f.render_widget(Paragraph::new(lines), inner_col);
                let [_, note_area] =
                    Layout::vertical([Constraint::Length(2), Constraint::Length(1)])
                        .areas(inner_col);
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
}
