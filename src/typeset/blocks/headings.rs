//! Headings: one scale of sizes and faces, kept with the lines that follow.

use crate::fonts::Style;
use crate::model::{Heading, Inline};

use super::super::document::LineKind;
use super::super::paginate::VItem;
use super::super::paragraph::{flatten, heading_anchor, serif, Align, ParaSpec};
use super::{ChapterBuilder, Env};

/// Heading sizes (in body ems) and faces for levels 2..=6: one scale.
const HEADINGS: [(f32, Style); 5] = [
    (1.3, Style::Bold),
    (1.1, Style::Bold),
    (1.0, Style::BoldItalic),
    (1.0, Style::Italic),
    (0.9, Style::Italic),
];
/// Space above and below a heading, in body lines.
const BEFORE_HEADING: f32 = 1.5;
const AFTER_HEADING: f32 = 0.5;
/// Lines kept together with a heading.
pub(super) const KEEP_WITH_HEADING: usize = 2;

impl ChapterBuilder<'_, '_> {
    pub(super) fn heading(&mut self, h: &Heading, env: Env) {
        self.space(self.body.leading * BEFORE_HEADING);
        self.heading_lines(&h.content, h.level, Some(&h.id), env);
    }

    fn heading_lines(&mut self, content: &[Inline], level: u8, id: Option<&str>, env: Env) {
        let (scale, style) = HEADINGS[usize::from(level.clamp(2, 6) - 2)];
        let size = self.body.size * scale;
        if let Some(id) = id {
            self.items.push(VItem::Anchor(heading_anchor(id)));
        }
        let mut toks = Vec::new();
        flatten(content, &serif(style, size), &self.chapter, &mut toks);
        let spec = ParaSpec {
            indent: 0.0,
            align: Align::Left,
            hyphenate: false,
        };
        let lines = self.setter.set(&toks, &spec, env.measure);
        let leading = (size * 1.2).max(env.leading);
        for mut line in lines {
            line.kind = LineKind::Heading { level };
            self.line(env.x, line, leading, false);
        }
        self.items.push(VItem::Space {
            height: self.body.leading * AFTER_HEADING,
            discardable: true,
            break_after: false,
        });
        self.keep = KEEP_WITH_HEADING;
        self.indent_next = false;
    }
}
