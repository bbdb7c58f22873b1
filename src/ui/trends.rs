//! The Trends pane: how the evenings went, in the partners' colours, and in plain words.

use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, BorderType, Chart, Dataset, GraphType, Padding,
    Paragraph, Wrap,
};
use ratatui::Frame;

use super::theme::Theme;
use crate::app::App;
use crate::trends::{Metric, Trends};

use super::section;

use crate::trends::COUNSELLOR_NOTE;

pub fn render<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let Some(t) = &app.trends().data else { return };
    let metric = match app.trends().metric {
        Metric::Mood => "mood",
        Metric::Closeness => "closeness",
    };
    let mut notes: Vec<Line> = Vec::new();
    if t.counsellor {
        let first = COUNSELLOR_NOTE
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        notes.push(Line::styled(format!(" ♡ {first}"), theme.warn()));
        notes.push(Line::styled(
            "   Enter: why we suggest it · d: set this note aside",
            theme.dim(),
        ));
    }
    if t.diverging {
        notes.push(Line::styled(
            " ◇ This week your closeness differed by 2 or more on most evenings: you may be seeing it differently. Worth talking about.",
            theme.accent(),
        ));
    }
    let notes_height: u16 = notes
        .iter()
        .map(|l| (l.width().max(1) as u16).div_ceil(area.width.max(1)))
        .sum();
    let [top, notes_area, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(notes_height),
        Constraint::Fill(1),
    ])
    .areas(area);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(format!(" Last {} evenings", t.span.days())),
            Span::styled(" (←/→)", theme.dim()),
            Span::raw(format!(" · showing {metric}")),
            Span::styled(" (m)", theme.dim()),
        ])),
        top,
    );
    f.render_widget(Paragraph::new(notes).wrap(Wrap { trim: false }), notes_area);

    let [left, right] =
        // 39: the calendar's month name, a space and 31 evenings, inside the box's borders.
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(39)]).areas(rest);
    let [chart_area, bars_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(7)]).areas(left);
    render_chart(f, chart_area, app, t, theme);
    render_wins(f, bars_area, t, theme);
    let mut signs = t.sign_lines();
    // On a short screen the weekly trust bars give way to the calendar; the word stays.
    if right.height < 26 {
        signs.retain(|l| !l.starts_with("  "));
    }
    let [signs_area, calendar_area, kept_area] = Layout::vertical([
        Constraint::Length(signs.len() as u16 + 2),
        Constraint::Max(14),
        Constraint::Length(3),
    ])
    .areas(right);
    let lines: Vec<Line> = signs.into_iter().map(Line::from).collect();
    f.render_widget(
        Paragraph::new(lines).block(section("Last 4 weeks", theme)),
        signs_area,
    );
    render_calendar(f, calendar_area, t, theme);
    render_kept(f, kept_area, t, theme);
}

fn render_chart<Tz: TimeZone>(f: &mut Frame, area: Rect, app: &App<Tz>, t: &Trends, theme: Theme)
where
    Tz::Offset: std::fmt::Display,
{
    let days = t.span.days();
    let start = t.today - Duration::days(days - 1);
    // Beyond a quarter, evenings are averaged by week: 365 dots would only be noise.
    let bucket = if days > 90 { 7 } else { 1 };
    let points: Vec<Vec<(f64, f64)>> = crate::domain::Seat::ALL
        .iter()
        .map(|seat| {
            let mut sums: std::collections::BTreeMap<i64, (u32, u32)> = Default::default();
            for r in t.ratings.iter().filter(|r| r.seat == *seat) {
                let v = match app.trends().metric {
                    Metric::Mood => r.mood,
                    Metric::Closeness => r.closeness,
                } as u32;
                let e = sums
                    .entry((r.evening - start).num_days() / bucket)
                    .or_default();
                *e = (e.0 + v, e.1 + 1);
            }
            sums.into_iter()
                .map(|(b, (sum, n))| ((b * bucket + bucket / 2) as f64, sum as f64 / n as f64))
                .collect()
        })
        .collect();
    let datasets: Vec<Dataset> = app
        .couple()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| {
            Dataset::default()
                .name(p.name.clone())
                // Different markers keep the two lines apart without colour too.
                .marker(if i == 0 { Marker::Braille } else { Marker::Dot })
                .graph_type(GraphType::Line)
                .style(theme.partner(&p.color))
                .data(&points[i])
        })
        .collect();
    let title = match (app.trends().metric, days > 90) {
        (Metric::Mood, false) => "Mood",
        (Metric::Closeness, false) => "Closeness",
        (Metric::Mood, true) => "Mood, weekly",
        (Metric::Closeness, true) => "Closeness, weekly",
    };
    // The names in the title, with the mark each line is drawn in, stand in for a legend.
    let mut title_spans = vec![Span::styled(format!(" {title}: "), theme.title())];
    for (i, p) in app.couple().into_iter().flatten().enumerate() {
        let mark = if i == 0 { "⣿" } else { "•" };
        title_spans.push(Span::styled(
            format!("{} {mark} ", p.name),
            theme.partner(&p.color),
        ));
    }
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(false))
        .title(Line::from(title_spans))
        .padding(Padding::horizontal(1));
    if points.iter().all(Vec::is_empty) {
        f.render_widget(
                        Paragraph::new(vec![
                Line::from(""),
                Line::styled("No check-ins in this stretch yet. Each evening you check in adds a point here.", theme.dim()),
            ])
            .wrap(Wrap { trim: true })
            .block(block),
            area,
        );
        return;
    }
    let chart = Chart::new(datasets)
        .block(block)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .bounds([0.0, (days - 1) as f64])
                .labels([
                    start.format("%-d %b %Y").to_string(),
                    t.today.format("%-d %b %Y").to_string(),
                ])
                .style(theme.dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([1.0, 5.0])
                .labels(y_labels(area.height))
                .style(theme.dim()),
        );
    f.render_widget(chart, area);
}

/// The 1–5 scale's labels, evenly spaced on the rows the graph gets (the box less its borders
/// and the dates below): the middle one only where it falls on the middle row.
fn y_labels(height: u16) -> Vec<&'static str> {
    let rows = height.saturating_sub(4);
    if rows >= 3 && rows % 2 == 1 {
        vec!["1", "3", "5"]
    } else {
        vec!["1", "5"]
    }
}

fn render_wins(f: &mut Frame, area: Rect, t: &Trends, theme: Theme) {
    let monday = crate::domain::week_start(t.today);
    let weeks = ((area.width.saturating_sub(4)) / 3).clamp(4, 52) as i64;
    let bars: Vec<Bar> = (0..weeks)
        .rev()
        .map(|w| {
            let week = monday - Duration::weeks(w);
            let n = t
                .wins_per_week
                .iter()
                .find(|(d, _)| *d == week)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            Bar::default()
                .value(n.max(0) as u64)
                .text_value(n.to_string())
        })
        .collect();
    let chart = BarChart::default()
        .block(section(
            &format!(
                "Wins per week since {}",
                (monday - Duration::weeks(weeks - 1)).format("%-d %b")
            ),
            theme,
        ))
        .data(BarGroup::default().bars(&bars))
        .bar_width(2)
        .bar_gap(1)
        .bar_style(theme.good());
    f.render_widget(chart, area);
}

fn render_calendar(f: &mut Frame, area: Rect, t: &Trends, theme: Theme) {
    let block = section("Evenings: ● both ◐ one · none", theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let months = (inner.height as i32).min(12);
    let mut lines = Vec::new();
    for back in (0..months).rev() {
        let (mut y, mut m) = (t.today.year(), t.today.month() as i32 - back);
        while m < 1 {
            m += 12;
            y -= 1;
        }
        let Some(first) = NaiveDate::from_ymd_opt(y, m as u32, 1) else {
            continue;
        };
        let mut spans = vec![Span::styled(first.format("%b ").to_string(), theme.dim())];
        for d in 0..31 {
            let day = first + Duration::days(d);
            if day.month() != first.month() || day > t.today {
                break;
            }
            let n = t
                .per_evening
                .iter()
                .find(|(e, _)| *e == day)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            spans.push(match n {
                0 => Span::styled("·", theme.dim()),
                1 => Span::styled("◐", theme.warn()),
                _ => Span::styled("●", theme.good()),
            });
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn render_kept(f: &mut Frame, area: Rect, t: &Trends, theme: Theme) {
    let months: Vec<String> = t
        .reviews_by_month
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|(m, h, all)| {
            let name = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
                .map(|d| d.format("%b").to_string())
                .unwrap_or_else(|_| m.clone());
            format!(
                "{name} {}%",
                if *all > 0 {
                    (h * 100 + all / 2) / all
                } else {
                    0
                }
            )
        })
        .collect();
    let text = if months.is_empty() {
        "No reviews yet".to_string()
    } else {
        months.join(" · ")
    };
    f.render_widget(
        Paragraph::new(text).block(section("Reviews honored", theme)),
        area,
    );
}
