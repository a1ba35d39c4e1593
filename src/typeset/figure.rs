//! Images in print: how big an image is drawn.
//!
//! - A figure (`Block::Figure`: which images are figures, and their captions, the reader
//!   decides for every writer) is centred, as large as its natural size (see `artwork`) but
//!   never wider than the measure (or the share of it the author asked for) nor, with its
//!   caption, taller than the text block, and never split by a page break (it moves to the
//!   next page when it does not fit). Its caption is set below it.
//! - Either is drawn at the size the author asked for (`{width=50%}`: see
//!   [`ImageSize::resolve`](crate::model::ImageSize::resolve)), within those bounds.
//! - An image inside running text is drawn in the line, by default one [`INLINE_HEIGHT`]
//!   high (the body of a line of type), as wide as its proportions make it; never taller
//!   than [`INLINE_MAX_HEIGHT`] (it would print over the line above: lines keep the
//!   book's leading) nor wider than [`INLINE_MAX_WIDTH`].

use std::path::Path;

use crate::artwork::Gallery;

/// Height of an image in running text, in ems of the surrounding type, and how far it
/// descends below the baseline (as deep as the descenders).
pub const INLINE_HEIGHT: f32 = 1.0;
pub const INLINE_DROP: f32 = 0.2;
/// The most an image in running text may be, in ems, whatever size it asks for.
pub const INLINE_MAX_HEIGHT: f32 = 1.2;
pub const INLINE_MAX_WIDTH: f32 = 20.0;

/// What the setter needs to draw a chapter's images: the decoded images, the chapter's
/// source file (image paths are relative to it) and the size of the text block.
#[derive(Clone, Copy)]
pub struct ArtRef<'a> {
    pub gallery: &'a Gallery,
    pub source: &'a Path,
    pub block_height: f32,
    /// The width of the body's text, which `width=50%` is a share of.
    pub measure: f32,
}

impl ArtRef<'_> {
    /// The key and natural size in points of the image `src`, if the book has it.
    pub fn lookup(&self, src: &str) -> Option<(usize, f32, f32)> {
        let key = self.gallery.find(self.source, src)?;
        let art = self.gallery.get(key)?;
        // A drawing too costly to draw is set as its alt text, as a missing image is.
        if let crate::artwork::ArtData::TooCostly(_) = art.data {
            return None;
        }
        let (w, h) = art.natural;
        (w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0).then_some((key, w, h))
    }
}

/// The size a figure is drawn at: its natural size, scaled down (never up) to fit `width`
/// and `height`.
pub fn fit(natural: (f32, f32), width: f32, height: f32) -> (f32, f32) {
    let (w, h) = natural;
    let scale = 1.0f32.min(width / w).min(height / h).max(0.0);
    (w * scale, h * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_scaled_down_never_up() {
        assert_eq!(fit((100.0, 50.0), 300.0, 500.0), (100.0, 50.0));
        assert_eq!(fit((600.0, 300.0), 300.0, 500.0), (300.0, 150.0));
        assert_eq!(fit((100.0, 1000.0), 300.0, 500.0), (50.0, 500.0));
    }
}
