//! Code blocks for print: each source line cut into rows that fit the measure (a wrapped row
//! starts with a continuation mark), each row in pieces of one colour from the syntax
//! highlighting that the EPUB uses too (`crate::highlight`, theme `InspiredGitHub`).
//!
//! Print-friendly: text stays on white with no background; a theme colour too light to read on
//! paper (under 4.5:1 contrast with white, WCAG's level for body text) is darkened, keeping
//! its hue, until it reaches that contrast. Comments stay grey (a darker one), so they stand back
//! from the code. A language syntect does not know is set in black.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::highlight::{self, Colour};

use super::document::Rgb;

/// The mark at the start of a wrapped row, and its colour (a mid grey, 4.6:1 on white).
pub const CONTINUATION: &str = "↪ ";
const CONTINUATION_COLOUR: Rgb = Rgb {
    r: 0x6a,
    g: 0x73,
    b: 0x7d,
};
/// Tab stops every this many columns.
const TAB_WIDTH: usize = 4;
/// The least contrast with white a colour may have on the page.
pub use crate::highlight::MIN_CONTRAST;

/// Text of one colour within a row; `None` is black.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub text: String,
    pub colour: Option<Rgb>,
}

/// One printed row of a code block: its pieces, and whether it continues the source line
/// of the row before (a page should not end between the two).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub pieces: Vec<Piece>,
    pub turned: bool,
}

/// The longest source line of a code block, in columns (tabs expanded).
pub fn longest_line(text: &str) -> usize {
    text.trim_end_matches('\n')
        .split('\n')
        .map(|l| {
            l.trim_end_matches('\r').chars().fold(0, |col, c| {
                if c == '\t' {
                    col + TAB_WIDTH - col % TAB_WIDTH
                } else {
                    col + 1
                }
            })
        })
        .max()
        .unwrap_or(0)
}

/// The rows of a code block at `cols` characters a row (at least 8), each as pieces of one
/// colour. Tabs are expanded; a line longer than a row is turned over at the last token
/// boundary that fits ([`may_break_before`]: after a space, `,` `(` `;` or an operator,
/// before a method's `.`), and only inside a token when a single token is wider than the
/// row. A turned-over row starts at the line's own indentation with [`CONTINUATION`].
pub fn rows(text: &str, language: Option<&str>, cols: usize) -> Vec<Row> {
    let cols = cols.max(8);
    let mark_len = CONTINUATION.chars().count();
    let mut rows = Vec::new();
    for chars in coloured_lines(text, language).iter() {
        // The turned-over part hangs at the line's indentation (at most half a row).
        let lead = chars
            .iter()
            .take_while(|c| c.0 == ' ')
            .count()
            .min(cols / 2);
        let mut start = 0;
        let mut first = true;
        loop {
            let room = if first { cols } else { cols - lead - mark_len };
            let mut end = (start + room).min(chars.len());
            if end < chars.len() {
                if let Some(b) = (start + 1..=end)
                    .rev()
                    .find(|&i| may_break_before(chars, i))
                {
                    end = b;
                }
            }
            let mut pieces = Vec::new();
            if !first {
                if lead > 0 {
                    pieces.push(Piece {
                        text: " ".repeat(lead),
                        colour: None,
                    });
                }
                pieces.push(Piece {
                    text: CONTINUATION.to_string(),
                    colour: Some(CONTINUATION_COLOUR),
                });
            }
            let marked = pieces.len();
            for &(c, colour) in &chars[start..end] {
                match pieces[marked..].last_mut() {
                    Some(Piece { text, colour: last }) if *last == colour => text.push(c),
                    _ => pieces.push(Piece {
                        text: c.to_string(),
                        colour,
                    }),
                }
            }
            rows.push(Row {
                pieces,
                turned: !first,
            });
            first = false;
            start = end;
            // The turned-over part starts with the next token, not with spaces.
            while start < chars.len() && chars[start].0 == ' ' {
                start += 1;
            }
            if start >= chars.len() {
                break;
            }
        }
    }
    rows
}

/// Whether a source line may be turned over before `chars[i]`: between tokens, never inside
/// a word, a number or an operator of several characters (`::`, `->`, `==`).
fn may_break_before(chars: &[(char, Option<Rgb>)], i: usize) -> bool {
    let (Some(&(prev, _)), Some(&(next, _))) = (chars.get(i.wrapping_sub(1)), chars.get(i)) else {
        return false;
    };
    let word = |c: char| c.is_alphanumeric() || c == '_';
    const OPERATORS: &str = "=:<>+|/";
    if next == ' ' {
        return false;
    }
    match prev {
        ' ' => true,
        ',' | ';' | '(' | '[' | '{' => !matches!(next, ')' | ']' | '}' | ',' | ';'),
        _ if OPERATORS.contains(prev) => !OPERATORS.contains(next) && next != '-',
        // A method call: `value` / `.expect(...)`.
        _ => {
            next == '.'
                && (word(prev) || matches!(prev, ')' | ']' | '?'))
                && chars
                    .get(i + 1)
                    .is_some_and(|&(c, _)| c.is_alphabetic() || c == '_')
        }
    }
}

/// A line of code as characters with their colours.
type ColouredLine = Vec<(char, Option<Rgb>)>;
type Lines = Arc<Vec<ColouredLine>>;
/// Colours of code blocks by (language, text), and the bytes of code they hold.
type Memo = Mutex<(usize, HashMap<(String, String), Lines>)>;

/// Code text kept in the memo before it is emptied (a long `quire watch` session).
const MEMO_BYTES: usize = 32 << 20;

/// The code's lines as characters with their print colours, tabs expanded.
///
/// Highlighting is the slow part of setting code (about two seconds for the thousand listings
/// of *The Rust Programming Language*), and a book may be set up to three times to find its
/// gutter (`typeset::typeset`), each time at another measure: so the colours of each block
/// are kept, keyed by language and text, and rows are cut from them at each measure.
fn coloured_lines(text: &str, language: Option<&str>) -> Lines {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let Some(language) = language.filter(|l| highlight::syntax(l).is_some()) else {
        return Arc::new(colour_lines(text, None));
    };
    let memo = MEMO.get_or_init(Default::default);
    let key = (language.to_string(), text.to_string());
    if let Some(hit) = memo.lock().ok().and_then(|m| m.1.get(&key).cloned()) {
        return hit;
    }
    let lines = Arc::new(colour_lines(text, Some(language)));
    if let Ok(mut m) = memo.lock() {
        if m.0 > MEMO_BYTES {
            *m = Default::default();
        }
        m.0 += text.len();
        m.1.insert(key, lines.clone());
    }
    lines
}

fn colour_lines(text: &str, language: Option<&str>) -> Vec<ColouredLine> {
    let text = text.trim_end_matches('\n');
    // The grammars expect every line to end in a line feed, the last one too.
    let highlighted = language.and_then(|l| highlight::tokens(l, &format!("{text}\n")));
    text.split('\n')
        .enumerate()
        .map(|(n, src)| {
            let src = src.trim_end_matches('\r');
            expand_tabs(&coloured_chars(
                src,
                highlighted.as_ref().and_then(|h| h.get(n)),
            ))
        })
        .collect()
}

/// The characters of a source line with their print colours: from the highlighting when it
/// covers the line exactly, else black.
fn coloured_chars(src: &str, tokens: Option<&Vec<highlight::Token>>) -> ColouredLine {
    if let Some(tokens) = tokens {
        let joined: String = tokens.iter().map(|t| t.text.as_str()).collect();
        if joined.trim_end_matches('\r') == src {
            return tokens
                .iter()
                .flat_map(|t| {
                    let colour = print_colour(t.colour);
                    t.text.chars().map(move |c| (c, colour))
                })
                .collect();
        }
    }
    src.chars().map(|c| (c, None)).collect()
}

fn expand_tabs(chars: &[(char, Option<Rgb>)]) -> ColouredLine {
    let mut out = Vec::with_capacity(chars.len());
    for &(c, colour) in chars {
        if c == '\t' {
            let n = TAB_WIDTH - out.len() % TAB_WIDTH;
            out.extend(std::iter::repeat_n((' ', colour), n));
        } else {
            out.push((c, colour));
        }
    }
    out
}

/// A theme colour as printed: black stays `None` (the default fill); a colour too light for
/// paper is darkened until it has [`MIN_CONTRAST`] with white.
pub fn print_colour(c: Colour) -> Option<Rgb> {
    if c == Colour::BLACK {
        return None;
    }
    let c = c.readable_on(Colour::WHITE);
    Some(Rgb {
        r: c.r,
        g: c.g,
        b: c.b,
    })
}

/// WCAG contrast ratio of a colour with white (1 to 21).
pub fn contrast_with_white(c: Rgb) -> f32 {
    Colour {
        r: c.r,
        g: c.g,
        b: c.b,
    }
    .contrast(Colour::WHITE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(row: &Row) -> String {
        row.pieces.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn rust_is_coloured_and_every_colour_reads_on_paper() {
        let rows = rows(
            "fn main() {\n    // note\n    let s = \"x\";\n}\n",
            Some("rust"),
            40,
        );
        assert_eq!(rows.len(), 4);
        assert_eq!(text(&rows[2]), "    let s = \"x\";");
        let colours: std::collections::HashSet<_> = rows
            .iter()
            .flat_map(|r| &r.pieces)
            .map(|p| p.colour)
            .collect();
        assert!(colours.len() >= 3, "{colours:?}");
        for c in colours.into_iter().flatten() {
            assert!(contrast_with_white(c) >= MIN_CONTRAST, "{c:?}");
        }
        let fn_colour = rows[0]
            .pieces
            .iter()
            .find(|p| p.text == "fn")
            .map(|p| p.colour);
        let main_colour = rows[0]
            .pieces
            .iter()
            .find(|p| p.text.contains("main"))
            .map(|p| p.colour);
        assert_ne!(fn_colour, main_colour);
    }

    #[test]
    fn wrapped_rows_keep_their_colours_and_the_mark() {
        let line = format!("    let s = \"{}\";", "abc ".repeat(20));
        let rows = rows(&line, Some("rust"), 30);
        assert!(rows.len() > 2);
        let string_colour = rows[0]
            .pieces
            .iter()
            .find(|p| p.text.contains("abc"))
            .unwrap()
            .colour;
        assert!(string_colour.is_some());
        assert!(!rows[0].turned);
        for row in &rows[1..] {
            assert!(row.turned);
            // Hung at the line's indentation, after the mark.
            assert_eq!(row.pieces[0].text, "    ");
            assert_eq!(row.pieces[1].text, CONTINUATION);
            assert!(text(row).chars().count() <= 30, "{}", text(row));
            assert!(row
                .pieces
                .iter()
                .any(|p| p.text.contains("abc") && p.colour == string_colour));
        }
        // Turned over at spaces only: every row but the last ends with `abc `.
        for row in &rows[..rows.len() - 1] {
            assert!(text(row).ends_with("abc "), "{:?}", text(row));
        }
        let joined: String = rows
            .iter()
            .map(|r| {
                text(r)
                    .trim_start()
                    .trim_start_matches(CONTINUATION)
                    .to_string()
            })
            .collect();
        assert_eq!(joined, line.trim_start());
    }

    #[test]
    fn lines_turn_over_between_tokens_only() {
        let line = "let guess: u32 = guess.trim().parse().expect(\"Please type a number!\");";
        for cols in 12..40 {
            let rows = rows(line, Some("rust"), cols);
            let texts: Vec<String> = rows.iter().map(text).collect();
            for pair in texts.windows(2) {
                let before = pair[0].chars().last().unwrap();
                let after = pair[1]
                    .trim_start()
                    .trim_start_matches(CONTINUATION)
                    .chars()
                    .next()
                    .unwrap();
                let word = |c: char| c.is_alphanumeric() || c == '_';
                assert!(
                    !(word(before) && word(after)),
                    "{cols}: split inside a word: {texts:?}"
                );
                assert!(!(before == ':' && after == ':'), "{texts:?}");
            }
        }
        let rows = rows(line, Some("rust"), 40);
        assert_eq!(text(&rows[0]), "let guess: u32 = guess.trim().parse()");
        assert_eq!(
            text(&rows[1]),
            format!("{CONTINUATION}.expect(\"Please type a number!\");")
        );
        // A token wider than the row is cut where it must be.
        let long = "x".repeat(50);
        let rows = super::rows(&long, None, 20);
        assert_eq!(text(&rows[0]), "x".repeat(20));
        assert_eq!(longest_line("a\tb\nabc\n"), 5);
    }

    #[test]
    fn unknown_languages_and_tabs() {
        let rows = rows("a\tb\n", Some("no-such-language"), 40);
        assert_eq!(
            rows,
            vec![Row {
                pieces: vec![Piece {
                    text: "a   b".into(),
                    colour: None
                }],
                turned: false
            }]
        );
        assert_eq!(
            super::rows("", None, 40),
            vec![Row {
                pieces: Vec::new(),
                turned: false
            }]
        );
    }

    #[test]
    fn light_colours_are_darkened() {
        let c = print_colour(Colour {
            r: 0xcc,
            g: 0xcc,
            b: 0xcc,
        })
        .unwrap();
        assert!(contrast_with_white(c) >= MIN_CONTRAST);
        assert!(c.r == c.g && c.g == c.b, "hue kept: {c:?}");
        assert_eq!(print_colour(Colour { r: 0, g: 0, b: 0 }), None);
    }
}
