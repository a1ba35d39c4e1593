//! Inlines -> styled text -> box/glue/penalty items -> broken, justified lines.
//!
//! A paragraph is laid out independently of where it will land on a page: its lines have
//! x positions relative to the start of the measure and no y yet.
//!
//! One stage per file, as typst's `inline/`, each handing the next a typed value:
//! `style` (inlines -> [`Tok`]s), `items` (toks -> box/glue/penalty items and what they
//! draw, with `hyphens` giving each word's break points), the line breaker
//! (`super::linebreak`), `render` (breaks -> [`Line`]s, with `bidi` ordering the words).

mod bidi;
mod hyphens;
mod items;
mod line;
mod protrusion;
mod render;
mod style;

pub use line::{Line, LineImage, LineLink, Run};
pub use protrusion::protrusion;
pub use style::{
    chapter_anchor, flatten, heading_anchor, note_anchor, serif, Target, TextStyle, Tok, CODE_SCALE,
};

use super::document::Glyph;
use super::figure::ArtRef;
use super::hyphenate::Hyphenator;
use super::linebreak::{Hang, Item, LineBreaker};
use super::shape::{ShapedGlyph, Shaper};
use hyphens::Hyphens;
use items::split_wide_boxes;

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
}

#[derive(Debug, Clone, Copy)]
pub struct ParaSpec {
    /// First-line indent, points.
    pub indent: f32,
    pub align: Align,
    pub hyphenate: bool,
}

/// The tools a paragraph needs: a shaper (with its cache), hyphenation and a line breaker.
pub struct Setter<'a> {
    pub shaper: Shaper<'a>,
    hyphens: Hyphens<'a>,
    breaker: &'a dyn LineBreaker,
    /// The chapter's images; without it images are set as their alt text.
    pub art: Option<ArtRef<'a>>,
    /// What setting found worth telling the author (a table set smaller), for the caller
    /// to take.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

impl<'a> Setter<'a> {
    pub fn new(
        shaper: Shaper<'a>,
        hyphenator: &'a Hyphenator,
        breaker: &'a dyn LineBreaker,
    ) -> Setter<'a> {
        Setter {
            shaper,
            hyphens: Hyphens::new(hyphenator),
            breaker,
            art: None,
            warnings: Vec::new(),
        }
    }

    /// Sets `toks` into lines of `measure` points.
    pub fn set(&mut self, toks: &[Tok], spec: &ParaSpec, measure: f32) -> Vec<Line> {
        self.set_hanging(toks, spec, measure, Hang::default())
    }

    /// Sets `toks` with the first `hang.lines` lines `hang.width` narrower, pushed right (the
    /// room for a drop cap, which the caller adds).
    pub fn set_hanging(
        &mut self,
        toks: &[Tok],
        spec: &ParaSpec,
        measure: f32,
        hang: Hang,
    ) -> Vec<Line> {
        let measure = measure.max(1.0);
        let mut p = self.prepare(toks, spec);
        if p.items.is_empty() {
            return Vec::new();
        }
        split_wide_boxes(&mut p, (measure - hang.width).max(1.0));
        if spec.align == Align::Justify {
            protrusion::protrude(&mut p);
        }
        let breaks = if hang.lines > 0 {
            self.breaker.break_hanging(&p.items, measure, hang)
        } else {
            self.breaker.break_lines(&p.items, measure)
        };
        self.render(&p, &breaks, measure, spec.align, hang)
    }

    /// Natural width of `toks` on one line (no breaking).
    pub fn natural_width(&mut self, toks: &[Tok]) -> f32 {
        self.unhyphenated(toks)
            .items
            .iter()
            .map(|i| match *i {
                Item::Box { width } | Item::Glue { width, .. } => width,
                Item::Penalty { .. } => 0.0,
            })
            .sum()
    }

    /// Width of the widest stretch of `toks` between two places a line may end (a word, as
    /// set without hyphenation): the least measure that sets them without breaking a word.
    pub fn min_width(&mut self, toks: &[Tok]) -> f32 {
        let p = self.unhyphenated(toks);
        let (mut widest, mut run) = (0.0f32, 0.0f32);
        for i in &p.items {
            match *i {
                Item::Box { width } => run += width,
                Item::Glue { .. } => {
                    widest = widest.max(run);
                    run = 0.0;
                }
                Item::Penalty { width, cost, .. } if cost < super::linebreak::NO_BREAK => {
                    widest = widest.max(run + width);
                    run = 0.0;
                }
                Item::Penalty { .. } => {}
            }
        }
        widest.max(run)
    }

    /// `toks` as items, flush left, without hyphenation: for measuring.
    fn unhyphenated(&mut self, toks: &[Tok]) -> items::Prepared {
        let spec = ParaSpec {
            indent: 0.0,
            align: Align::Left,
            hyphenate: false,
        };
        self.prepare(toks, &spec)
    }

    /// Shapes `text` in `style` as runs from x = 0, each in the face that draws its
    /// characters (the style's face, or a fallback), one after another.
    pub fn runs(&mut self, text: &str, style: &TextStyle) -> Vec<Run> {
        let pieces = self.shaper.shape_pieces(style.face, style.features, text);
        let mut x = 0.0;
        let mut runs = Vec::with_capacity(pieces.len());
        for piece in pieces {
            let mut st = style.clone();
            st.face = piece.face;
            let glyphs = self.scale(&piece.glyphs, &st);
            let width: f32 = glyphs.iter().map(|g| g.advance).sum();
            runs.push(Run {
                face: piece.face,
                size: style.size,
                x,
                rise: style.rise,
                glyphs,
                colour: None,
            });
            x += width;
        }
        runs
    }

    /// Shapes `text` in `style` as glyphs sized in points (all in the style's face: for text
    /// the face may lack, use `runs`).
    pub fn glyphs(&mut self, text: &str, style: &TextStyle) -> Vec<Glyph> {
        let shaped = self.shaper.shape(style.face, style.features, text);
        self.scale(&shaped, style)
    }

    fn scale(&self, shaped: &[ShapedGlyph], style: &TextStyle) -> Vec<Glyph> {
        let face = self.shaper.fonts().get(style.face);
        shaped
            .iter()
            .map(|g| Glyph {
                id: g.id,
                advance: face.scale(g.advance, style.size),
                // A handle, not a string: see `GlyphText`.
                text: g.text,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::fonts::FontSet;
    use super::super::linebreak::KnuthPlass;
    use super::*;
    use crate::fonts::Style;

    const TEXT: &str = "It is a truth universally acknowledged, that a single man in possession \
        of a good fortune, must be in want of a wife. However little known the feelings or views \
        of such a man may be on his first entering a neighbourhood, this truth is so well fixed \
        in the minds of the surrounding families, that he is considered the rightful property \
        of some one or other of their daughters.";

    fn set(text: &str, measure: f32, align: Align) -> Vec<Line> {
        let fonts = FontSet::load().expect("fonts");
        let hyph = Hyphenator::for_language("en");
        let kp = KnuthPlass::new(11.0);
        let mut setter = Setter::new(Shaper::new(&fonts), &hyph, &kp);
        let toks = vec![Tok::Text(text.into(), serif(Style::Regular, 11.0))];
        let spec = ParaSpec {
            indent: 11.0,
            align,
            hyphenate: true,
        };
        setter.set(&toks, &spec, measure)
    }

    /// Where the line's glyphs end, less what the last one may hang into the margin.
    fn width(line: &Line) -> f32 {
        let end = line.runs.last().map_or(0.0, |r| {
            r.x + r.glyphs.iter().map(|g| g.advance).sum::<f32>()
        });
        end - hang(line) * 11.0
    }

    fn last_char(line: &Line) -> char {
        let text: String = line
            .runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.text.as_str()))
            .collect();
        text.trim_end().chars().last().unwrap_or(' ')
    }

    fn hang(line: &Line) -> f32 {
        protrusion(last_char(line)).1
    }

    #[test]
    fn hyphens_and_stops_hang_into_the_margin() {
        let mut hung = 0;
        for measure in [150.0, 180.0, 220.0, 300.0] {
            let lines = set(TEXT, measure, Align::Justify);
            for l in &lines[..lines.len() - 1] {
                let end = l.runs.last().map_or(0.0, |r| {
                    r.x + r.glyphs.iter().map(|g| g.advance).sum::<f32>()
                });
                let expected = measure + hang(l) * 11.0;
                assert!((end - expected).abs() < 0.01, "{end} vs {expected}");
                if matches!(last_char(l), '-' | ',' | '.') {
                    assert!(end > measure + 1.0, "{end} at {measure}");
                    hung += 1;
                }
            }
        }
        assert!(hung > 2, "some lines end in a hyphen or a stop");
    }

    #[test]
    fn names_are_not_hyphenated_when_the_paragraph_sets_without() {
        let text = "Elizabeth and Netherfield, Elizabeth with Charlotte Lucas at Longbourn; \
            Elizabeth Bennet observed Wickham and Pemberley, Elizabeth said, and Derbyshire. "
            .repeat(4);
        for measure in [150.0, 200.0, 260.0] {
            for l in set(&text, measure, Align::Justify) {
                if l.hyphenated {
                    let word: String = l
                        .runs
                        .iter()
                        .flat_map(|r| r.glyphs.iter())
                        .map(|g| g.text.as_str())
                        .collect::<String>()
                        .split_whitespace()
                        .last()
                        .unwrap_or("")
                        .to_string();
                    assert!(
                        !word.starts_with(char::is_uppercase),
                        "{word} broken at {measure}"
                    );
                }
            }
        }
    }

    #[test]
    fn justified_lines_fill_the_measure_exactly() {
        for measure in [150.0, 220.0, 300.0] {
            let lines = set(TEXT, measure, Align::Justify);
            assert!(lines.len() > 2);
            for (i, l) in lines.iter().enumerate() {
                let w = width(l);
                assert!(w <= measure + 0.01, "line {i} too wide: {w}");
                if i + 1 < lines.len() {
                    assert!((w - measure).abs() < 0.01, "line {i}: {w} vs {measure}");
                }
            }
        }
    }

    #[test]
    fn text_survives_with_spaces_and_hyphens() {
        let lines = set(TEXT, 150.0, Align::Justify);
        let text: String = lines
            .iter()
            .map(|l| {
                l.runs
                    .iter()
                    .flat_map(|r| r.glyphs.iter().map(|g| g.text.as_str()))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ");
        let joined = text.replace("- ", "");
        assert_eq!(
            joined.split_whitespace().collect::<Vec<_>>(),
            TEXT.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_word_wider_than_the_measure_is_broken_by_letters() {
        let word = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(3);
        let lines = set(&format!("a {word} b"), 100.0, Align::Justify);
        for l in &lines {
            assert!(width(l) <= 100.01, "{}", width(l));
        }
    }

    #[test]
    fn empty_paragraphs_have_no_lines() {
        assert!(set("", 100.0, Align::Justify).is_empty());
        assert!(set("   ", 100.0, Align::Justify).is_empty());
    }
}
