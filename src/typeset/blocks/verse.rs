//! Verse and line blocks (pandoc's `| ` lines, a div of class `line-block`): each line as
//! written, its leading spaces kept; a line too long for the measure turned over with a
//! hanging indent; stanzas apart by a blank line's space and never split after their first
//! line or before their last.

use crate::fonts::Style;
use crate::model::pages::text_len;
use crate::model::Inline;

use super::super::document::LineKind;
use super::super::paragraph::{flatten, serif, Align, Line, ParaSpec};
use super::{ChapterBuilder, Env};

/// How far a turned-over verse line is indented, in body ems (beyond the line's own indent).
const TURNOVER_INDENT: f32 = 2.0;

impl ChapterBuilder<'_, '_> {
    /// Sets a line block's paragraph: `inlines` with a line break after each line.
    pub(super) fn verse(&mut self, inlines: &[Inline], env: Env) {
        let hang = TURNOVER_INDENT * env.size;
        let mut stanzas: Vec<Vec<Vec<Line>>> = vec![Vec::new()];
        // Where each verse line starts in the paragraph's text (a line break counts one), so
        // that a page beginning at it is placed there (`model::pages`).
        let mut start = 0;
        for verse_line in inlines.split(|i| matches!(i, Inline::LineBreak)) {
            let line_start = start;
            start += text_len(verse_line) + 1;
            if is_blank(verse_line) {
                if stanzas.last().is_some_and(|s| !s.is_empty()) {
                    stanzas.push(Vec::new());
                }
                continue;
            }
            let mut toks = Vec::new();
            flatten(
                verse_line,
                &serif(Style::Regular, env.size),
                &self.chapter,
                &mut toks,
            );
            // Set `hang` narrower with the first line pulled back by as much: the first line
            // has the full measure, the turnovers hang.
            let spec = ParaSpec {
                indent: -hang,
                align: Align::Left,
                hyphenate: false,
            };
            let mut lines = self
                .setter
                .set(&toks, &spec, (env.measure - hang).max(env.size * 4.0));
            for line in &mut lines {
                line.source = line.source.map(|s| s + line_start);
            }
            if let Some(stanza) = stanzas.last_mut() {
                stanza.push(lines);
            }
        }
        stanzas.retain(|s| !s.is_empty());
        let count = stanzas.len();
        // The verse is running text: its lines' places count into it.
        let running_text = std::mem::replace(&mut self.running_text, true);
        for (k, stanza) in stanzas.into_iter().enumerate() {
            self.stanza(stanza, env.x + hang, env.leading);
            if k + 1 < count {
                self.space(env.leading);
            }
        }
        self.running_text = running_text;
    }

    /// One stanza's lines: the page may break only after a verse line's last turnover, and
    /// not after the stanza's first line or before its last.
    fn stanza(&mut self, verse_lines: Vec<Vec<Line>>, x: f32, leading: f32) {
        let n: usize = verse_lines.iter().map(Vec::len).sum();
        self.paragraphs += 1;
        let mut k = 0;
        for lines in verse_lines {
            let m = lines.len();
            for (j, mut line) in lines.into_iter().enumerate() {
                line.kind = LineKind::Body {
                    paragraph: self.paragraphs,
                    first: k == 0,
                    last: k + 1 == n,
                    justified: false,
                    hyphenated: false,
                };
                k += 1;
                let ok = j + 1 == m && (k == n || (k >= 2 && n - k >= 2));
                self.line(x, line, leading, ok);
            }
        }
    }
}

/// A line of nothing but spaces: the break between stanzas.
fn is_blank(inlines: &[Inline]) -> bool {
    inlines.iter().all(|i| match i {
        Inline::Text(t) => t.chars().all(char::is_whitespace),
        Inline::SoftBreak => true,
        _ => false,
    })
}
