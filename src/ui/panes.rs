//! Tonight, Agreements and Wins: each drawn from the App's loaded view, nothing more.

use chrono::TimeZone;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{
    Block, BorderType, Borders, List, ListItem, ListState, Padding, Paragraph, Wrap,
};
use ratatui::Frame;

use super::theme::Theme;
use crate::app::App;
use crate::domain::{self, AgreementStatus, CheckIn};

use super::section;

fn empty_state(f: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
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

pub fn tonight<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let Some(couple) = &app.couple else { return };
    let t = &app.tonight;
    let prompt_h = if t.prompt.is_some() { 4 } else { 0 };
    let [prompt_area, people_area] =
        Layout::vertical([Constraint::Length(prompt_h), Constraint::Fill(1)]).areas(area);
    if let Some(p) = t.prompt {
        let block = section(&format!("Tonight's prompt · {}", p.practice), theme);
        f.render_widget(
            Paragraph::new(p.text.as_str())
                .wrap(Wrap { trim: true })
                .block(block),
            prompt_area,
        );
    }
    let both = t.checkins.iter().all(Option::is_some);
    let extras = tonight_extras(app, theme);
    let [status_area, cols_area, extras_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(extras.len() as u16),
    ])
    .areas(people_area);
    f.render_widget(Paragraph::new(extras), extras_area);
    let status = if both && t.revealed {
        let [a, b] = [&t.checkins[0], &t.checkins[1]];
        let in_sync = match (a, b) {
            (Some(a), Some(b)) => a.mood == b.mood && a.closeness == b.closeness,
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
    };
    f.render_widget(
        Paragraph::new(status).wrap(Wrap { trim: false }),
        status_area,
    );
    let cols = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
        .spacing(1)
        .split(cols_area);
    for (i, p) in couple.iter().enumerate() {
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
        let inner = block.inner(cols[i]);
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
        f.render_widget(paragraph.scroll((scroll, 0)).block(block), cols[i]);
    }
}

/// This week's intention and the streaks, under the two columns.
fn tonight_extras<Tz: TimeZone>(app: &App<Tz>, theme: Theme) -> Vec<Line<'static>>
where
    Tz::Offset: std::fmt::Display,
{
    let t = &app.tonight;
    let mut lines = Vec::new();
    if let Some(i) = &t.intention {
        lines.push(Line::from(vec![
            Span::styled(" This week we said: ", theme.dim()),
            Span::styled(format!("“{i}”"), theme.title()),
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

pub fn agreements<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let v = &app.agreements;
    let [filter_area, rest] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let shown = v.filter.map(|s| s.as_str()).unwrap_or("all");
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(" Showing: "),
            Span::styled(shown, theme.title()),
            Span::styled("   (f filters by status · R reviews together)", theme.dim()),
        ])),
        filter_area,
    );
    if v.list.is_empty() {
        let lines = if v.filter.is_some() {
            vec![
                Line::from(format!("No {shown} agreements.")),
                Line::styled("Press f to show the others.", theme.dim()),
            ]
        } else {
            vec![
                Line::styled("No agreements yet — press a to propose one.", theme.title()),
                Line::from(""),
                Line::styled(
                    "An agreement is a boundary you both choose: what each of you",
                    theme.dim(),
                ),
                Line::styled(
                    "will do, or not do. It counts once the other partner says yes.",
                    theme.dim(),
                ),
            ]
        };
        empty_state(f, rest, lines);
        return;
    }
    let detail_h = if rest.height >= 16 { 7 } else { 5 };
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_h)]).areas(rest);
    let items: Vec<ListItem> = v
        .list
        .iter()
        .map(|a| {
            let consents: Vec<Span> = app
                .couple
                .iter()
                .flatten()
                .map(|p| {
                    if a.has_consented(&p.id) {
                        Span::styled(format!(" ✓{}", p.name), theme.partner(&p.color))
                    } else {
                        Span::styled(format!(" ·{}", p.name), theme.dim())
                    }
                })
                .collect();
            let mut spans = vec![
                Span::styled(
                    format!(" {:<9}", format!("[{}]", a.status.as_str())),
                    theme.status(a.status),
                ),
                Span::raw(format!(" {}", a.title)),
            ];
            spans.push(Span::raw("  "));
            spans.extend(consents);
            ListItem::new(Line::from(spans))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(v.selected));
    let list = List::new(items).highlight_style(theme.selected()).block(
        Block::default()
            .borders(Borders::TOP)
            .border_style(theme.border(false)),
    );
    f.render_stateful_widget(list, list_area, &mut state);
    if let Some(a) = app.selected_agreement() {
        let mut lines = vec![Line::from(vec![
            Span::styled(a.title.clone(), theme.title()),
            Span::styled(
                format!("  proposed by {}", app.name_of(&a.proposed_by)),
                theme.dim(),
            ),
        ])];
        let mut facts = Vec::new();
        if !a.category.is_empty() {
            facts.push(a.category.clone());
        }
        facts.push(format!(
            "review every {} week{}",
            a.review_every_weeks,
            if a.review_every_weeks == 1 { "" } else { "s" }
        ));
        if let Some(d) = a.next_review {
            facts.push(format!("next review {}", d.format("%a %-d %b")));
        }
        lines.push(Line::styled(facts.join(" · "), theme.dim()));
        let hint = match a.status {
            AgreementStatus::Proposed => {
                "Waiting for consent: y says yes for the partner who hasn't yet."
            }
            AgreementStatus::Revisit => "Marked to revisit: talk it through, then edit it (e).",
            AgreementStatus::Agreed => "Enter shows its history · e edits · v marks to revisit",
            AgreementStatus::Retired => "Retired. Its history is kept (Enter).",
        };
        lines.extend(a.details.lines().map(|l| Line::from(l.to_string())));
        lines.push(Line::styled(hint, theme.dim()));
        let block = section("Selected", theme);
        f.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
            detail_area,
        );
    }
}

pub fn wins<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let v = &app.wins;
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
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
    let summary = if filters.is_empty() {
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
    };
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
    // Only the oldest week shown can have more wins than are loaded.
    let last_week = v.list.last().map(|w| domain::week_start(w.evening));
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
            Row::Win(i) => {
                let w = &v.list[*i];
                let heart = if w.celebrated_by.is_some() {
                    Span::styled(" ♥ ", theme.error())
                } else {
                    Span::raw("   ")
                };
                let by = app.couple.iter().flatten().find(|p| p.id == w.logged_by);
                let about = match &w.about {
                    None => "us".to_string(),
                    Some(id) => app.name_of(id).to_string(),
                };
                let mut spans = vec![heart, Span::raw(w.text.clone()), Span::raw("  ")];
                if let Some(p) = by {
                    spans.push(Span::styled(p.name.clone(), theme.partner(&p.color)));
                }
                spans.push(Span::styled(format!(" → {about}"), theme.dim()));
                for t in &w.tags {
                    spans.push(Span::styled(format!(" #{t}"), theme.dim()));
                }
                ListItem::new(Line::from(spans))
            }
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
