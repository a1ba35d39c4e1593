//! Footnotes: each set at its first reference, as an insert for the foot of that page.

use crate::model::Block;

use super::super::document::LineKind;
use super::super::paginate::{Insert, VItem};
use super::super::paragraph::{flatten, note_anchor, serif, Line, Target, Tok};
use super::{ChapterBuilder, Env};
use crate::fonts::Style;

/// Footnotes: relative size; room between the text and the notes (body lines, the rule
/// included); the rule's length (part of the measure, as LaTeX's 0.4\columnwidth) and
/// thickness (points).
const NOTE_SCALE: f32 = 0.85;
const NOTE_SKIP: f32 = 0.8;
const NOTE_RULE_WIDTH: f32 = 0.4;
const NOTE_RULE_THICKNESS: f32 = 0.4;

impl ChapterBuilder<'_, '_> {
    /// The notes `cited` (with those they cite in turn) as an insert for the page foot.
    pub(super) fn insert(&mut self, cited: Vec<usize>, break_after: bool) -> VItem {
        let saved_items = std::mem::take(&mut self.items);
        let saved_keep = std::mem::take(&mut self.keep);
        let saved_indent = self.indent_next;
        let env = self.env();
        let small = Env {
            size: env.size * NOTE_SCALE,
            leading: env.leading * NOTE_SCALE,
            ..env
        };
        let mut queue = std::collections::VecDeque::from(cited);
        while let Some(k) = queue.pop_front() {
            self.cited_in_note = Some(Vec::new());
            self.note(k, small);
            queue.extend(self.cited_in_note.take().unwrap_or_default());
        }
        let mut items = std::mem::replace(&mut self.items, saved_items);
        self.keep = saved_keep;
        self.indent_next = saved_indent;
        for item in &mut items {
            if let VItem::Line { line, .. } = item {
                // Not the chapter's running text: no page starts in a note.
                line.place = None;
                let (justified, hyphenated) = match line.kind {
                    LineKind::Body {
                        justified,
                        hyphenated,
                        ..
                    } => (justified, hyphenated),
                    _ => (false, false),
                };
                line.kind = LineKind::Note {
                    justified,
                    hyphenated,
                };
            }
        }
        VItem::Insert(Insert {
            items,
            skip: self.body.leading * NOTE_SKIP,
            rule_width: self.body.measure * NOTE_RULE_WIDTH,
            rule_thickness: NOTE_RULE_THICKNESS,
            break_after,
        })
    }

    /// One note: its number (a link back to the reference) and its blocks.
    fn note(&mut self, k: usize, small: Env) {
        let Some(note) = self.notes.get(k).cloned() else {
            return;
        };
        self.items
            .push(VItem::Anchor(note_anchor(&self.chapter, note.number)));
        self.indent_next = false;
        let style = serif(Style::Regular, small.size);
        let mut number = style.clone();
        number.link = Some(Target::Anchor(
            note_ref_anchor(&self.chapter, note.number).into(),
        ));
        let mut prefix = vec![
            Tok::Text(format!("{}.", note.number), number),
            Tok::Text(" ".into(), style.clone()),
        ];
        let mut rest: &[Block] = &note.blocks;
        if let Some((Block::Paragraph(inl), tail)) = note.blocks.split_first() {
            flatten(inl, &style, &self.chapter, &mut prefix);
            rest = tail;
        }
        self.paragraph_toks(&prefix, small, false);
        self.indent_next = true;
        self.blocks(rest, small);
    }

    /// Notes first cited by `line` (marked as set).
    pub(super) fn first_cited(&mut self, line: &Line) -> Vec<usize> {
        let mut cited = Vec::new();
        for link in &line.links {
            if let Target::Anchor(key) = &link.target {
                if let Some(&k) = self.note_keys.get(&**key) {
                    if !self.noted[k] {
                        self.noted[k] = true;
                        cited.push(k);
                    }
                }
            }
        }
        cited
    }
}

/// Where a note's number links back to: the line that first cites it.
pub(super) fn note_ref_anchor(chapter: &str, number: usize) -> String {
    format!("r:{chapter}:{number}")
}
