//! The Agreements pane: the list with each partner's consent, and the selected one in full.

use chrono::TimeZone;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::theme::Theme;
use super::{empty_state, section};
use crate::app::App;
use crate::domain::{Agreement, AgreementStatus};

pub fn render<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let v = app.agreements();
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
                .couple()
                .into_iter()
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
    if let Some(a) = v.selected() {
        let block = section("Selected", theme);
        f.render_widget(
            Paragraph::new(details(app, a, theme))
                .wrap(Wrap { trim: true })
                .block(block),
            detail_area,
        );
    }
}

/// The selected agreement in full: who proposed it, how often it is reviewed, its details,
/// and what can be done with it now.
fn details<Tz: TimeZone>(app: &App<Tz>, a: &Agreement, theme: Theme) -> Vec<Line<'static>>
where
    Tz::Offset: std::fmt::Display,
{
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
    // A retired agreement has no reviews ahead; one past its date says it is overdue.
    if a.status != AgreementStatus::Retired {
        facts.push(format!(
            "review every {}",
            crate::text::count(a.review_every_weeks, "week")
        ));
        match a.next_review {
            Some(d) if d < app.evening() => {
                facts.push(format!("review overdue since {}", d.format("%a %-d %b")))
            }
            Some(d) => facts.push(format!("next review {}", d.format("%a %-d %b"))),
            None => {}
        }
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
    lines
}
