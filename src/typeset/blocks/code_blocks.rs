//! Code blocks: monospaced rows, wrapped and coloured by `typeset::code`, at `[pdf]
//! code-size`; a block whose longest line would wrap is set smaller, down to
//! [`MIN_CODE_SIZE`]. A listing's caption and file name go above its first rows and stay on
//! their page.

use crate::fonts::{FaceId, Style};
use crate::model::Listing;

use super::super::code::{self, Row};
use super::super::paragraph::{flatten, serif, Align, Line, ParaSpec, TextStyle, Tok};
use super::{ChapterBuilder, Env};

/// The smallest size a code block is shrunk to so that its longest line fits (points, at
/// body size; a `code-size` set below it is kept).
pub const MIN_CODE_SIZE: f32 = 7.0;
/// A listing's caption: relative size.
const CAPTION_SCALE: f32 = 0.9;
/// Space between a listing's caption or file name and its code, in code lines.
const HEAD_SPACE: f32 = 0.3;

impl ChapterBuilder<'_, '_> {
    pub(super) fn code(&mut self, text: &str, language: Option<&str>, listing: &Listing, env: Env) {
        // Inside a quote or a note, code is scaled as the text around it.
        let scale = env.size / self.body.size;
        let size = self.body.code_size * scale;
        let floor = (MIN_CODE_SIZE * scale).min(size);
        let cols_at = |b: &mut Self, size: f32| {
            let cell = b
                .width_of("0", &TextStyle::new(FaceId::Mono, size))
                .max(0.01);
            (env.measure / cell).floor() as usize
        };
        let longest = code::longest_line(text);
        let mut cols = cols_at(self, size);
        let mut size = size;
        if longest > cols {
            // Columns go as 1 / size: the size at which the longest line just fits.
            size = (size * cols as f32 / longest as f32).max(floor);
            // Rounded down to a tenth of a point, then checked (the cell is rounded too).
            size = ((size * 10.0).floor() / 10.0).max(floor);
            cols = cols_at(self, size);
        }
        let style = TextStyle::new(FaceId::Mono, size);
        let leading = size * env.leading / env.size;
        // The head's lines may not end a page, nor the first row (see `code_rows`): it stays
        // with the first two rows, or the whole of a shorter block.
        if self.listing_head(listing, &style, env) {
            self.space(leading * HEAD_SPACE);
        }
        let rows = code::rows(text, language, cols);
        self.code_rows(rows, &style, leading, env.x);
    }

    /// A listing's caption (serif italic) and file name (monospaced), above its code, none of
    /// their lines ending a page. Whether there was one.
    fn listing_head(&mut self, listing: &Listing, code_style: &TextStyle, env: Env) -> bool {
        let mut any = false;
        if let Some(caption) = &listing.caption {
            let mut toks = Vec::new();
            let style = serif(Style::Italic, env.size * CAPTION_SCALE);
            flatten(caption, &style, &self.chapter, &mut toks);
            self.head_lines(&toks, env.x, env.measure, env.leading * CAPTION_SCALE);
            any = true;
        }
        if let Some(name) = &listing.file_name {
            let toks = vec![Tok::Text(name.clone(), code_style.clone())];
            let leading = code_style.size * env.leading / env.size;
            self.head_lines(&toks, env.x, env.measure, leading);
            any = true;
        }
        any
    }

    /// A caption's lines, flush left, none of them ending a page.
    pub(super) fn head_lines(&mut self, toks: &[Tok], x: f32, measure: f32, leading: f32) {
        let spec = ParaSpec {
            indent: 0.0,
            align: Align::Left,
            hyphenate: false,
        };
        for line in self.setter.set(toks, &spec, measure) {
            self.line(x, line, leading, false);
        }
    }

    fn code_rows(&mut self, rows: Vec<Row>, style: &TextStyle, leading: f32, x: f32) {
        let face = self.setter.shaper.fonts().get(FaceId::Mono);
        let (ascent, descent) = (face.ascender * style.size, face.descender * style.size);
        let n = rows.len();
        let turned: Vec<bool> = rows.iter().map(|r| r.turned).collect();
        for (k, row) in rows.into_iter().enumerate() {
            let mut line = Line {
                ascent,
                descent,
                ..Line::default()
            };
            // One run per colour, each in the face that draws it (a character the monospace
            // face lacks comes from a fallback face); a monospaced face has no kerning, so
            // shaping the pieces apart sets them exactly as shaping the row whole would.
            for piece in row.pieces {
                let runs = self.setter.runs(&piece.text, style);
                let width: f32 = runs.iter().flat_map(|r| &r.glyphs).map(|g| g.advance).sum();
                for mut run in runs.into_iter().filter(|r| !r.glyphs.is_empty()) {
                    run.x += line.width;
                    run.colour = piece.colour;
                    line.runs.push(run);
                }
                line.width += width;
            }
            // Never one row alone at a page's foot or head, nor a line parted from its
            // turned-over rest.
            let done = k + 1;
            let ok = done == n || (done >= 2 && n - done >= 2 && !turned[done]);
            self.line(x, line, leading, ok);
        }
    }
}
