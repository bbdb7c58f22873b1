//! A small form: a column of fields, one focused. Text goes through ratatui-textarea, so
//! paste, Unicode widths, undo and cursor movement come for free.

use ratatui::style::Style;
use ratatui_textarea::{TextArea, WrapMode};

use crate::keymap::Context;

#[derive(Debug, Clone)]
pub enum Input {
    Text {
        area: Box<TextArea<'static>>,
        multiline: bool,
    },
    Choice {
        options: Vec<String>,
        selected: usize,
    },
    Rating {
        value: Option<u8>,
        words: &'static [&'static str; 5],
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    /// What the form's owner reads it by: `form.text("tags")`.
    pub key: String,
    pub label: String,
    pub input: Input,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    /// A line of context shown above the fields (tonight's prompt, whose turn it is).
    pub intro: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    pub dirty: bool,
}

/// What a form says when it comes back holding both versions of words saved meanwhile; one
/// line at 80 columns.
pub const BOTH_VERSIONS: &str =
    "Another window saved this too; both versions are here. Keep what you want.";

pub fn text_area(value: &str, placeholder: &str, multiline: bool) -> TextArea<'static> {
    let lines = if value.is_empty() {
        vec![String::new()]
    } else {
        value.lines().map(String::from).collect()
    };
    let mut area = TextArea::new(lines);
    area.set_placeholder_text(placeholder.to_string());
    area.set_cursor_line_style(Style::default());
    if multiline {
        area.set_wrap_mode(WrapMode::WordOrGlyph);
    }
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

impl Field {
    pub fn line(key: &str, label: &str, value: &str, placeholder: &str) -> Field {
        Field {
            key: key.into(),
            label: label.into(),
            input: Input::Text {
                area: Box::new(text_area(value, placeholder, false)),
                multiline: false,
            },
        }
    }

    pub fn block(key: &str, label: &str, value: &str, placeholder: &str) -> Field {
        Field {
            key: key.into(),
            label: label.into(),
            input: Input::Text {
                area: Box::new(text_area(value, placeholder, true)),
                multiline: true,
            },
        }
    }

    /// A passphrase: one line, shown as dots.
    pub fn secret(key: &str, label: &str, placeholder: &str) -> Field {
        let mut area = text_area("", placeholder, false);
        area.set_mask_char('•');
        Field {
            key: key.into(),
            label: label.into(),
            input: Input::Text {
                area: Box::new(area),
                multiline: false,
            },
        }
    }

    pub fn choice(key: &str, label: &str, options: Vec<String>, selected: usize) -> Field {
        Field {
            key: key.into(),
            label: label.into(),
            input: Input::Choice {
                selected: selected.min(options.len().saturating_sub(1)),
                options,
            },
        }
    }

    pub fn rating(
        key: &str,
        label: &str,
        value: Option<u8>,
        words: &'static [&'static str; 5],
    ) -> Field {
        Field {
            key: key.into(),
            label: label.into(),
            input: Input::Rating { value, words },
        }
    }
}

impl Form {
    pub fn new(title: &str, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            intro: Vec::new(),
            fields,
            focus: 0,
            error: None,
            dirty: false,
        }
    }

    pub fn with_intro(mut self, lines: Vec<String>) -> Form {
        self.intro = lines;
        self
    }

    pub fn context(&self) -> Context {
        match self.fields.get(self.focus).map(|f| &f.input) {
            Some(Input::Text {
                multiline: true, ..
            }) => Context::TextBlock,
            Some(Input::Text { area, .. }) if area.mask_char().is_some() => Context::Secret,
            Some(Input::Text { .. }) => Context::TextLine,
            Some(Input::Choice { .. }) => Context::Choice,
            Some(Input::Rating { .. }) => Context::Rating,
            None => Context::Choice,
        }
    }

    fn input(&self, key: &str) -> Option<&Input> {
        self.fields.iter().find(|f| f.key == key).map(|f| &f.input)
    }

    /// Whether the form asks this (a check-in asks tonight's prompt only when there is one).
    pub fn has(&self, key: &str) -> bool {
        self.input(key).is_some()
    }

    /// The text typed into a field; empty when the form has no such text field.
    pub fn text(&self, key: &str) -> String {
        match self.input(key) {
            Some(Input::Text { area, .. }) => area.lines().join("\n"),
            _ => String::new(),
        }
    }

    /// The option chosen in a field, by position.
    pub fn choice(&self, key: &str) -> usize {
        match self.input(key) {
            Some(Input::Choice { selected, .. }) => *selected,
            _ => 0,
        }
    }

    pub fn rating(&self, key: &str) -> Option<u8> {
        match self.input(key) {
            Some(Input::Rating { value, .. }) => *value,
            _ => None,
        }
    }

    /// The focused field's rating, while it hasn't been chosen yet.
    pub fn focused_rating_missing(&self) -> bool {
        matches!(
            self.fields.get(self.focus).map(|f| &f.input),
            Some(Input::Rating { value: None, .. })
        )
    }

    pub fn is_last(&self) -> bool {
        self.focus + 1 >= self.fields.len()
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    /// ← / → on a choice or rating.
    pub fn step(&mut self, forward: bool) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut f.input {
            Input::Choice { options, selected } => {
                let n = options.len().max(1);
                *selected = if forward {
                    (*selected + 1) % n
                } else {
                    (*selected + n - 1) % n
                };
                self.dirty = true;
            }
            Input::Rating { value, .. } => {
                let v = value.unwrap_or(3) as i32 + if forward { 1 } else { -1 };
                *value = Some(v.clamp(1, 5) as u8);
                self.dirty = true;
            }
            Input::Text { .. } => {}
        }
    }

    pub fn set_rating(&mut self, n: u8) {
        if let Some(Field {
            input: Input::Rating { value, .. },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            *value = Some(n);
            self.dirty = true;
        }
    }

    /// A key typed into the focused text field.
    pub fn type_key(&mut self, key: ratatui::crossterm::event::KeyEvent) {
        if let Some(Field {
            input: Input::Text { area, multiline },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            use ratatui::crossterm::event::KeyCode;
            // A one-line field never takes a newline (Enter is bound to Submit there, but
            // Ctrl-M/Ctrl-J reach here).
            if !*multiline
                && matches!(key.code, KeyCode::Enter | KeyCode::Char('m' | 'j'))
                && (key.code == KeyCode::Enter
                    || key
                        .modifiers
                        .contains(ratatui::crossterm::event::KeyModifiers::CONTROL))
            {
                return;
            }
            if area.input(key) {
                self.dirty = true;
            }
        }
    }

    /// Empties the focused text field (Ctrl-U in a passphrase field).
    pub fn clear_focused(&mut self) {
        if let Some(Field {
            input: Input::Text { area, .. },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            area.select_all();
            area.cut();
        }
    }

    /// Alt-Enter in a multi-line field.
    pub fn new_line(&mut self) {
        if let Some(Field {
            input:
                Input::Text {
                    area,
                    multiline: true,
                },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            area.insert_newline();
            self.dirty = true;
        }
    }

    /// Pasted text: one-line fields get it folded to one line.
    pub fn paste(&mut self, text: &str) {
        if let Some(Field {
            input: Input::Text { area, multiline },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            let text = if *multiline {
                text
            } else if area.mask_char().is_some() {
                // A passphrase pasted from a manager: exactly its first line, spaces and all.
                text.lines().next().unwrap_or("").to_string()
            } else {
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            if area.insert_str(text) {
                self.dirty = true;
            }
        }
    }

    /// Replaces the focused text field's content (after $EDITOR).
    pub fn set_text(&mut self, value: &str) {
        if let Some(Field {
            input: Input::Text { area, multiline },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            let placeholder = area.placeholder_text().to_string();
            let value = if *multiline {
                value.trim_end().to_string()
            } else {
                value.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            **area = text_area(&value, &placeholder, *multiline);
            self.dirty = true;
        }
    }

    /// Replaces a text field's content, wherever the focus is, and shows it from its first
    /// line: the field holds two versions, and the writer's own comes first.
    pub fn set_field_text(&mut self, key: &str, value: &str) {
        let focus = self.focus;
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            self.focus = i;
            self.set_text(value);
            if let Some(Field {
                input: Input::Text { area, .. },
                ..
            }) = self.fields.get_mut(i)
            {
                area.move_cursor(ratatui_textarea::CursorMove::Top);
                area.move_cursor(ratatui_textarea::CursorMove::Head);
            }
            self.focus = focus;
        }
    }

    /// The focused text, for $EDITOR; never a passphrase, which must not reach a file.
    pub fn focused_text(&self) -> Option<String> {
        match self.fields.get(self.focus).map(|f| &f.input) {
            Some(Input::Text { area, .. }) if area.mask_char().is_none() => {
                Some(area.lines().join("\n"))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_by_their_keys_wherever_they_stand() {
        let mut form = Form::new(
            "A small win",
            vec![
                Field::line("text", "What went well?", "a walk", ""),
                Field::choice("about", "About", vec!["Alex".into(), "us".into()], 1),
                Field::rating("mood", "Mood", Some(4), &crate::domain::MOOD_WORDS),
            ],
        );
        assert_eq!(form.text("text"), "a walk");
        assert_eq!(form.choice("about"), 1);
        assert_eq!(form.rating("mood"), Some(4));
        assert!(form.has("about") && !form.has("tags"));
        assert_eq!(
            form.text("tags"),
            "",
            "a field the form doesn't have reads as empty"
        );
        form.fields.swap(0, 2);
        assert_eq!(form.text("text"), "a walk");
    }
}
