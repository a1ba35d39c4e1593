//! The hand-over from a paragraph: set lines, x relative to the start of the measure.

use crate::fonts::FaceId;

use super::super::document::{Glyph, LineKind, Rgb};
use super::style::Target;

/// A set line: runs of glyphs and link spans, x relative to the start of the measure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub runs: Vec<Run>,
    pub links: Vec<LineLink>,
    /// Width actually set (the measure for a justified line).
    pub width: f32,
    /// Height above the baseline of the tallest glyphs.
    pub ascent: f32,
    pub descent: f32,
    /// Stretched or shrunk to fill the measure (a justified line that is not a last line).
    pub justified: bool,
    /// Ends in a hyphen: one inserted at a hyphenation point, or the author's before a break.
    pub hyphenated: bool,
    /// What the line is, for the layout report (set by the block builder).
    pub kind: LineKind,
    /// The measure it was set to (0 when not set by the paragraph setter).
    pub measure: f32,
    /// Images drawn in the line.
    pub images: Vec<LineImage>,
    /// Where in its block's text the line's first word starts (set by the paragraph setter).
    pub source: Option<usize>,
    /// Where in the chapter the line's text starts (set by the block builder; `None` for a
    /// line that is not the chapter's text, such as a footnote's).
    pub place: Option<crate::model::pages::TextPosition>,
}

/// An image in a line of text, x relative to the start of the measure.
#[derive(Debug, Clone, PartialEq)]
pub struct LineImage {
    /// Key into the book's `Gallery`.
    pub key: usize,
    pub x: f32,
    pub width: f32,
    pub height: f32,
    /// How far its bottom is below the baseline.
    pub drop: f32,
    pub alt: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub face: FaceId,
    pub size: f32,
    pub x: f32,
    pub rise: f32,
    pub glyphs: Vec<Glyph>,
    /// Fill colour; `None` is black.
    pub colour: Option<Rgb>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineLink {
    pub x0: f32,
    pub x1: f32,
    pub target: Target,
}

impl Line {
    /// Moves every run and link right by `dx`.
    pub fn shift(&mut self, dx: f32) {
        for r in &mut self.runs {
            r.x += dx;
        }
        for l in &mut self.links {
            l.x0 += dx;
            l.x1 += dx;
        }
        for i in &mut self.images {
            i.x += dx;
        }
    }
}
