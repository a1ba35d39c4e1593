//! Code blocks: monospaced rows, wrapped and coloured by `typeset::code`.

use crate::fonts::FaceId;

use super::super::code;
use super::super::paragraph::{Line, TextStyle};
use super::{ChapterBuilder, Env};

/// Code blocks: relative size (rows and colours: `code`).
const CODE_SCALE: f32 = 0.85;

impl ChapterBuilder<'_, '_> {
    pub(super) fn code(&mut self, text: &str, language: Option<&str>, env: Env) {
        let style = TextStyle::new(FaceId::Mono, env.size * CODE_SCALE);
        let leading = env.leading * CODE_SCALE;
        let x = env.x + env.size;
        let measure = env.measure - env.size;
        let cell = self.width_of("0", &style).max(0.1);
        let cols = (measure / cell).floor() as usize;
        let rows = code::rows(text, language, cols);
        let face = self.setter.shaper.fonts().get(FaceId::Mono);
        let (ascent, descent) = (face.ascender * style.size, face.descender * style.size);
        let n = rows.len();
        for (k, row) in rows.into_iter().enumerate() {
            let mut line = Line {
                ascent,
                descent,
                ..Line::default()
            };
            // One run per colour, each in the face that draws it (a character the monospace
            // face lacks comes from a fallback face); a monospaced face has no kerning, so
            // shaping the pieces apart sets them exactly as shaping the row whole would.
            for piece in row {
                let runs = self.setter.runs(&piece.text, &style);
                let width: f32 = runs.iter().flat_map(|r| &r.glyphs).map(|g| g.advance).sum();
                for mut run in runs.into_iter().filter(|r| !r.glyphs.is_empty()) {
                    run.x += line.width;
                    run.colour = piece.colour;
                    line.runs.push(run);
                }
                line.width += width;
            }
            let k = k + 1;
            let ok = k == n || (k >= 2 && n - k >= 2);
            self.line(x, line, leading, ok);
        }
    }
}
