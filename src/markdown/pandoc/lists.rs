//! pandoc's list markers that CommonMark lacks, written as CommonMark's own before
//! pulldown-cmark reads the file: `#.` (numbered in order) becomes `1.`, and example lists
//! `(@)` / `(@label)` become numbers that run on through the whole file, as pandoc numbers
//! them; `(@label)` in the text then becomes its item's number. (CommonMark numbers a list
//! from its first marker, so the later items' numbers do not matter.)

use std::collections::HashMap;

/// The example items numbered so far.
#[derive(Debug, Default)]
pub struct Examples {
    next: usize,
    labels: HashMap<String, usize>,
}

impl Examples {
    /// Replaces each `(@label)` of the text by its example's number.
    pub fn references(&self, text: &mut String) {
        if self.labels.is_empty() {
            return;
        }
        for (label, n) in &self.labels {
            let written = format!("(@{label})");
            if text.contains(&written) {
                *text = text.replace(&written, &format!("({n})"));
            }
        }
    }
}

/// The line (after its container prefix) with its pandoc-only list marker written as
/// CommonMark's, or `None` when it has none.
pub fn marker(rest: &str, examples: &mut Examples) -> Option<String> {
    if let Some(after) = rest.strip_prefix("#.").or_else(|| rest.strip_prefix("#)")) {
        if after.starts_with([' ', '\t']) || after.is_empty() {
            return Some(format!("1.{after}"));
        }
    }
    let after = rest.strip_prefix("(@")?;
    let close = after.find(')')?;
    let label = &after[..close];
    let tail = &after[close + 1..];
    let label_ok = label
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !label_ok || !(tail.starts_with([' ', '\t']) || tail.is_empty()) {
        return None;
    }
    examples.next += 1;
    if !label.is_empty() {
        examples.labels.insert(label.to_string(), examples.next);
    }
    Some(format!("{}.{tail}", examples.next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_numbers_and_examples() {
        let mut e = Examples::default();
        assert_eq!(marker("#. one", &mut e).as_deref(), Some("1. one"));
        assert_eq!(marker("#.x", &mut e), None);
        assert_eq!(marker("(@) first", &mut e).as_deref(), Some("1. first"));
        assert_eq!(
            marker("(@good) second", &mut e).as_deref(),
            Some("2. second")
        );
        assert_eq!(marker("(@) third", &mut e).as_deref(), Some("3. third"));
        assert_eq!(marker("(@ bad) x", &mut e), None);
        let mut text = "As (@good) shows.".to_string();
        e.references(&mut text);
        assert_eq!(text, "As (2) shows.");
    }
}

/// The fancy list being read: its indentation and numbering.
#[derive(Debug, Default)]
pub struct Fancy {
    current: Option<(usize, Numbering)>,
}

use crate::model::Numbering;

/// A fancy list marker (`a.`, `B)`, `(iv)`) written as CommonMark's decimal one; for the
/// first item of a list also its numbering (the converter gives it to the list). `start`:
/// whether a list may start here (after a blank line). pandoc's rules: a single letter is a
/// letter (but `i`/`I`, which starts a roman list), an uppercase letter with a period needs
/// two spaces after it (`B. Smith` is a name).
pub fn fancy(
    prefix: &str,
    rest: &str,
    start: bool,
    state: &mut Fancy,
) -> Option<(String, Option<Numbering>)> {
    let indent = prefix.chars().count();
    let parsed = parse_fancy(rest);
    if let Some((indent_of_list, numbering)) = state.current {
        if let Some((token, delim, after)) = &parsed {
            if indent == indent_of_list {
                if let Some(n) = value(token, numbering) {
                    let _ = n;
                    return Some((format!("1{delim}{after}"), None));
                }
            }
        }
        let ends = !rest.trim().is_empty() && indent <= indent_of_list && !start;
        if ends || (start && indent <= indent_of_list && !rest.trim().is_empty()) {
            state.current = None;
        }
    }
    let (token, delim, after) = parsed?;
    if !start {
        return None;
    }
    let numbering = style_of(&token)?;
    if numbering == Numbering::UpperAlpha && delim == '.' && !after.starts_with("  ") {
        return None;
    }
    let n = value(&token, numbering)?;
    state.current = Some((indent, numbering));
    Some((format!("{n}{delim}{after}"), Some(numbering)))
}

/// (token, `.` or `)`, the rest after the marker) of a fancy marker.
fn parse_fancy(rest: &str) -> Option<(String, char, String)> {
    let (inner, paren) = match rest.strip_prefix('(') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let len = inner.chars().take_while(char::is_ascii_alphabetic).count();
    if len == 0 || len > 6 {
        return None;
    }
    let token = &inner[..len];
    let delim = inner[len..].chars().next()?;
    let ok = if paren {
        delim == ')'
    } else {
        delim == '.' || delim == ')'
    };
    if !ok {
        return None;
    }
    let after = &inner[len + 1..];
    if !after.starts_with([' ', '\t']) {
        return None;
    }
    Some((
        token.to_string(),
        if paren { ')' } else { delim },
        after.to_string(),
    ))
}

fn is_roman(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    lower.chars().all(|c| "ivxlcdm".contains(c))
        && (token == lower || token == token.to_ascii_uppercase())
}

fn style_of(token: &str) -> Option<Numbering> {
    let upper = token.chars().all(|c| c.is_ascii_uppercase());
    let lower = token.chars().all(|c| c.is_ascii_lowercase());
    if token.len() == 1 && !matches!(token, "i" | "I") {
        return Some(if upper {
            Numbering::UpperAlpha
        } else {
            Numbering::LowerAlpha
        });
    }
    if is_roman(token) && (upper || lower) {
        return Some(if upper {
            Numbering::UpperRoman
        } else {
            Numbering::LowerRoman
        });
    }
    None
}

/// The number a marker token stands for under `numbering`.
fn value(token: &str, numbering: Numbering) -> Option<u64> {
    match numbering {
        Numbering::LowerAlpha | Numbering::UpperAlpha => {
            let c = token.chars().next()?;
            (token.len() == 1).then(|| u64::from(c.to_ascii_lowercase() as u8 - b'a' + 1))
        }
        Numbering::LowerRoman | Numbering::UpperRoman => {
            if !is_roman(token) {
                return None;
            }
            let mut total = 0u64;
            let mut prev = 0u64;
            for c in token.to_ascii_lowercase().chars().rev() {
                let v = match c {
                    'i' => 1,
                    'v' => 5,
                    'x' => 10,
                    'l' => 50,
                    'c' => 100,
                    'd' => 500,
                    _ => 1000,
                };
                if v < prev {
                    total = total.saturating_sub(v);
                } else {
                    total += v;
                    prev = v;
                }
            }
            Some(total)
        }
        Numbering::Decimal => token.parse().ok(),
    }
}

#[cfg(test)]
mod fancy_tests {
    use super::*;

    #[test]
    fn letters_and_romans() {
        let mut s = Fancy::default();
        assert_eq!(
            fancy("", "c. three", true, &mut s),
            Some(("3. three".into(), Some(Numbering::LowerAlpha)))
        );
        assert_eq!(
            fancy("", "d. four", false, &mut s),
            Some(("1. four".into(), None))
        );
        assert_eq!(fancy("", "Text after.", false, &mut s), None);
        assert_eq!(
            fancy("", "(iv) four", true, &mut s),
            Some(("4) four".into(), Some(Numbering::LowerRoman)))
        );
        let mut s = Fancy::default();
        assert_eq!(fancy("", "B. Smith wrote", true, &mut s), None);
        assert_eq!(
            fancy("", "B.  Second", true, &mut s),
            Some(("2.  Second".into(), Some(Numbering::UpperAlpha)))
        );
        assert_eq!(fancy("", "e.g. this", true, &mut Fancy::default()), None);
        assert_eq!(Numbering::LowerRoman.label(14), "xiv");
        assert_eq!(Numbering::UpperAlpha.label(28), "AB");
    }
}
