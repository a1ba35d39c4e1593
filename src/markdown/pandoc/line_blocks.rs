//! pandoc's line blocks: lines that begin with `| ` keep their line breaks and their leading
//! spaces (verse, addresses). A line that begins with a space continues the line above.
//!
//! Each block is written for pulldown-cmark as one paragraph inside a div of class
//! `line-block` (a marker, see `pandoc`): every line ends in a hard break (`\`), leading
//! spaces become no-break spaces (which CommonMark keeps), an empty line is a no-break
//! space of its own (the stanza break), and a character that would start a block
//! (`- `, `1.`, `#`, `>`) is escaped, as it is text in a line block.

use super::{Out, MARK};
use crate::model::Attrs;

/// Whether a line (after its container prefix) is a line of a line block.
pub fn starts(rest: &str) -> bool {
    rest == "|" || rest.starts_with("| ")
}

/// Whether the lines from here are a pipe table rather than a line block (a table has a
/// delimiter row second).
pub fn is_table(lines: &[&str]) -> bool {
    let Some(second) = lines.get(1) else {
        return false;
    };
    let row = super::split_prefix(second).1.trim();
    row.starts_with('|')
        && row.contains('-')
        && row
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t' | '+'))
}

/// Writes the line block that starts at `lines[0]` (source line `first`); returns how many
/// source lines it took.
pub(crate) fn write(
    lines: &[&str],
    first: usize,
    prefix: &str,
    out: &mut Out,
    divs: &mut Vec<Attrs>,
) -> usize {
    // (text, source line) of each line of the block.
    let mut block: Vec<(String, usize)> = Vec::new();
    let mut taken = 0;
    for (k, line) in lines.iter().enumerate() {
        let rest = super::split_prefix(line).1;
        if starts(rest) {
            let text = rest.strip_prefix('|').unwrap_or("");
            let text = text.strip_prefix(' ').unwrap_or(text);
            block.push((text.to_string(), first + k));
        } else if line.starts_with(' ') && !line.trim().is_empty() && !block.is_empty() {
            // A continuation line (pandoc: it begins with a space).
            if let Some((last, _)) = block.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
            }
        } else {
            break;
        }
        taken = k + 1;
    }
    let mut attrs = Attrs::default();
    attrs.classes.push("line-block".into());
    out.line(&format!("{prefix}{MARK}div {}-->", divs.len()), first);
    divs.push(attrs);
    let n = block.len();
    for (i, (text, line)) in block.into_iter().enumerate() {
        let mut written = String::from(prefix);
        let body = text.trim_end();
        let lead = body.chars().take_while(|c| *c == ' ').count();
        let body = &body[lead..];
        written.extend(std::iter::repeat_n('\u{a0}', lead));
        if body.is_empty() && lead == 0 {
            written.push('\u{a0}');
        } else if lead == 0 {
            written.push_str(&escape_start(body));
        } else {
            written.push_str(body);
        }
        if i + 1 < n {
            written.push('\\');
        }
        out.line(&written, line);
    }
    out.line(
        &format!("{prefix}{MARK}end-->"),
        first + taken.saturating_sub(1),
    );
    taken
}

/// Escapes what would start a block at the start of a line.
fn escape_start(text: &str) -> String {
    let first = text.chars().next();
    match first {
        Some('-' | '+' | '*' | '#' | '>' | '=' | '_' | '<' | '|' | '`' | '~') => {
            format!("\\{text}")
        }
        Some(c) if c.is_ascii_digit() => {
            let digits = text.chars().take_while(char::is_ascii_digit).count();
            match text[digits..].chars().next() {
                Some('.' | ')') => format!("{}\\{}", &text[..digits], &text[digits..]),
                _ => text.to_string(),
            }
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_breaks_and_leading_spaces() {
        let src = [
            "|   Ein Vers,",
            "| 1. kein Punkt",
            "  weiter",
            "|",
            "| - Ende",
            "",
            "after",
        ];
        let mut out = Out::default();
        let mut divs = Vec::new();
        let n = write(&src, 10, "", &mut out, &mut divs);
        assert_eq!(n, 5);
        let lines: Vec<&str> = out.text.lines().collect();
        assert_eq!(
            lines,
            [
                "<!--quire-pandoc div 0-->",
                "\u{a0}\u{a0}Ein Vers,\\",
                "1\\. kein Punkt weiter\\",
                "\u{a0}\\",
                "\\- Ende",
                "<!--quire-pandoc end-->",
            ]
        );
        assert_eq!(out.lines, [10, 10, 11, 13, 14, 14]);
        assert_eq!(divs[0].classes, ["line-block"]);
        assert!(is_table(&["| a | b |", "|---|:-:|"]));
        assert!(!is_table(&["| a", "| b"]));
    }
}
