//! Footnotes: references that link to the note, notes that link back to their first reference.

use crate::model::Block;

use super::super::xml::escape;
use super::ChapterWriter;

impl ChapterWriter<'_> {
    pub(super) fn note_id(&self, number: usize) -> String {
        format!("fn-{}-{number}", self.note_prefix)
    }

    pub(super) fn note_ref_id(&self, number: usize, occurrence: usize) -> String {
        match occurrence {
            1 => format!("fnref-{}-{number}", self.note_prefix),
            n => format!("fnref-{}-{number}-{n}", self.note_prefix),
        }
    }

    /// A reference to a note: a link to it, unless the note does not exist or the reference
    /// sits inside a link (links cannot nest): then only the number.
    pub(super) fn note_ref(&mut self, number: usize) {
        let exists = number >= 1 && number <= self.note_refs.len();
        if !exists || self.link_depth > 0 {
            self.out.push_str(&format!("<sup>{number}</sup>"));
            return;
        }
        self.note_refs[number - 1] += 1;
        let id = self.note_ref_id(number, self.note_refs[number - 1]);
        let href = format!("#{}", self.note_id(number));
        self.out
            .push_str("<a epub:type=\"noteref\" role=\"doc-noteref\"");
        self.attr("href", &href);
        self.attr("id", &id);
        self.out.push_str(&format!("><sup>{number}</sup></a>"));
    }

    /// The chapter's notes as footnote asides, each opening with a link back to its first
    /// reference (when there is one).
    pub(super) fn footnotes(&mut self) {
        let notes = &self.chapter.notes;
        if notes.is_empty() {
            return;
        }
        self.out.push_str("<div class=\"footnotes\">\n");
        for (i, note) in notes.iter().enumerate() {
            let number = i + 1;
            self.out
                .push_str("<aside epub:type=\"footnote\" role=\"doc-footnote\"");
            self.attr("id", &self.note_id(number));
            self.out.push_str(">\n");
            let back = self.back_link(number);
            let (first, rest) = match note.blocks.split_first() {
                Some((Block::Paragraph(inlines), rest)) => (Some(inlines), rest),
                _ => (None, note.blocks.as_slice()),
            };
            self.out.push_str("<p>");
            self.out.push_str(&back);
            if let Some(inlines) = first {
                self.out.push(' ');
                self.inlines(inlines);
            }
            self.out.push_str("</p>\n");
            self.blocks(rest);
            self.out.push_str("</aside>\n");
        }
        self.out.push_str("</div>\n");
    }

    pub(super) fn back_link(&self, number: usize) -> String {
        let label = format!("<span class=\"note-number\">{number}.</span>");
        if self.note_refs[number - 1] == 0 {
            return label;
        }
        format!(
            "<a class=\"note-back\" role=\"doc-backlink\" href=\"#{}\">{label}</a>",
            escape(&self.note_ref_id(number, 1))
        )
    }
}
