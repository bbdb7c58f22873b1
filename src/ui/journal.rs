//! The Journal pane: the evenings, newest first, each in a line; the selected one below, in
//! full, with the words searched for marked.

use chrono::TimeZone;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::theme::Theme;
use super::{empty_state, section};
use crate::app::App;
use crate::domain::{self, Partner};
use crate::readback;
use crate::store::EveningRecord;

pub fn render<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let Some(couple) = app.couple() else { return };
    let j = app.journal();
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let summary = match &j.search {
        Some(words) => Line::from(vec![
            Span::raw(" Evenings with "),
            Span::styled(format!("\"{words}\""), theme.title()),
            Span::styled(
                format!("   {} found · 0 shows every evening", j.evenings.len()),
                theme.dim(),
            ),
        ]),
        None => Line::from(vec![
            Span::raw(" Your evenings, newest first"),
            Span::styled(
                "   (Enter reads one · / search · : go to a date)",
                theme.dim(),
            ),
        ]),
    };
    f.render_widget(Paragraph::new(summary), top);
    if j.evenings.is_empty() {
        let lines = if j.search.is_some() {
            vec![
                Line::from("No evening holds those words."),
                Line::styled("Press 0 to see every evening again.", theme.dim()),
            ]
        } else {
            vec![
                Line::styled("Nothing written yet.", theme.title()),
                Line::from(""),
                Line::styled(
                    "Each evening you check in comes back here, to read again.",
                    theme.dim(),
                ),
            ]
        };
        empty_state(f, rest, lines);
        return;
    }
    // The evening below the list takes what its words need, up to two-fifths of a tall screen.
    let least = if rest.height >= 18 { 9 } else { 6 };
    let most = (rest.height * 2 / 5).max(least);
    let detail_h = j
        .selected()
        .map_or(least, |r| detail_height(r, couple, rest.width))
        .clamp(least, most);
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_h)]).areas(rest);
    // Only the rows that fit are built: a keypress costs the same however much is read.
    let height = list_area.height.saturating_sub(1).max(1) as usize;
    let start = (j.selected + 1).saturating_sub(height);
    let items: Vec<ListItem> = j.evenings[start..(start + height).min(j.evenings.len())]
        .iter()
        .map(|r| ListItem::new(row(r, couple, theme)))
        .collect();
    let mut state = ListState::default().with_selected(Some(j.selected - start));
    let list = List::new(items).highlight_style(theme.selected()).block(
        Block::default()
            .borders(Borders::TOP)
            .border_style(theme.border(false)),
    );
    f.render_stateful_widget(list, list_area, &mut state);
    if let Some(r) = j.selected() {
        let words: Vec<String> = j
            .search
            .iter()
            .flat_map(|w| w.split_whitespace().map(String::from).collect::<Vec<_>>())
            .collect();
        let block = section(&r.evening.format("%A %-d %B %Y").to_string(), theme);
        let inner = block.inner(detail_area);
        f.render_widget(block, detail_area);
        detail(f, inner, r, couple, &words, theme);
    }
}

/// The selected evening: the two check-ins side by side, then what else it held.
fn detail(
    f: &mut Frame,
    area: Rect,
    r: &EveningRecord,
    couple: &[Partner; 2],
    words: &[String],
    theme: Theme,
) {
    let to_lines = |texts: Vec<String>| -> Vec<Line> {
        texts
            .iter()
            .flat_map(|l| l.lines().map(String::from).collect::<Vec<_>>())
            .map(|l| marked(&l, words, theme))
            .collect()
    };
    let shared = to_lines(readback::shared_lines(r, couple));
    let shared_h = (shared.len() as u16).min(area.height / 2);
    let [both, rest] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(shared_h)]).areas(area);
    let cols = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
        .spacing(2)
        .split(both);
    for (i, p) in couple.iter().enumerate() {
        f.render_widget(
            Paragraph::new(to_lines(readback::partner_lines(r, p, true)))
                .wrap(Wrap { trim: false }),
            cols[i],
        );
    }
    f.render_widget(Paragraph::new(shared).wrap(Wrap { trim: false }), rest);
}

/// Rows the evening's detail needs at `width`, borders included; wrapped lines are estimated,
/// with a row to spare.
fn detail_height(r: &EveningRecord, couple: &[Partner; 2], width: u16) -> u16 {
    let rows = |lines: Vec<String>, w: u16| -> usize {
        let w = usize::from(w.max(1));
        lines
            .iter()
            .flat_map(|l| l.lines().map(str::to_string).collect::<Vec<_>>())
            .map(|l| {
                unicode_width::UnicodeWidthStr::width(l.as_str())
                    .div_ceil(w)
                    .max(1)
            })
            .sum()
    };
    let inner = width.saturating_sub(2);
    let column = inner.saturating_sub(2) / 2;
    let partners = couple
        .iter()
        .map(|p| rows(readback::partner_lines(r, p, true), column))
        .max()
        .unwrap_or(0);
    let shared = rows(readback::shared_lines(r, couple), inner);
    u16::try_from(partners + shared + 3).unwrap_or(u16::MAX)
}

/// One evening in a line: the date, each partner's figures (when shown), and what else it holds.
fn row(r: &EveningRecord, couple: &[Partner; 2], theme: Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(format!(
        " {:<16}",
        r.evening.format("%a %-d %b %Y")
    ))];
    for p in couple {
        let figures = match r.checkins.iter().find(|c| c.partner_id == p.id) {
            None => "—".to_string(),
            Some(c) if c.mood == 0 => "✓".to_string(),
            Some(c) => format!("{}·{}", c.mood, c.closeness),
        };
        spans.push(Span::styled(
            format!("{} ", p.name),
            theme.partner(&p.color),
        ));
        spans.push(Span::raw(format!("{figures:<5}")));
    }
    let mut marks = Vec::new();
    if !r.wins.is_empty() {
        marks.push(format!(
            "{} win{}",
            r.wins.len(),
            if r.wins.len() == 1 { "" } else { "s" }
        ));
    }
    if !r.reviews.is_empty() {
        marks.push("review".to_string());
    }
    if !r.repairs.is_empty() || !r.repair_answers.is_empty() {
        marks.push("repair".to_string());
    }
    if let Some(m) = &r.meeting {
        marks.push(if m.skipped_at.is_some() {
            "weekly (skipped)".to_string()
        } else {
            "weekly check-in".to_string()
        });
    }
    spans.push(Span::styled(marks.join(" · "), theme.dim()));
    Line::from(spans)
}

/// A line with every word searched for shown reversed (so it shows without colour too).
fn marked(line: &str, words: &[String], theme: Theme) -> Line<'static> {
    // Folded like the search folds, but untrimmed: indented lines keep their offsets.
    let folded = {
        use unicode_normalization::UnicodeNormalization;
        line.nfc().collect::<String>().to_lowercase()
    };
    // Folding can change lengths; mark only where it didn't, and show the line plain otherwise.
    if words.is_empty() || folded.len() != line.len() {
        return Line::from(line.to_string());
    }
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for w in words
        .iter()
        .map(|w| domain::fold(w))
        .filter(|w| !w.is_empty())
    {
        let mut from = 0;
        while let Some(i) = folded[from..].find(&w) {
            hits.push((from + i, from + i + w.len()));
            from += i + w.len();
        }
    }
    hits.sort();
    let mut spans = Vec::new();
    let mut at = 0;
    for (a, b) in hits {
        if a < at || !line.is_char_boundary(a) || !line.is_char_boundary(b) {
            continue;
        }
        spans.push(Span::raw(line[at..a].to_string()));
        spans.push(Span::styled(line[a..b].to_string(), theme.selected()));
        at = b;
    }
    spans.push(Span::styled(line[at..].to_string(), Style::default()));
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked_parts(line: &str, word: &str) -> Vec<String> {
        marked(
            line,
            &[word.to_string()],
            Theme::new(true, Default::default()),
        )
        .spans
        .iter()
        .filter(|s| {
            s.style
                .add_modifier
                .contains(ratatui::style::Modifier::REVERSED)
        })
        .map(|s| s.content.to_string())
        .collect()
    }

    #[test]
    fn search_words_are_marked_on_indented_lines_and_in_any_case() {
        assert_eq!(marked_parts("  We felt Close again", "close"), ["Close"]);
        assert_eq!(
            marked_parts("close, closer, closest", "CLOSE"),
            ["close", "close", "close"]
        );
        assert!(marked_parts("  nothing here", "close").is_empty());
    }
}
