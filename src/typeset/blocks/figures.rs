//! Figures: an image centred in the measure, scaled to fit, with its caption below.

use crate::fonts::Style;
use crate::model::{Block, Inline};

use super::super::figure;
use super::super::paginate::{FigureImage, VItem};
use super::super::paragraph::{flatten, serif, Align, ParaSpec};
use super::{ChapterBuilder, Env};

/// Figures: space above and below (body lines), between the image and its caption (body
/// lines), and the caption's relative size.
const AROUND_FIGURE: f32 = 1.0;
const ABOVE_CAPTION: f32 = 0.5;
const CAPTION_SCALE: f32 = 0.9;

impl ChapterBuilder<'_, '_> {
    /// A figure, if `blocks` starts with one (see `figure`): the image centred and scaled to
    /// fit the measure and, with its caption, the text block; the caption below it. Returns
    /// how many blocks it took (2 when the next paragraph was its caption).
    pub(super) fn figure(&mut self, blocks: &[Block], env: Env) -> Option<usize> {
        let art = self.setter.art?;
        let picture = match blocks.first()? {
            Block::Paragraph(inl) => figure::lone_in_paragraph(inl)?,
            Block::Html { html, .. } => figure::lone_in_html(html)?,
            _ => return None,
        };
        let (key, natural_w, natural_h) = art.lookup(&picture.src)?;
        let mut used = 1;
        let caption = match (&picture.title, &blocks[0]) {
            (Some(title), _) => Some(vec![Inline::Text(title.clone())]),
            (None, html @ Block::Html { .. }) => figure::caption_of(html),
            _ => None,
        }
        .or_else(|| {
            let next = figure::caption_of(blocks.get(1)?)?;
            used = 2;
            Some(next)
        });
        let size = env.size * CAPTION_SCALE;
        let leading = env.leading * CAPTION_SCALE;
        let lines = match &caption {
            Some(c) => {
                let mut toks = Vec::new();
                flatten(c, &serif(Style::Italic, size), &self.chapter, &mut toks);
                let spec = ParaSpec {
                    indent: 0.0,
                    align: Align::Center,
                    hyphenate: self.body.hyphenate,
                };
                self.setter.set(&toks, &spec, env.measure)
            }
            None => Vec::new(),
        };
        let gap = env.leading * ABOVE_CAPTION;
        let caption_height = if lines.is_empty() {
            0.0
        } else {
            gap + lines.len() as f32 * leading
        };
        let room = (art.block_height - caption_height).max(env.leading);
        let widest = env.measure * picture.share.unwrap_or(1.0);
        let (width, height) = figure::fit((natural_w, natural_h), widest, room);
        self.space(env.leading * AROUND_FIGURE);
        self.items.push(VItem::Image {
            x: env.x + (env.measure - width) / 2.0,
            image: FigureImage {
                key,
                width,
                height,
                alt: picture.alt,
            },
            break_after: lines.is_empty(),
        });
        if !lines.is_empty() {
            self.items.push(VItem::Space {
                height: gap,
                discardable: false,
                break_after: false,
            });
            let n = lines.len();
            for (k, line) in lines.into_iter().enumerate() {
                // The caption stays whole, with its image.
                self.line(env.x, line, leading, k + 1 == n);
            }
        }
        self.space(env.leading * AROUND_FIGURE);
        self.indent_next = false;
        Some(used)
    }
}
