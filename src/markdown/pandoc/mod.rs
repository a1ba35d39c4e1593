//! pandoc's Markdown, read with pulldown-cmark.
//!
//! pulldown-cmark reads most of it with its own extensions (tables, footnotes, heading
//! attributes, `^sup^`, `~sub~`, definition lists, smart punctuation). What it lacks is read
//! here, in two small passes of our own (no crate reads pandoc's syntax; pandoc itself is
//! Haskell):
//!
//! - before pulldown-cmark, line by line ([`prepare`]): fenced divs (`::: {.note}` ...
//!   `:::`), line blocks (`| ` verse), simple, multiline and grid tables (rewritten as pipe
//!   tables, see [`tables`]), `Table:` captions, example lists `(@)`, `#.` lists,
//!   inline notes `^[...]`. Fence and caption lines become HTML comments of our own (an HTML
//!   block of one line, which CommonMark lets interrupt a paragraph), so pulldown-cmark keeps
//!   parsing the Markdown between them as it would without them, and the converter sees
//!   where each div opens and closes; a map keeps every line's place in the source;
//! - after it, on each run of inlines ([`spans`]): bracketed spans `[text]{.smallcaps}`,
//!   attributes after images, links and code, raw inlines `` `x`{=html} ``.
//!
//! Whatever is left that looks like pandoc syntax quire does not read (an attribute block
//! attached to nothing, a stray fence) is reported at its line, never printed silently.

pub mod line_blocks;
pub mod notes;
pub mod quotes;
pub mod scripts;
pub mod spans;
pub mod tables;

use super::attrs::{parse_block, AttrBlock};
use crate::diagnostic::Code;
use crate::model::Attrs;

/// Starts every marker comment the pre-pass writes.
const MARK: &str = "<!--quire-pandoc ";

/// A file made ready for pulldown-cmark.
#[derive(Debug, Default)]
pub struct Prepared {
    pub text: String,
    /// For each line of `text`, the 0-based line of the source it came from.
    pub lines: Vec<usize>,
    /// The attributes of each div marker, by its number.
    pub divs: Vec<Attrs>,
    /// The Markdown of each caption marker, by its number.
    pub captions: Vec<String>,
    /// The numbering of the fancy lists (`a.`, `iv.`) by the source line (0-based) their
    /// first item is on.
    pub list_numbering: std::collections::HashMap<usize, crate::model::Numbering>,
    /// (0-based source line, 1-based column, code, message).
    pub warnings: Vec<(usize, usize, Code, String)>,
}

/// What a marker comment says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A div opens: its attributes are `Prepared::divs[n]`.
    Open(usize),
    Close,
    /// A table caption: `Prepared::captions[n]`.
    Caption(usize),
    /// The table before it has no header row (see `tables`).
    Headerless,
}

/// The marker an HTML block is, if it is one of ours.
pub fn marker(html: &str) -> Option<Marker> {
    let rest = html.trim().strip_prefix(MARK)?.strip_suffix("-->")?.trim();
    if rest == "end" {
        return Some(Marker::Close);
    }
    if rest == "headerless" {
        return Some(Marker::Headerless);
    }
    if let Some(n) = rest.strip_prefix("div ") {
        return n.parse().ok().map(Marker::Open);
    }
    rest.strip_prefix("caption ")?
        .parse()
        .ok()
        .map(Marker::Caption)
}

/// Lines being written, each with the source line it stands for.
#[derive(Default)]
pub(crate) struct Out {
    text: String,
    lines: Vec<usize>,
}

impl Out {
    pub(crate) fn line(&mut self, text: &str, source: usize) {
        self.text.push_str(text);
        self.text.push('\n');
        self.lines.push(source);
    }
}

/// A fenced code block being skipped: its fence character and length.
struct Fence {
    ch: char,
    len: usize,
}

/// Runs the line pass over one file (see the module doc).
pub fn prepare(text: &str) -> Prepared {
    let mut p = Prepared::default();
    let mut out = Out::default();
    let source: Vec<&str> = text.lines().collect();
    let mut fence: Option<Fence> = None;
    let mut depth = 0usize;
    let mut examples = lists::Examples::default();
    let mut fancy = lists::Fancy::default();
    // Lines of raw TeX left out.
    let mut tex: Vec<usize> = Vec::new();
    // Whether the line before was blank (or a fence), so that a block may start.
    let mut block_start = true;
    let mut k = 0;
    while k < source.len() {
        let line = source[k];
        let (prefix, rest) = split_prefix(line);
        if let Some(f) = &fence {
            let closes = rest.starts_with(&f.ch.to_string().repeat(f.len))
                && rest.trim_start_matches(f.ch).trim().is_empty();
            if closes {
                fence = None;
            }
            out.line(line, k);
            k += 1;
            continue;
        }
        if let Some(f) = code_fence(rest) {
            fence = Some(f);
            out.line(line, k);
            block_start = false;
            k += 1;
            continue;
        }
        if let Some(colons) = div_fence(rest) {
            let after = rest[colons..].trim();
            if after.trim_start_matches(':').trim().is_empty() {
                if depth > 0 {
                    depth -= 1;
                    after_table(&source, k, &mut out);
                    out.line(&format!("{prefix}{MARK}end-->"), k);
                } else {
                    p.warnings.push((
                        k,
                        prefix.chars().count() + 1,
                        Code::PandocSyntax,
                        "this `:::` closes no div: it is left out (open a div with `::: {.class}` or `::: name`)".into(),
                    ));
                    out.line("", k);
                }
            } else {
                match div_attrs(after) {
                    Some(attrs) => {
                        after_table(&source, k, &mut out);
                        out.line(&format!("{prefix}{MARK}div {}-->", p.divs.len()), k);
                        p.divs.push(attrs);
                        depth += 1;
                    }
                    None => {
                        p.warnings.push((
                            k,
                            prefix.chars().count() + 1,
                            Code::PandocSyntax,
                            format!("`{}` is not a div fence quire can read (write `::: name` or `::: {{#id .class key=value}}`); the line is left out", rest.trim()),
                        ));
                        out.line("", k);
                    }
                }
            }
            block_start = true;
            k += 1;
            continue;
        }
        // Simple, multiline and grid tables (at the top level: indented four spaces, a
        // line is code).
        if block_start && prefix.len() < 4 && prefix.trim().is_empty() {
            if let Some(n) = tables::convert(&source[k..], k, "", &mut out) {
                k += n;
                // pandoc's `: caption` right after the table (`Table:` is read below).
                let next = (k..source.len().min(k + 2)).find(|&i| !source[i].trim().is_empty());
                if let Some(c) = next.and_then(|i| source[i].strip_prefix(": ").map(|c| (i, c))) {
                    let (i, caption) = c;
                    out.line(&format!("{MARK}caption {}-->", p.captions.len()), i);
                    p.captions.push(caption.trim().to_string());
                    k = i + 1;
                }
                block_start = true;
                continue;
            }
        }
        if block_start && line_blocks::starts(rest) && !line_blocks::is_table(&source[k..]) {
            let n = line_blocks::write(&source[k..], k, prefix, &mut out, &mut p.divs);
            k += n;
            block_start = false;
            continue;
        }
        if block_start && is_tex_command(rest) {
            // pandoc's raw TeX (`\bigskip`, `\pause` on a line of their own): for LaTeX
            // only, so left out of a book; said once per file.
            tex.push(k);
            out.line("", k);
            k += 1;
            continue;
        }
        if let Some(caption) = table_caption(rest) {
            after_table(&source, k, &mut out);
            out.line(&format!("{prefix}{MARK}caption {}-->", p.captions.len()), k);
            p.captions.push(caption.to_string());
            block_start = true;
            k += 1;
            continue;
        }
        let written = match lists::fancy(prefix, rest, block_start, &mut fancy) {
            Some((m, numbering)) => {
                if let Some(n) = numbering {
                    p.list_numbering.insert(k, n);
                }
                format!("{prefix}{m}")
            }
            None => lists::marker(rest, &mut examples)
                .map(|m| format!("{prefix}{m}"))
                .unwrap_or_else(|| line.to_string()),
        };
        out.line(&written, k);
        block_start = line.trim().is_empty();
        k += 1;
    }
    for _ in 0..depth {
        let last = source.len().saturating_sub(1);
        p.warnings.push((
            last,
            1,
            Code::PandocSyntax,
            "a div (`:::`) is not closed by the end of the file: it is closed here".into(),
        ));
        out.line(&format!("{MARK}end-->"), last);
    }
    if let Some(&first) = tex.first() {
        let more = match tex.len() {
            1 => String::new(),
            n => format!(" (and {} more lines in this file)", n - 1),
        };
        p.warnings.push((
            first,
            1,
            Code::RawFormatSkipped,
            format!(
                "raw TeX `{}` is left out{more}: it is for LaTeX only",
                source[first].trim()
            ),
        ));
    }
    let mut text = out.text;
    let mut lines = out.lines;
    examples.references(&mut text);
    notes::extract(&mut text, &mut lines);
    p.text = text;
    p.lines = lines;
    p
}

/// A table's rows run on to a blank line (a marker would be one more row): ends them.
fn after_table(source: &[&str], k: usize, out: &mut Out) {
    if k > 0 && split_prefix(source[k - 1]).1.starts_with('|') {
        out.line("", k);
    }
}

/// Splits a line into its container prefix (indentation and `>` of block quotes) and the
/// rest.
fn split_prefix(line: &str) -> (&str, &str) {
    let end = line
        .char_indices()
        .find(|(_, c)| !(c.is_whitespace() || *c == '>'))
        .map_or(line.len(), |(i, _)| i);
    line.split_at(end)
}

/// A fenced code block's opening fence (three or more backticks or tildes).
fn code_fence(rest: &str) -> Option<Fence> {
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == ch).count();
    (len >= 3).then_some(Fence { ch, len })
}

/// The number of colons of a div fence (three or more at the start of the line).
fn div_fence(rest: &str) -> Option<usize> {
    let n = rest.chars().take_while(|c| *c == ':').count();
    (n >= 3).then_some(n)
}

/// The attributes of a div's opening fence: `name`, or `{#id .class key=value}`, either
/// perhaps followed by more colons.
fn div_attrs(after: &str) -> Option<Attrs> {
    let after = after.trim_end_matches(':').trim();
    if after.starts_with('{') {
        match parse_block(after)? {
            (AttrBlock::Attrs(a), n) if after[n..].trim().is_empty() => Some(a),
            _ => None,
        }
    } else if !after.is_empty() && !after.contains(char::is_whitespace) {
        Some(Attrs {
            classes: vec![after.to_string()],
            ..Attrs::default()
        })
    } else {
        None
    }
}

/// Whether a line is a TeX command alone (`\bigskip`, `\vspace{1em}`, `\newpage[2]`).
fn is_tex_command(rest: &str) -> bool {
    let t = rest.trim();
    let Some(name) = t.strip_prefix('\\') else {
        return false;
    };
    let letters = name.chars().take_while(char::is_ascii_alphabetic).count();
    if letters == 0 {
        return false;
    }
    let mut tail = name[letters..].trim_start_matches('*');
    loop {
        let close = match tail.chars().next() {
            None => return true,
            Some('{') => '}',
            Some('[') => ']',
            Some(_) => return false,
        };
        match tail.find(close) {
            Some(end) if !tail[1..end].contains(['{', '[']) => tail = &tail[end + 1..],
            _ => return false,
        }
    }
}

/// The caption of a `Table: caption` line.
fn table_caption(rest: &str) -> Option<&str> {
    let lower = rest.get(..6)?;
    if !lower.eq_ignore_ascii_case("table:") {
        return None;
    }
    let caption = rest[6..].trim();
    (!caption.is_empty()).then_some(caption)
}

pub mod lists;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_markers_and_lines_are_kept() {
        let src =
            "::: note\ntext\n\n```\n:::\n```\n:::: {#x .a key=\"v w\"} ::::\n> quoted\n::::\n:::\n";
        let p = prepare(src);
        let lines: Vec<&str> = p.text.lines().collect();
        assert_eq!(lines[0], "<!--quire-pandoc div 0-->");
        assert_eq!(lines[4], ":::", "code is left alone");
        assert_eq!(lines[6], "<!--quire-pandoc div 1-->");
        assert_eq!(lines[8], "<!--quire-pandoc end-->");
        assert_eq!(lines[9], "<!--quire-pandoc end-->");
        assert_eq!(p.lines, (0..10).collect::<Vec<_>>());
        assert_eq!(p.divs[0].classes, ["note"]);
        assert_eq!(p.divs[1].id, "x");
        assert_eq!(p.divs[1].pairs, [("key".to_string(), "v w".to_string())]);
        assert_eq!(marker(lines[6]), Some(Marker::Open(1)));
        assert_eq!(marker(lines[8]), Some(Marker::Close));
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn stray_and_unclosed_fences_are_reported() {
        let p = prepare(":::\n\n::: a b c\n\n::: open\ntext\n");
        let lines: Vec<usize> = p.warnings.iter().map(|w| w.0).collect();
        assert_eq!(lines, [0, 2, 5]);
        assert!(p.text.ends_with("<!--quire-pandoc end-->\n"));
    }

    #[test]
    fn raw_tex_lines_are_left_out_once_said() {
        let p = prepare("Text.\n\n\\bigskip\n\n\\vspace{1em}\n\n\\foo bar\n");
        assert_eq!(p.text.lines().filter(|l| l.starts_with('\\')).count(), 1);
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].3.contains("and 1 more"), "{:?}", p.warnings);
        assert!(is_tex_command("\\newpage[2]{x}") && !is_tex_command("\\ x"));
    }

    #[test]
    fn table_captions() {
        let p = prepare("| a |\n|---|\n| 1 |\n\nTable: The *one* table.\n");
        assert_eq!(p.captions, ["The *one* table."]);
        let p = prepare("| a |\n|---|\n| 1 |\nTable: Right after.\n");
        assert_eq!(p.text.lines().nth(3), Some(""));
        assert_eq!(p.lines, [0, 1, 2, 3, 3]);
        assert!(p.text.contains("<!--quire-pandoc caption 0-->"));
    }
}
