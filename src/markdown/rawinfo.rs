//! What the reader learns from a file's raw HTML once it is parsed: its images (for the
//! book's resources) and the elements the PDF keeps only the text of (for warnings), each
//! with the line and column of the raw HTML piece it was written in.
//!
//! The HTML parser does not say where an element came from, so the pieces are matched by
//! order: the `n`-th `<img` written in the file is the `n`-th image element of its parsed
//! raw HTML, which holds for everything but an `<img` inside a comment or an attribute
//! (whose position is then taken from the next piece: a wrong line in a message, never a
//! wrong image).

use std::collections::BTreeMap;

use super::convert::Parsed;
use super::html::{Element, Node};
use crate::model::visit::{self, Visit};
use crate::model::Block;

/// A raw HTML piece as pulldown-cmark gave it.
pub struct Piece {
    line: usize,
    column: usize,
    lower: String,
    /// How many `<img` tags it seems to open.
    pub images: usize,
}

impl Piece {
    pub fn new(html: &str, line: usize, column: usize) -> Piece {
        let lower = html.to_ascii_lowercase();
        let images = tag_starts(&lower, "img").len();
        Piece {
            line,
            column,
            lower,
            images,
        }
    }
}

/// Where `<name` starts a tag in `lower`.
fn tag_starts(lower: &str, name: &str) -> Vec<usize> {
    let open = format!("<{name}");
    lower
        .match_indices(&open)
        .map(|(i, _)| i)
        .filter(|&i| {
            lower[i + open.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_ascii_whitespace() || c == '/' || c == '>')
        })
        .collect()
}

/// Fills the image places `convert` held for raw `<img>`s and lists the fallback elements,
/// from the parsed raw HTML of `out`.
pub fn record(out: &mut Parsed, pieces: &[Piece], note_lines: &BTreeMap<String, usize>) {
    // The file's blocks and notes in source order.
    let mut lists: Vec<(usize, &Block)> = out
        .blocks
        .iter()
        .zip(out.block_lines.iter().copied().chain(std::iter::repeat(0)))
        .map(|(b, l)| (l, b))
        .collect();
    for (label, blocks) in &out.notes {
        let line = note_lines.get(label).copied().unwrap_or(usize::MAX);
        lists.extend(blocks.iter().map(|b| (line, b)));
    }
    lists.sort_by_key(|(l, _)| *l);

    let mut found = Found::default();
    for (_, b) in &lists {
        found.visit_block(b);
    }

    // Images: in order into the places held for them.
    let mut srcs = found.images.into_iter();
    let mut last = None;
    out.images.retain_mut(|at| {
        if !at.html {
            return true;
        }
        last = Some((at.line, at.column));
        match srcs.next() {
            Some((src, has_alt)) => {
                at.src = src;
                at.has_alt = has_alt;
                true
            }
            None => false,
        }
    });
    let (line, column) = last.unwrap_or((1, 1));
    for (src, has_alt) in srcs {
        out.images.push(super::convert::ImageAt {
            src,
            line,
            column,
            has_alt,
            html: true,
        });
    }

    // Fallback elements, each where it is first written.
    for name in found.unsupported {
        let at = pieces
            .iter()
            .find(|p| !tag_starts(&p.lower, &name).is_empty())
            .or(pieces.first());
        if let Some(p) = at {
            out.raw_unsupported.push((name, p.line, p.column));
        }
    }
}

#[derive(Default)]
struct Found {
    /// (src, has alt text) of each raw `<img>` with a `src`.
    images: Vec<(String, bool)>,
    unsupported: Vec<String>,
}

impl<'a> Visit<'a> for Found {
    fn visit_block(&mut self, b: &'a Block) {
        if let Block::Html { tree, .. } = b {
            self.raw(tree);
        }
        visit::visit_block(self, b)
    }

    fn visit_inline(&mut self, i: &'a crate::model::Inline) {
        if let crate::model::Inline::RawHtml { tree, .. } = i {
            self.raw(tree);
        }
        visit::visit_inline(self, i)
    }

    fn visit_element(&mut self, e: &'a Element) {
        if e.name == "img" {
            if let Some(src) = e.attr("src").map(str::trim).filter(|s| !s.is_empty()) {
                let alt = e.attr("alt").is_some_and(|a| !a.trim().is_empty());
                self.images.push((src.to_string(), alt));
            }
        }
        visit::visit_element(self, e)
    }
}

impl Found {
    fn raw(&mut self, tree: &[Node]) {
        for name in super::raw::unsupported(tree) {
            if !self.unsupported.contains(&name) {
                self.unsupported.push(name);
            }
        }
    }
}
