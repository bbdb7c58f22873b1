//! The Wins pane: wins grouped by week, newest first, with who logged them and about whom.

use chrono::TimeZone;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};
use ratatui::Frame;

use super::empty_state;
use super::theme::Theme;
use crate::app::{App, Wins};
use crate::domain;

pub fn render<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let v = app.wins();
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let filters = filter_words(app);
    let summary = summary_line(v, &filters, theme);
    f.render_widget(Paragraph::new(summary), top);
    if v.list.is_empty() {
        let lines = if filters.is_empty() {
            vec![
                Line::styled("No wins yet — press a to log one.", theme.title()),
                Line::from(""),
                Line::styled(
                    "Small things count: a kind word, a promise kept, a calm talk.",
                    theme.dim(),
                ),
            ]
        } else {
            vec![
                Line::from("No wins match."),
                Line::styled("Press 0 to clear the filters.", theme.dim()),
            ]
        };
        empty_state(f, rest, lines);
        return;
    }
    // Rows are worked out as indexes first; only the rows that fit on screen become widgets,
    // so a keypress costs the same however many wins are loaded.
    enum Row {
        Week(chrono::NaiveDate, usize),
        Win(usize),
    }
    let mut rows: Vec<Row> = Vec::with_capacity(v.list.len() + 16);
    let mut header_at = 0;
    for (i, w) in v.list.iter().enumerate() {
        let week = domain::week_start(w.evening);
        match rows.get_mut(header_at) {
            Some(Row::Week(current, n)) if *current == week => *n += 1,
            _ => {
                header_at = rows.len();
                rows.push(Row::Week(week, 1));
            }
        }
        rows.push(Row::Win(i));
    }
    let selected_row = rows
        .iter()
        .position(|r| matches!(r, Row::Win(i) if *i == v.selected))
        .unwrap_or(0);
    let height = rest.height.saturating_sub(1).max(1) as usize;
    let start = (selected_row + 1).saturating_sub(height);
    // Only the week at the end the list was read toward can have more wins than are loaded:
    // the oldest shown, or the newest when it was read from the oldest end.
    let cut = if v.from_oldest {
        v.list.first()
    } else {
        v.list.last()
    };
    let last_week = cut.map(|w| domain::week_start(w.evening));
    let items: Vec<ListItem> = rows[start..(start + height).min(rows.len())]
        .iter()
        .map(|row| match row {
            Row::Week(week, count) => ListItem::new(Line::styled(
                format!(
                    " Week of {} · {count}{} win{}",
                    week.format("%a %-d %b %Y"),
                    if v.more && Some(*week) == last_week {
                        "+"
                    } else {
                        ""
                    },
                    if *count == 1 { "" } else { "s" }
                ),
                theme.accent(),
            )),
            Row::Win(i) => win_row(app, &v.list[*i], rest.width as usize, theme),
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(selected_row - start));
    let list = List::new(items).highlight_style(theme.selected()).block(
        Block::default()
            .borders(Borders::TOP)
            .border_style(theme.border(false)),
    );
    f.render_stateful_widget(list, rest, &mut state);
}

/// The filters in force, in words.
fn filter_words<Tz: TimeZone>(app: &App<Tz>) -> Vec<String>
where
    Tz::Offset: std::fmt::Display,
{
    let v = app.wins();
    let mut filters = Vec::new();
    if let Some(p) = &v.filter.person {
        filters.push(if p == "us" {
            "about us".to_string()
        } else {
            format!("by or about {}", app.name_of(p))
        });
    }
    if let Some(t) = &v.filter.tag {
        filters.push(format!("#{t}"));
    }
    if let Some(t) = &v.filter.text {
        filters.push(format!("\"{t}\""));
    }
    filters
}

/// How many wins there are, or what the filters show.
fn summary_line(v: &Wins, filters: &[String], theme: Theme) -> Line<'static> {
    if filters.is_empty() {
        Line::from(vec![
            Span::raw(format!(
                " {} win{} so far",
                v.total,
                if v.total == 1 { "" } else { "s" }
            )),
            Span::styled("   (p person · t tag · / search)", theme.dim()),
        ])
    } else {
        Line::from(vec![
            Span::raw(" Showing "),
            Span::styled(filters.join(" · "), theme.title()),
            Span::styled(
                format!("   {} shown · 0 clears the filters", v.list.len()),
                theme.dim(),
            ),
        ])
    }
}

/// A win in a line: a heart once celebrated, its words, who logged it, about whom, its tags.
fn win_row<Tz: TimeZone>(
    app: &App<Tz>,
    w: &domain::Win,
    width: usize,
    theme: Theme,
) -> ListItem<'static>
where
    Tz::Offset: std::fmt::Display,
{
    let heart = if w.celebrated_by.is_some() {
        Span::styled(" ♥ ", theme.error())
    } else {
        Span::raw("   ")
    };
    let by = app
        .couple()
        .into_iter()
        .flatten()
        .find(|p| p.id == w.logged_by);
    let about = match &w.about {
        None => "us".to_string(),
        Some(id) => app.name_of(id).to_string(),
    };
    // Who and about whom always show: a long win gives way, with "…" where it is cut.
    let name = by.map(|p| p.name.clone()).unwrap_or_default();
    let tags: String = w.tags.iter().map(|t| format!(" #{t}")).collect();
    let tail = format!("  {name} → {about}{tags}");
    let room = width
        .saturating_sub(3 + unicode_width::UnicodeWidthStr::width(tail.as_str()))
        .max(12);
    let mut spans = vec![
        heart,
        Span::raw(crate::text::fit(&w.text, room)),
        Span::raw("  "),
    ];
    if let Some(p) = by {
        spans.push(Span::styled(p.name.clone(), theme.partner(&p.color)));
    }
    spans.push(Span::styled(format!(" → {about}"), theme.dim()));
    if !tags.is_empty() {
        spans.push(Span::styled(tags, theme.dim()));
    }
    ListItem::new(Line::from(spans))
}
