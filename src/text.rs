//! Small text helpers shared by the app, the drawing, the commands and the summary: fitting
//! text to a width, showing someone's input safely, and escaping it for Markdown.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Shortens text to `width` columns with an ellipsis.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Someone's input, safe to echo in a one-line message: control characters (newlines, escape
/// sequences) are shown as escapes instead of acting on the terminal.
pub fn shown(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A message as a sentence on its own: errors are worded to follow "duet: ", so on a screen
/// line they start with a capital.
pub fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Text for the terminal, broken between words to fit 80 columns.
pub fn wrapped(text: &str) -> String {
    hanging("", text, 78).join("\n")
}

/// `text` after `mark`, broken between words into lines of at most `width` columns (a word
/// longer than that stands alone on its line); the lines after the first are indented as far
/// as the mark, so it stands alone at the left.
pub fn hanging(mark: &str, text: &str, width: usize) -> Vec<String> {
    let indent = unicode_width::UnicodeWidthStr::width(mark);
    let mut lines = vec![mark.to_string()];
    let mut used = indent;
    for word in text.split_whitespace() {
        let w = unicode_width::UnicodeWidthStr::width(word);
        if used > indent && used + 1 + w > width {
            lines.push(" ".repeat(indent));
            used = indent;
        } else if used > indent {
            lines.last_mut().unwrap().push(' ');
            used += 1;
        }
        lines.last_mut().unwrap().push_str(word);
        used += w;
    }
    lines
}

/// Escapes what Markdown would read as formatting, and keeps user text on one line. A control
/// character is written as an escape, so a summary printed on a terminal can't act on it.
pub fn markdown(text: &str) -> String {
    let one = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(one.len() + 8);
    // Digits then "." or ")" at the start would make an ordered list ("1986. A good year").
    let digits = one.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in one.chars().enumerate() {
        if c.is_control() {
            out.push_str(&c.escape_debug().to_string());
            continue;
        }
        let inline = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '$'
        );
        // At the start of a line: a list, a rule or a heading's underline.
        let leading = i == 0 && matches!(c, '+' | '-' | '=');
        let ordered = digits > 0 && i == digits && matches!(c, '.' | ')');
        if inline || leading || ordered {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// "1 week", "2 weeks": a count and its noun, singular when it is one.
pub fn count(n: impl Into<i64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hanging_lines_indent_under_the_first_word() {
        let lines = hanging(" ◇ ", "one two three four five six", 14);
        assert_eq!(lines, [" ◇ one two", "   three four", "   five six"]);
        assert!(lines
            .iter()
            .all(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) <= 14));
        assert_eq!(hanging(" ♡ ", "short", 80), [" ♡ short"]);
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "week"), "1 week");
        assert_eq!(count(0, "agreement"), "0 agreements");
        assert_eq!(count(4u8, "week"), "4 weeks");
    }

    #[test]
    fn fit_counts_columns_not_characters() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a longer line", 6), "a lon…");
        assert_eq!(fit("日本語のテキスト", 7), "日本語…");
    }

    #[test]
    fn shown_turns_control_characters_into_escapes() {
        assert_eq!(shown("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\\n");
    }

    #[test]
    fn capitalized_changes_only_the_first_letter() {
        assert_eq!(capitalized("the journal is busy"), "The journal is busy");
        assert_eq!(capitalized("éclair"), "Éclair");
        assert_eq!(capitalized(""), "");
    }

    #[test]
    fn wrapped_breaks_between_words_before_80_columns() {
        let text = "word ".repeat(40);
        let out = wrapped(&text);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.len() <= 78), "{lines:?}");
        assert_eq!(wrapped("  a   b "), "a b");
    }

    #[test]
    fn markdown_escapes_formatting_and_folds_lines() {
        assert_eq!(markdown("*bold*\n# head"), "\\*bold\\* \\# head");
        assert_eq!(markdown("a\u{1b}cb"), "a\\u{1b}cb");
    }
}
