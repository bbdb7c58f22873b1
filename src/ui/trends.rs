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
    // A note that wraps goes on under its first word, leaving its mark alone at the left.
    let width = area.width as usize;
    let mut notes: Vec<Line> = Vec::new();
    let mut note = |mark: &str, text: &str, style| {
        for line in crate::text::hanging(mark, text, width) {
            notes.push(Line::styled(line, style));
        }
    };
    if t.counsellor {
        let first = COUNSELLOR_NOTE.lines().next().unwrap_or_default();
        note(" ♡ ", first, theme.warn());
        note(
            "   ",
            "Enter: why we suggest it · d: set this note aside",
            theme.dim(),
        );
    }
    if t.diverging {
        note(
            " ◇ ",
            "This week your closeness differed by 2 or more on most evenings: you may be seeing it differently. Worth talking about.",
            theme.accent(),
        );
    }
    let notes_height = notes.len() as u16;
    let [top, notes_area, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(notes_height),
        Constraint::Fill(1),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(notes), notes_area);

    let [left, right] =
        // 39: the calendar's month name, a space and 31 evenings, inside the box's borders.
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(39)]).areas(rest);
    let [chart_area, bars_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(7)]).areas(left);
    let names = name_columns(app);
    let bucket = evenings_per_point(t.span.days(), graph_columns(chart_area, names));
    render_top_line(f, top, t, metric, bucket, theme);
    render_chart(f, chart_area, app, t, (names, bucket), theme);
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

/// The stretch shown, its dates, what the charts show and how much each point averages; what
/// doesn't fit the width is left off from the end.
fn render_top_line(f: &mut Frame, area: Rect, t: &Trends, metric: &str, bucket: i64, theme: Theme) {
    let days = t.span.days();
    let start = t.today - Duration::days(days - 1);
    let dates = if start.year() == t.today.year() {
        format!("{} – {}", start.format("%-d %b"), t.today.format("%-d %b"))
    } else {
        format!("{} – {}", start.format("%b %Y"), t.today.format("%b %Y"))
    };
    let mut spans = vec![
        Span::raw(format!(" Last {days} evenings")),
        Span::styled(" (←/→)", theme.dim()),
        Span::raw(format!(" · {metric}")),
        Span::styled(" (m)", theme.dim()),
        Span::raw(format!(" · {dates}")),
    ];
    if bucket > 1 {
        spans.push(Span::raw(format!(" · a point is {bucket} evenings")));
    }
    while spans.len() > 4 && Line::from(spans.clone()).width() > area.width as usize {
        spans.pop();
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// How many evenings each point of the charts averages: one point per column the graph gets,
/// so a line never turns back on itself in a cell and reads as one line.
fn evenings_per_point(days: i64, columns: u16) -> i64 {
    (days + i64::from(columns.max(1)) - 1) / i64::from(columns.max(1))
}

/// The columns a chart's graph gets inside the box: less the names, the y labels and their
/// axis line.
fn graph_columns(chart_box: Rect, names: u16) -> u16 {
    chart_box.width.saturating_sub(2 + 2 + names + 2)
}

/// The columns the partners' names take left of their charts: the longer name and a space, at
/// most 8 (a longer name ends in "…").
fn name_columns<Tz: TimeZone>(app: &App<Tz>) -> u16
where
    Tz::Offset: std::fmt::Display,
{
    let longest = app
        .couple()
        .into_iter()
        .flatten()
        .map(|p| unicode_width::UnicodeWidthStr::width(p.name.as_str()))
        .max()
        .unwrap_or(0);
    (longest as u16 + 1).min(8)
}

/// One chart a partner, one above the other: a single line each, averaged to the width, so two
/// lines never tangle into dots, and whose line it is never rests on colour. Points are
/// counted back from tonight, so the newest holds `bucket` evenings and only the oldest may
/// hold fewer.
fn render_chart<Tz: TimeZone>(
    f: &mut Frame,
    area: Rect,
    app: &App<Tz>,
    t: &Trends,
    (names, bucket): (u16, i64),
    theme: Theme,
) where
    Tz::Offset: std::fmt::Display,
{
    let days = t.span.days();
    let last_point = (days - 1) / bucket;
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
                    .entry(last_point - (t.today - r.evening).num_days() / bucket)
                    .or_default();
                *e = (e.0 + v, e.1 + 1);
            }
            sums.into_iter()
                .map(|(b, (sum, n))| (b as f64, sum as f64 / n as f64))
                .collect()
        })
        .collect();
    let title = match app.trends().metric {
        Metric::Mood => "Mood",
        Metric::Closeness => "Closeness",
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(false))
        .title(Line::styled(format!(" {title} "), theme.title()))
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if points.iter().all(Vec::is_empty) {
        f.render_widget(
            Paragraph::new(vec![
                Line::from(""),
                Line::styled(
                    "No check-ins in this stretch yet. Each evening you check in adds a point here.",
                    theme.dim(),
                ),
            ])
            .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let last = last_point as f64;
    let rows = Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).split(inner);
    for (i, p) in app.couple().into_iter().flatten().enumerate() {
        let [name_area, graph_area] =
            Layout::horizontal([Constraint::Length(names), Constraint::Fill(1)]).areas(rows[i]);
        f.render_widget(
            Paragraph::new(Line::styled(
                crate::text::fit(&p.name, names as usize - 1),
                theme.partner(&p.color),
            )),
            name_area,
        );
        if points[i].is_empty() {
            f.render_widget(
                Paragraph::new(Line::styled("no check-ins in this stretch", theme.dim())),
                graph_area,
            );
            continue;
        }
        let dataset = Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.partner(&p.color))
            .data(&points[i]);
        let chart = Chart::new(vec![dataset])
            .legend_position(None)
            .x_axis(Axis::default().bounds([0.0, last.max(1.0)]))
            .y_axis(
                Axis::default()
                    .bounds([1.0, 5.0])
                    .labels(y_labels(graph_area.height))
                    .style(theme.dim()),
            );
        f.render_widget(chart, graph_area);
    }
}

/// The 1–5 scale's labels, evenly spaced on the rows the graph gets: the middle one only where
/// it falls on the middle row.
fn y_labels(rows: u16) -> Vec<&'static str> {
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
    // The date goes first when the box is too narrow for it, never half of it.
    let mut wins_title = format!(
        "Wins per week since {}",
        (monday - Duration::weeks(weeks - 1)).format("%-d %b")
    );
    if wins_title.chars().count() + 4 > area.width as usize {
        wins_title = "Wins per week".into();
    }
    let chart = BarChart::default()
        .block(section(&wins_title, theme))
        .data(BarGroup::default().bars(&bars))
        .bar_width(2)
        .bar_gap(1)
        .bar_style(theme.good())
        // The count drawn in the bar's colour, reversed, so the bar stays whole around it.
        .value_style(
            theme
                .good()
                .add_modifier(ratatui::style::Modifier::REVERSED),
        );
    f.render_widget(chart, area);
}

fn render_calendar(f: &mut Frame, area: Rect, t: &Trends, theme: Theme) {
    // Full, hollow and a dot: told apart by shape, not only by colour.
    let block = section("Evenings: ● both ○ one · none", theme);
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
                1 => Span::styled("○", theme.warn()),
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
