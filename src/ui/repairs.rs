//! The Repairs pane: what each took responsibility for, newest first, and the other's answer so
//! far; the selected one in full below. No counters, no red: an answer comes when it comes.

use chrono::{Datelike, TimeZone};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::empty_state;
use super::theme::Theme;
use crate::app::App;
use crate::store::RepairWithAnswers;
use crate::text::fit;

pub fn render<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let v = app.repairs();
    if v.list.is_empty() {
        empty_state(
            f,
            area,
            vec![
                Line::styled("No repairs yet — press t to take responsibility for something.", theme.title()),
                Line::from(""),
                Line::styled(
                    "Say what happened and own it; say what you'll do differently.",
                    theme.dim(),
                ),
                Line::styled(
                    "The other answers when ready: I hear you, thank you, I forgive you, or not yet.",
                    theme.dim(),
                ),
            ],
        );
        return;
    }
    let list_h = (v.list.len() as u16 + 1).min(area.height / 2).max(2);
    let [top, list_area, detail_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(list_h),
        Constraint::Fill(1),
    ])
    .areas(area);
    f.render_widget(
        Paragraph::new(Line::styled(
            " Taking responsibility, and answering in your own time",
            theme.dim(),
        )),
        top,
    );
    let height = list_h as usize;
    let start = (v.selected + 1).saturating_sub(height);
    let width = list_area.width as usize;
    let items: Vec<ListItem> = v.list[start..(start + height).min(v.list.len())]
        .iter()
        .map(|r| row(app, r, width, theme))
        .collect();
    let mut state = ListState::default().with_selected(Some(v.selected - start));
    f.render_stateful_widget(
        List::new(items).highlight_style(theme.selected()),
        list_area,
        &mut state,
    );
    if let Some(r) = v.selected() {
        f.render_widget(
            Paragraph::new(detail(app, r, theme))
                .wrap(Wrap { trim: false })
                .block(
                    Block::default()
                        .borders(Borders::TOP)
                        .border_style(theme.border(false)),
                ),
            detail_area,
        );
    }
}

/// The other's answer so far, in their words.
fn answer<Tz: TimeZone>(app: &App<Tz>, r: &RepairWithAnswers) -> String
where
    Tz::Offset: std::fmt::Display,
{
    match r.current() {
        Some(a) => format!("{}: {}", app.name_of(&a.partner_id), a.response.words()),
        None => "no answer yet".into(),
    }
}

fn row<Tz: TimeZone>(
    app: &App<Tz>,
    r: &RepairWithAnswers,
    width: usize,
    theme: Theme,
) -> ListItem<'static>
where
    Tz::Offset: std::fmt::Display,
{
    let rep = &r.repair;
    // The year only when it isn't this one.
    let date = if rep.evening.year() == app.evening().year() {
        rep.evening.format("%a %-d %b").to_string()
    } else {
        rep.evening.format("%-d %b %Y").to_string()
    };
    // In columns: the dates, then the names, as wide as the longer of the two.
    let date = format!(" {date:<11}  ");
    let name_width = app
        .couple()
        .into_iter()
        .flatten()
        .map(|p| p.name.chars().count().min(12))
        .max()
        .unwrap_or(0);
    let who = app
        .couple()
        .into_iter()
        .flatten()
        .find(|p| p.id == rep.by)
        .cloned();
    let name = who.as_ref().map_or("?".to_string(), |p| {
        format!("{:<name_width$}", fit(&p.name, 12))
    });
    let said = format!("  · {}", answer(app, r));
    let room = width
        .saturating_sub(date.chars().count() + name.chars().count() + said.chars().count() + 2);
    let mut spans = vec![Span::styled(date, theme.dim())];
    spans.push(match &who {
        Some(p) => Span::styled(name, theme.partner(&p.color)),
        None => Span::raw(name),
    });
    spans.push(Span::raw(format!(
        "  {}",
        fit(&rep.what_happened, room.max(10))
    )));
    spans.push(Span::styled(said, theme.dim()));
    ListItem::new(Line::from(spans))
}

fn detail<Tz: TimeZone>(app: &App<Tz>, r: &RepairWithAnswers, theme: Theme) -> Vec<Line<'static>>
where
    Tz::Offset: std::fmt::Display,
{
    let rep = &r.repair;
    let mut lines = vec![Line::from(vec![
        Span::styled(format!(" {}", app.name_of(&rep.by)), theme.title()),
        Span::raw(" took responsibility: "),
        Span::raw(rep.what_happened.replace('\n', " ")),
    ])];
    let mut part = |label: &str, text: &str| {
        if !text.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(format!(" {label}: "), theme.dim()),
                Span::raw(text.replace('\n', " ")),
            ]));
        }
    };
    let other = app
        .seat_of(&rep.by)
        .map_or("the other".to_string(), |s| app.name(s.other()));
    part(
        &format!("How it may have affected {other}"),
        &rep.how_it_affected,
    );
    part("What I'll do differently", &rep.do_differently);
    if let Some(title) = rep
        .agreement_id
        .as_ref()
        .and_then(|id| app.repairs().agreement_titles.get(id))
    {
        part("The agreement it touched", title);
    }
    let mut said: Vec<Line<'static>> = r
        .responses
        .iter()
        .map(|a| {
            let note = if a.note.is_empty() {
                String::new()
            } else {
                format!(" · {}", a.note.replace('\n', " "))
            };
            Line::from(vec![
                Span::styled(format!(" {} ", a.evening.format("%a %-d %b")), theme.dim()),
                Span::raw(format!(
                    "{}: {}{note}",
                    app.name_of(&a.partner_id),
                    a.response.words()
                )),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    if said.is_empty() {
        lines.push(Line::styled(
            " No answer yet. That's all right: it comes when it comes.",
            theme.dim(),
        ));
    }
    lines.append(&mut said);
    lines
}
