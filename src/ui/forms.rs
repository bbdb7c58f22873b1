//! Forms: setup, check-in, agreement, win, search, settings and each weekly step.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Padding, Paragraph, Wrap};
use ratatui::Frame;

use super::theme::Theme;
use crate::app::form::{Form, Input};

fn wrapped_height(lines: &[String], width: u16) -> u16 {
    let w = width.max(1) as usize;
    lines
        .iter()
        .map(|l| (unicode_width::UnicodeWidthStr::width(l.as_str()).max(1)).div_ceil(w) as u16)
        .sum()
}

/// One option of a choice: the chosen one is bracketed, so it shows without colour too.
pub(super) fn option(text: &str, chosen: bool, focused: bool, theme: Theme) -> Span<'static> {
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

    let plan = plan_form(form, inner.height, wrapped_height(&form.intro, inner.width));
    let mut y = inner.y;
    let row = |y: u16, h: u16| Rect {
        x: inner.x,
        y,
        width: inner.width,
        height: h,
    };
    if plan.intro > 0 {
        let intro: Vec<Line> = form
            .intro
            .iter()
            .map(|l| Line::styled(l.clone(), theme.dim()))
            .collect();
        f.render_widget(
            Paragraph::new(intro).wrap(Wrap { trim: false }),
            row(y, plan.intro),
        );
        y += plan.intro + plan.intro_gap;
    }
    if plan.first > 0 {
        f.render_widget(
            Paragraph::new(Line::styled(
                format!("  ↑ {} more above", plan.first),
                theme.dim(),
            )),
            row(y, 1),
        );
        y += 1;
    }
    let bonus_at = gets_spare_rows(form);
    for (i, fl) in form
        .fields
        .iter()
        .enumerate()
        .skip(plan.first)
        .take(plan.shown)
    {
        let focused = i == form.focus;
        let h = plan.input_h(&fl.input)
            + if i == bonus_at {
                plan.focus_bonus(&fl.input)
            } else {
                0
            };
        let marker = if focused { "› " } else { "  " };
        let label_style = if focused {
            theme.accent()
        } else {
            theme.title()
        };
        f.render_widget(
            Paragraph::new(Line::styled(format!("{marker}{}", fl.label), label_style)),
            row(y, 1),
        );
        let [_, input_area] =
            Layout::horizontal([Constraint::Length(2), Constraint::Fill(1)]).areas(row(y + 1, h));
        render_input(f, input_area, &fl.input, focused, theme);
        y += 1 + h + plan.gap;
    }
    let hidden_below = form.fields.len() - plan.first - plan.shown;
    let bottom = inner.y + inner.height;
    if hidden_below > 0 && y < bottom {
        f.render_widget(
            Paragraph::new(Line::styled(
                format!("  ↓ {hidden_below} more below (Tab)"),
                theme.dim(),
            )),
            row(y, 1),
        );
        y += 1;
    }
    if let Some(e) = &form.error {
        let y = y.min(bottom.saturating_sub(1));
        f.render_widget(
            Paragraph::new(Line::styled(e.clone(), theme.error())).wrap(Wrap { trim: true }),
            row(y, bottom - y),
        );
    }
}

/// Which text box gets the rows that don't divide evenly: the focused one, or else the first.
fn gets_spare_rows(form: &Form) -> usize {
    let is_block = |i: usize| {
        matches!(
            form.fields[i].input,
            Input::Text {
                multiline: true,
                ..
            }
        )
    };
    if is_block(form.focus) {
        form.focus
    } else {
        (0..form.fields.len())
            .find(|i| is_block(*i))
            .unwrap_or(usize::MAX)
    }
}

/// A field's input: a text box, a row of options, or a 1–5 rating.
fn render_input(f: &mut Frame, area: Rect, input: &Input, focused: bool, theme: Theme) {
    match input {
        Input::Text { area: text, .. } => {
            let mut t = (**text).clone();
            t.set_placeholder_style(theme.dim());
            t.set_block(
                Block::default()
                    .borders(Borders::LEFT)
                    .border_style(theme.border(focused))
                    .padding(Padding::left(1)),
            );
            if !focused {
                // An unfocused box shows where its text starts, not where it was left.
                t.set_cursor_style(Style::default());
                t.move_cursor(ratatui_textarea::CursorMove::Top);
                t.move_cursor(ratatui_textarea::CursorMove::Head);
            }
            f.render_widget(&t, area);
        }
        Input::Choice { options, selected } => {
            let spans: Vec<Span> = options
                .iter()
                .enumerate()
                .map(|(j, o)| option(o, j == *selected, focused, theme))
                .collect();
            f.render_widget(
                Paragraph::new(Line::from(spans)).wrap(Wrap { trim: false }),
                area,
            );
        }
        Input::Rating { value, words } => {
            let spans: Vec<Span> = words
                .iter()
                .enumerate()
                .map(|(j, w)| {
                    let n = j as u8 + 1;
                    option(&format!("{n} {w}"), Some(n) == *value, focused, theme)
                })
                .collect();
            f.render_widget(
                Paragraph::new(Line::from(spans)).wrap(Wrap { trim: false }),
                area,
            );
        }
    }
}

/// How a form fits its space: the intro shrinks first, then multi-line boxes, and then only
/// a window of fields around the focused one is shown, so no field is ever half-drawn.
struct FormPlan {
    intro: u16,
    intro_gap: u16,
    gap: u16,
    text_rows: u16,
    /// Rows that didn't divide evenly among the text boxes: the focused one (or else the first)
    /// gets them.
    remainder: u16,
    first: usize,
    shown: usize,
}

impl FormPlan {
    fn focus_bonus(&self, input: &Input) -> u16 {
        match input {
            Input::Text {
                multiline: true, ..
            } => self.remainder,
            _ => 0,
        }
    }

    fn input_h(&self, input: &Input) -> u16 {
        match input {
            Input::Text {
                multiline: true, ..
            } => self.text_rows,
            Input::Choice { options, .. } => {
                // Long option lists wrap onto a second row only when space allows.
                let width: usize = options.iter().map(|o| o.chars().count() + 2).sum();
                if width > 70 && self.gap > 0 {
                    2
                } else {
                    1
                }
            }
            _ => 1,
        }
    }
}

fn plan_form(form: &Form, height: u16, intro_wanted: u16) -> FormPlan {
    let n = form.fields.len() as u16;
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
    // Every field needs its label and one row; one more row for an error.
    let base = n * 2 + 1;
    if base <= height {
        let intro = intro_wanted.min(height - base);
        let mut spare = height - base - intro;
        let intro_gap = u16::from(intro > 0 && spare > 0);
        spare -= intro_gap;
        // Spare rows go to the text boxes first (up to 6 rows each), then a gap between fields.
        let extra = spare.checked_div(blocks).unwrap_or(0).min(5);
        spare -= extra * blocks;
        let gap = u16::from(spare >= n);
        spare -= gap * n;
        let remainder = if blocks > 0 && extra < 5 {
            spare.min(5 - extra)
        } else {
            0
        };
        return FormPlan {
            intro,
            intro_gap,
            gap,
            text_rows: 1 + extra,
            remainder,
            first: 0,
            shown: form.fields.len(),
        };
    }
    // Very tight: a window of fields that keeps the focused one on screen, with a line each for
    // "more above" and "more below".
    let fits = (height.saturating_sub(3) / 2).max(1) as usize;
    let first = form.focus.saturating_sub(fits - 1);
    FormPlan {
        intro: 0,
        intro_gap: 0,
        gap: 0,
        text_rows: 1,
        remainder: 0,
        first,
        shown: fits.min(form.fields.len() - first),
    }
}
