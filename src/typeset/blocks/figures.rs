//! Figures: an image centred in the measure, scaled to fit, with its caption below.

use crate::fonts::Style;
use crate::model::{Block, Figure, Inline};

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
    /// A figure (which images are figures the reader decided): the image centred and scaled
    /// to fit the measure and, with its caption, the text block; the caption below it. An
    /// image the book does not hold (a remote one) is set as its paragraph and caption.
    pub(super) fn figure(&mut self, figure: &Figure, env: Env) {
        let lookup = self
            .setter
            .art
            .and_then(|art| Some((art, art.lookup(&figure.src)?)));
        let Some((art, (key, natural_w, natural_h))) = lookup else {
            let image = Inline::Image {
                src: figure.src.clone(),
                alt: figure.alt.clone(),
                title: figure.title.clone(),
                size: figure.size,
            };
            self.block(&Block::Paragraph(vec![image]), env);
            if let Some(c) = &figure.caption {
                self.block(&Block::Paragraph(vec![Inline::Emphasis(c.clone())]), env);
            }
            return;
        };
        let caption = &figure.caption;
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
        let asked = (figure.size).resolve(
            (natural_w, natural_h),
            env.measure,
            art.block_height,
            env.size,
        );
        let (width, height) = figure::fit(asked, env.measure, room);
        self.space(env.leading * AROUND_FIGURE);
        self.items.push(VItem::Image {
            x: env.x + (env.measure - width) / 2.0,
            image: FigureImage {
                key,
                width,
                height,
                alt: figure.alt.clone(),
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
    }
}
