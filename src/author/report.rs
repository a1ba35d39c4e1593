//! Rendering diagnostics for people (rustc style, optionally coloured) and for programs (JSON).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Severity};

/// The source files diagnostics point into, each read and split into lines once however many
/// findings it has (20,000 broken links in one chapter are 20,000 snippets of one file).
#[derive(Default)]
pub struct SourceLines {
    files: HashMap<PathBuf, Option<(String, Vec<usize>)>>,
}

impl SourceLines {
    /// Line `number` (1-based) of `file`, without its line end; `None` when the file cannot
    /// be read or is shorter.
    fn line(&mut self, file: &std::path::Path, number: usize) -> Option<&str> {
        let entry = self.files.entry(file.to_path_buf()).or_insert_with(|| {
            let text = std::fs::read_to_string(file).ok()?;
            let starts = crate::diagnostic::line_starts(&text);
            Some((text, starts))
        });
        let (text, starts) = entry.as_ref()?;
        let start = *starts.get(number.checked_sub(1)?)?;
        let end = starts.get(number).map_or(text.len(), |&e| e - 1);
        if start >= text.len() {
            return None;
        }
        let line = &text[start..end.max(start)];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// Whether to colour what goes to a stream: only on a terminal, and never when `NO_COLOR` is
/// set to anything non-empty (<https://no-color.org>).
pub fn use_color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// [`use_color`] for standard error.
pub fn stderr_color() -> bool {
    use_color(std::io::stderr().is_terminal())
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// `word` in `code` when colouring, else as it is.
pub fn paint(word: &str, code: &str, color: bool) -> String {
    if color {
        format!("{code}{word}{RESET}")
    } else {
        word.to_string()
    }
}

/// `error` in red / `warning` in yellow (bold), when colouring.
pub fn label(severity: Severity, color: bool) -> String {
    match severity {
        Severity::Error => paint("error", RED, color),
        Severity::Warning => paint("warning", YELLOW, color),
    }
}

/// At most `SNIPPET_WIDTH` characters of a long source line around `column`, with `…` where
/// it was cut, and the column within what is shown.
fn snippet(line: &str, column: usize) -> (String, usize) {
    const SNIPPET_WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= SNIPPET_WIDTH {
        return (line.to_string(), column);
    }
    let start = column
        .saturating_sub(SNIPPET_WIDTH / 2)
        .min(chars.len() - SNIPPET_WIDTH);
    let end = start + SNIPPET_WIDTH;
    let mut shown = String::new();
    let mut column = column - start;
    if start > 0 {
        shown.push('…');
        column += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, column)
}

/// `text` safe to print on a terminal: each control character (an escape sequence's `ESC`,
/// `BEL`) shown as its Unicode control picture (`␛`), one character for one, so that columns
/// still line up. A tab is a space.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => ' ',
            '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            '\u{80}'..='\u{9f}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// A diagnostic in the style of rustc: the message, where it is, and the source line with a
/// caret under the column.
pub fn render(d: &Diagnostic, color: bool, sources: &mut SourceLines) -> String {
    let loc = &d.location;
    let message = paint(&visible(&d.message), BOLD, color);
    let arrow = paint("-->", BLUE, color);
    let mut out = format!(
        "{}[{}]: {message}\n  {arrow} {loc}\n",
        label(d.severity, color),
        d.code
    );
    if let Some(line_no) = loc.line {
        let line = sources.line(&loc.file, line_no).map(str::to_string);
        if let Some(line) = line {
            let (line, column) = snippet(&visible(&line), loc.column.unwrap_or(1));
            let gutter = " ".repeat(line_no.to_string().len());
            let bar = paint("|", BLUE, color);
            let caret = " ".repeat(column.saturating_sub(1));
            let mark = paint(
                "^",
                if d.severity == Severity::Error {
                    RED
                } else {
                    YELLOW
                },
                color,
            );
            out.push_str(&format!(
                "{gutter} {bar}\n{} {bar} {line}\n{gutter} {bar} {caret}{mark}\n",
                paint(&line_no.to_string(), BLUE, color)
            ));
        }
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("  {} {help}\n", paint("= help:", BLUE, color)));
    }
    out
}

/// `{"diagnostics":[{"code","severity","file","line","column","message","help"}],"errors":N,
/// "warnings":N}`. `line` and `column` are 1-based, or `null` when the finding is about a whole
/// file; `help` is `null` when the message says what to do.
pub fn to_json(diagnostics: &[Diagnostic]) -> serde_json::Value {
    let list: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "code": d.code.name(),
                "severity": d.severity.name(),
                "file": d.location.file.display().to_string(),
                "line": d.location.line,
                "column": d.location.column,
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    let (errors, warnings) = count(diagnostics);
    serde_json::json!({ "diagnostics": list, "errors": errors, "warnings": warnings })
}

/// (errors, warnings).
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_never_reach_the_terminal() {
        let shown = super::visible("a\u{1b}]0;owned\u{7}b\u{1b}[2J\u{9b}c\td");
        assert_eq!(shown, "a␛]0;owned␇b␛[2J\u{fffd}c d");
        assert!(!shown.chars().any(char::is_control));
    }

    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "x".repeat(1000) + "^here" + &"y".repeat(1000);
        let (shown, col) = snippet(&line, 1001);
        assert!(shown.chars().count() <= 102);
        assert_eq!(shown.chars().nth(col - 1), Some('^'));
        assert_eq!(snippet("short", 3), ("short".to_string(), 3));
    }
    use crate::diagnostic::{Code, Location};

    #[test]
    fn source_lines_are_the_lines_of_str_lines() {
        let dir = tempfile::tempdir().unwrap();
        for text in ["a\nb\r\nc", "a\n\nc\n", "", "\n", "only"] {
            let path = dir.path().join("x.md");
            std::fs::write(&path, text).unwrap();
            let mut sources = SourceLines::default();
            let want: Vec<&str> = text.lines().collect();
            for n in 1..=want.len() + 2 {
                assert_eq!(
                    sources.line(&path, n),
                    want.get(n - 1).copied(),
                    "{text:?} line {n}"
                );
            }
            assert_eq!(sources.line(&path, 0), None);
        }
        let mut sources = SourceLines::default();
        assert_eq!(sources.line(&dir.path().join("none.md"), 1), None);
    }

    #[test]
    fn plain_render_has_no_escape_codes_and_json_counts() {
        let d = vec![
            Diagnostic::error(Code::BrokenLink, Location::at("x.md", 2, 3), "bad"),
            Diagnostic::warning(Code::NoCover, Location::file("y.md"), "meh").with_help("do it"),
        ];
        let mut sources = SourceLines::default();
        let text = render(&d[0], false, &mut sources);
        assert!(
            text.starts_with("error[broken-link]: bad\n  --> x.md:2:3\n"),
            "{text}"
        );
        assert!(render(&d[1], false, &mut sources).ends_with("  = help: do it\n"));
        assert!(!text.contains('\x1b'));
        assert!(render(&d[0], true, &mut sources).contains(RED));
        let json = to_json(&d);
        assert_eq!(json["errors"], 1);
        assert_eq!(json["warnings"], 1);
        assert_eq!(json["diagnostics"][0]["line"], 2);
        assert!(json["diagnostics"][1]["line"].is_null());
        assert_eq!(json["diagnostics"][0]["code"], "broken-link");
        assert!(json["diagnostics"][0]["help"].is_null());
        assert_eq!(json["diagnostics"][1]["help"], "do it");
    }
}
